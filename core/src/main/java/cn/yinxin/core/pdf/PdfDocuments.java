package cn.yinxin.core.pdf;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Opens untrusted PDF bytes (in memory or in a file) and says clearly why when it will not. */
public final class PdfDocuments {

    /** A PDF may start with some junk before its header (ISO 32000 tolerates 1024 bytes). */
    private static final int HEADER_WINDOW = 1024;
    /** Where the last %%EOF must be found; writers may add a few bytes of whitespace after it. */
    private static final int TRAILER_WINDOW = 1024;

    private PdfDocuments() {
    }

    public static PDDocument open(byte[] pdf) {
        return open(pdf, PdfLimits.DEFAULT, false);
    }

    /**
     * Opens a document to be changed (sealed): beyond {@link #open(byte[])}, the raw structure must be sound (no
     * broken cross-reference, no object defined twice in a revision) and within the limits.
     */
    public static PDDocument openForChange(byte[] pdf, PdfLimits limits) {
        return open(pdf, limits, true);
    }

    private static PDDocument open(byte[] pdf, PdfLimits limits, boolean strict) {
        if (pdf == null) {
            throw new RejectedException(Problem.EMPTY_BODY, "The request carries no PDF bytes.");
        }
        // read for verification: PdfBytes (PDFBox's lexer is faster on it); a document to be changed keeps
        // PDFBox's own buffer, which its incremental writer was tested with
        RandomAccessRead source = strict ? new RandomAccessReadBuffer(pdf) : new PdfBytes(pdf);
        return open(source, limits, strict, IOUtils.createMemoryOnlyStreamCache());
    }

    /**
     * As {@link #openForChange(byte[], PdfLimits)} for a document read from {@code source} (a file or a buffer),
     * which is never read whole into memory by these checks. The document takes {@code source} over and closes it;
     * when the document is refused, {@code source} is closed before the refusal is thrown.
     *
     * @param streamCache where PDFBox keeps the streams the sealing adds (memory or temporary files)
     */
    public static PDDocument openForChange(RandomAccessRead source, PdfLimits limits, StreamCacheCreateFunction streamCache) {
        return open(source, limits, true, streamCache);
    }

    private static PDDocument open(RandomAccessRead source, PdfLimits limits, boolean strict,
                                   StreamCacheCreateFunction streamCache) {
        PDDocument document;
        try {
            checkRaw(source, strict);
            try {
                source.seek(0);
                // read for verification: hex strings (a signature's 40,000 digits) read by VerifyingParser
                document = strict ? Loader.loadPDF(source, "", null, null, streamCache)
                        : VerifyingParser.load(source, streamCache);
            } catch (InvalidPasswordException e) {
                throw new RejectedException(Problem.ENCRYPTED_PDF, "The PDF is password-protected; send it unencrypted.");
            } catch (IOException e) {
                throw new RejectedException(Problem.DAMAGED_PDF, "The PDF cannot be parsed: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            closeQuietly(source);
            throw e;
        }
        if (document.isEncrypted()) {
            close(document);
            throw new RejectedException(Problem.ENCRYPTED_PDF,
                    "The PDF is encrypted; signing it would need its permissions password. Send it unencrypted.");
        }
        try {
            PageTreeDepth.check(document);
        } catch (RejectedException e) {
            close(document);
            throw e;
        }
        if (document.getNumberOfPages() == 0) {
            close(document);
            throw new RejectedException(Problem.DAMAGED_PDF, "The PDF has no pages.");
        }
        if (document.getNumberOfPages() > limits.maxPages()) {
            int pages = document.getNumberOfPages();
            close(document);
            throw new RejectedException(Problem.TOO_MANY_PAGES, "The PDF has " + pages + " pages; at most "
                    + limits.maxPages() + " are accepted.");
        }
        int objects = document.getDocument().getXrefTable().size();
        if (objects > limits.maxObjects()) {
            close(document);
            throw new RejectedException(Problem.TOO_MANY_OBJECTS, "The PDF has " + objects + " objects; at most "
                    + limits.maxObjects() + " are accepted.");
        }
        return document;
    }

    /**
     * A PDF header and an end marker, or the refusal (not-a-pdf, truncated-pdf, empty-body): asked first, so a document
     * cut off in transfer is answered as cut off, not as whatever the raw checks meet where it was cut.
     */
    public static void refuseIfNotWhole(byte[] pdf) {
        checkRaw(new RandomAccessReadBuffer(pdf), false);
    }

    /** Header, end marker and (when strict) the raw structure; an I/O failure of the source is no refusal. */
    private static void checkRaw(RandomAccessRead source, boolean strict) {
        try {
            long length = source.length();
            if (length == 0) {
                throw new RejectedException(Problem.EMPTY_BODY, "The request carries no PDF bytes.");
            }
            byte[] head = read(source, 0, (int) Math.min(length, HEADER_WINDOW));
            if (indexOf(head, "%PDF-", 0, head.length) < 0) {
                throw new RejectedException(Problem.NOT_A_PDF, "The document does not start with a PDF header (%PDF-).");
            }
            long tailStart = Math.max(0, length - TRAILER_WINDOW);
            byte[] tail = read(source, tailStart, (int) (length - tailStart));
            if (indexOf(tail, "%%EOF", 0, tail.length) < 0) {
                throw new RejectedException(Problem.TRUNCATED_PDF,
                        "The PDF has no end-of-file marker (%%EOF) at its end: it was cut off in transfer or storage.");
            }
            if (strict) {
                PdfStructure.check(source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the PDF cannot be read: " + e.getMessage(), e);
        }
    }

    /** {@code length} bytes from {@code position} (fewer at the end of the source). */
    static byte[] read(RandomAccessRead source, long position, int length) throws IOException {
        byte[] bytes = new byte[length];
        source.seek(position);
        int done = 0;
        while (done < length) {
            int n = source.read(bytes, done, length - done);
            if (n <= 0) {
                return Arrays.copyOf(bytes, done);
            }
            done += n;
        }
        return bytes;
    }

    public static int indexOf(byte[] data, String ascii, int from, int to) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void closeQuietly(RandomAccessRead source) {
        try {
            source.close();
        } catch (IOException ignored) {
            // nothing was written; the refusal that follows is what matters
        }
    }

    private static void close(PDDocument document) {
        try {
            document.close();
        } catch (IOException ignored) {
            // nothing was written; the refusal that follows is what matters
        }
    }
}
