package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.filter.Filter;
import org.apache.pdfbox.filter.FilterFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams whose data PDFBox decodes to other bytes than other readers do, found by the raw checks before anything
 * is judged: the verifier's rules and pictures read with PDFBox, a clerk with poppler, pdf.js or Acrobat, so such a
 * stream could carry what the verifier never sees (a forged amount in a comment's appearance, allowed under
 * DocMDP P=3 because the pictures saw nothing). The document is refused as damaged (422 {@code damaged-pdf}): what
 * it shows cannot be verified; only streams of revisions after the first are judged (see the methods). Three ways
 * are known (eighth hostile read):
 * <ul>
 * <li>a /Filter naming one filter twice ({@code [/FlateDecode /FlateDecode]}, or /Fl beside /FlateDecode): PDFBox's
 * {@code Filter.decode} (pages, forms and appearances are drawn through it) drops the repeat, poppler and pdf.js
 * apply both;</li>
 * <li>FlateDecode data damaged after a good stretch that PDFBox cuts short ({@link FlateDecoding#cutShort()});</li>
 * <li>a /Length after which no "endstream" follows: PDFBox and pdf.js end the data at the first "endstream", poppler
 * reads /Length bytes (and 5,000 more when "endstream" does not follow them): the bytes after an early "endstream"
 * (content written after the object's "endobj", or the rest of a Flate stream holding the word in a stored block)
 * are drawn by poppler alone (only in revisions after the first, and not for XML metadata: producers get a
 * /Length wrong now and then, as one of EU DSS's test files does on its metadata in two revisions).</li>
 * </ul>
 */
final class ReadAlike {

    private ReadAlike() {
    }

    /** Whether a filter of the raw dictionary was a reference (written as a name "R.n.g" by the raw parse). */
    static boolean referenced(List<COSName> filters) {
        return filters.stream().anyMatch(name -> name.getName().startsWith("R."));
    }

    /**
     * @param added whether the stream lies in a revision after the first (the original's are left alone: its
     *              producer may be sloppy, and what it shows was shown alike when signed)
     * @param data  where the stream's data start in the file
     * @return {@link DecodeBudget#flateCutShort()} now, for {@link #notCutShort} once the stream is decoded
     * @throws RejectedException when the filters name one filter twice (PDFBox's own instances compared, as it does)
     */
    static long eachFilterOnce(List<COSName> filters, boolean added, int data, DecodeBudget budget) {
        List<Filter> seen = new ArrayList<>();
        for (COSName name : added ? filters : List.<COSName>of()) {
            Filter filter;
            try {
                filter = FilterFactory.INSTANCE.getFilter(name);
            } catch (IOException e) {
                continue; // not a filter PDFBox knows: it cannot decode the stream at all
            }
            if (seen.contains(filter)) {
                throw new RejectedException(Problem.DAMAGED_PDF, "The stream at byte " + data + " names the filter "
                        + name.getName() + " twice: PDFBox decodes it once, other readers twice, so what they show "
                        + "cannot be verified.");
            }
            seen.add(filter);
        }
        return budget.flateCutShort();
    }

    /**
     * @param before {@link DecodeBudget#flateCutShort()} before the stream was decoded
     * @throws RejectedException when decoding it found FlateDecode data that PDFBox reads shorter than other readers
     */
    static void notCutShort(DecodeBudget budget, long before, boolean added, int data) {
        if (added && budget.flateCutShort() > before) {
            throw new RejectedException(Problem.DAMAGED_PDF, "The stream at byte " + data + " holds damaged "
                    + "FlateDecode data of which PDFBox reads less than other readers show, so what they show "
                    + "cannot be verified.");
        }
    }

    /**
     * @param added  whether the stream lies in a revision after the first
     * @param length the stream's /Length as the raw bytes state it (null when they do not), after which no
     *               "endstream" follows
     * @throws RejectedException when readers end the stream at different bytes (but for XML metadata, which no
     *                           reader draws), or when in an added revision the raw checks cannot tell where
     */
    static void sameEnd(boolean added, Long length, int data, COSDictionary dictionary) {
        if (!added) {
            return;
        }
        if (length == null && referenced(dictionary)) {
            return; // a length object in an object stream (Acrobat writes them): not read here (written down, open)
        }
        if (length == null) {
            throw new RejectedException(Problem.DAMAGED_PDF, "The stream at byte " + data + ", added after the "
                    + "first revision, has no /Length that can be read here, so where readers end it cannot be told.");
        }
        if (!COSName.METADATA.equals(dictionary.getDictionaryObject(COSName.TYPE))) {
            throw new RejectedException(Problem.DAMAGED_PDF, "The stream at byte " + data + " is not followed by "
                    + "endstream after its /Length (" + length + "): PDFBox ends it at the next endstream, other "
                    + "readers after /Length bytes, so what they show cannot be verified.");
        }
    }

    /** Whether the raw dictionary (when there is one) gives /Length by reference. */
    private static boolean referenced(COSDictionary dictionary) {
        return dictionary != null && dictionary.getDictionaryObject(COSName.LENGTH) instanceof COSName name
                && name.getName().startsWith("R.");
    }

    /**
     * The text of a stream's dictionary as the raw checks found it ({@code text}; null when they found none).
     *
     * @throws RejectedException when none was found for a stream {@code added} after the first revision: each check
     *                           here (filters, lengths, bombs) would be skipped for it, which a dictionary padded past
     *                           the raw checks' window or an unreadable one would buy
     */
    static String found(String text, boolean added, int data) {
        if (text == null && added) {
            throw new RejectedException(Problem.DAMAGED_PDF, "The stream at byte " + data + ", added after the "
                    + "first revision, has no dictionary that can be read here.");
        }
        return text;
    }
}
