package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pdf.VerifyingParser;
import cn.yinxin.core.pdf.PdfBytes;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The revisions of one file under verification, each parsed once however many checks read it: the change analysis
 * compares the signed revision with the ones after it, the visual proof reads what each page reached as signed,
 * and the licence identifier is read from what the seal signed. Parsing the same revision once per check was a third
 * of a 100-page verification. The documents handed out are for reading only: whoever draws a page (which can make
 * PDFBox add appearance streams) draws from a private copy.
 *
 * <p>The whole file's document belongs to the caller; the signed revisions named at construction are kept until
 * {@link #close()}; any other revision is parsed for its reader, who gives it back with {@link #release}.
 */
public final class RevisionDocuments implements Closeable {

    private final byte[] pdf;
    private final PDDocument whole;
    private final List<Long> keptEnds;
    /** The kept revisions parsed so far. */
    private final List<Kept> kept = new ArrayList<>();

    private record Kept(long end, PDDocument document) {
    }

    /**
     * @param whole the whole file as the caller parsed it (null: parsed here when asked)
     * @param kept  the ends of the revisions several checks read (the signed revisions)
     */
    public RevisionDocuments(byte[] pdf, PDDocument whole, List<Long> kept) {
        this.pdf = pdf;
        this.whole = whole;
        this.keptEnds = List.copyOf(kept);
    }

    /** Each revision parsed for its reader alone (what the checks did before; for tests and single reads). */
    public static RevisionDocuments unshared(byte[] pdf) {
        return new RevisionDocuments(pdf, null, List.of());
    }

    /**
     * The file as it was up to {@code end}. Two ends that differ only by the line ends after an %%EOF marker are the
     * same revision.
     */
    public PDDocument open(long end) throws IOException {
        if (whole != null && sameRevision(end, pdf.length)) {
            return whole;
        }
        for (Kept one : kept) {
            if (sameRevision(end, one.end())) {
                return one.document();
            }
        }
        PDDocument document = VerifyingParser.load(new PdfBytes(pdf, (int) Math.min(end, pdf.length)));
        if (keptEnds.stream().anyMatch(k -> sameRevision(k, end))) {
            kept.add(new Kept(end, document));
        }
        return document;
    }

    /** Gives back a document from {@link #open}: closed unless it is one the checks share. */
    public void release(PDDocument document) {
        if (document != null && document != whole && kept.stream().noneMatch(k -> k.document() == document)) {
            try {
                document.close();
            } catch (IOException ignored) {
                // read only; nothing to keep
            }
        }
    }

    private boolean sameRevision(long a, long b) {
        long from = Math.min(a, b);
        long to = Math.min(Math.max(a, b), pdf.length);
        if (to - from > 4) {
            return false;
        }
        for (long i = from; i < to; i++) {
            byte c = pdf[(int) i];
            if (c != '\r' && c != '\n' && c != ' ') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (Kept one : kept) {
            try {
                one.document().close();
            } catch (IOException ignored) {
                // read only
            }
        }
        kept.clear();
    }
}
