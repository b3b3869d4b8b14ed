package cn.yinxin.core.pdf;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Opens untrusted PDF bytes and says clearly why when it will not. */
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
        if (pdf == null || pdf.length == 0) {
            throw new RejectedException(Problem.EMPTY_BODY, "The request carries no PDF bytes.");
        }
        if (indexOf(pdf, "%PDF-", 0, Math.min(pdf.length, HEADER_WINDOW)) < 0) {
            throw new RejectedException(Problem.NOT_A_PDF, "The document does not start with a PDF header (%PDF-).");
        }
        if (indexOf(pdf, "%%EOF", Math.max(0, pdf.length - TRAILER_WINDOW), pdf.length) < 0) {
            throw new RejectedException(Problem.TRUNCATED_PDF,
                    "The PDF has no end-of-file marker (%%EOF) at its end: it was cut off in transfer or storage.");
        }
        if (strict) {
            PdfStructure.check(pdf);
        }
        PDDocument document;
        try {
            document = Loader.loadPDF(pdf);
        } catch (InvalidPasswordException e) {
            throw new RejectedException(Problem.ENCRYPTED_PDF, "The PDF is password-protected; send it unencrypted.");
        } catch (IOException e) {
            throw new RejectedException(Problem.DAMAGED_PDF, "The PDF cannot be parsed: " + e.getMessage());
        }
        if (document.isEncrypted()) {
            close(document);
            throw new RejectedException(Problem.ENCRYPTED_PDF,
                    "The PDF is encrypted; signing it would need its permissions password. Send it unencrypted.");
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

    static int indexOf(byte[] data, String ascii, int from, int to) {
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

    private static void close(PDDocument document) {
        try {
            document.close();
        } catch (IOException ignored) {
            // nothing was written; the refusal that follows is what matters
        }
    }
}
