package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.pdf.verify.report.VerificationReport.Change;
import cn.yinxin.core.pdf.verify.visual.VisualComparison;
import cn.yinxin.core.pdf.verify.visual.VisualComparison.Exclusion;
import cn.yinxin.core.pdf.verify.visual.VisualComparison.VisualDifference;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The verifier's side of the visual proof ({@link VisualComparison}): which areas it may leave out (the widgets of
 * signatures added later that verify: their seal is meant to be drawn over the page), and what a difference means
 * for the signature: a visible change is a failure, an unfinished comparison leaves the signature unconfirmed.
 */
final class VisualProof {

    /** What the visual proof adds to one signature's report. */
    record Outcome(List<Change> changes, String failure, String incomplete) {
    }

    /** Most bytes of pictures one signature's report carries (base64 in the JSON answer adds a third). */
    static final long MAX_PICTURE_BYTES = 1_500_000;

    private final VisualComparison comparison;

    VisualProof(VisualComparison comparison) {
        this.comparison = comparison;
    }

    /**
     * @param document  the document as it is now (only read: nothing is drawn from it)
     * @param revisions where the signed revision is read (parsed once for all the verification's checks)
     */
    Outcome check(byte[] pdf, long revisionEnd, PDDocument document, List<Exclusion> excluded,
                  RevisionDocuments revisions) {
        VisualComparison.Result result;
        PDDocument signed = null;
        try {
            signed = revisions.open(revisionEnd);
            result = comparison.compare(pdf, revisionEnd, signed, document, excluded);
        } catch (IOException e) {
            result = new VisualComparison.Result(0, 0, List.of(), "the signed revision cannot be read for drawing: "
                    + e.getMessage());
        } finally {
            revisions.release(signed);
        }
        if (result.differences().isEmpty()) {
            return new Outcome(List.of(), null, result.incomplete() == null ? null
                    : "The pages as signed could not all be compared with the pages now: " + result.incomplete() + ".");
        }
        List<VisualComparison.PicturePair> pictures;
        try {
            pictures = comparison.pictures(pdf, revisionEnd, result.differences());
        } catch (RuntimeException e) {
            pictures = List.of();
        }
        Map<Integer, VerificationReport.Pictures> byPage = new HashMap<>();
        long bytes = 0;
        for (var pair : pictures) {
            bytes += length(pair.signedPng()) + length(pair.nowPng());
            if (bytes > MAX_PICTURE_BYTES) {
                break; // a page of noise makes a large PNG: the report stays small, the description stays
            }
            byPage.put(pair.page(), new VerificationReport.Pictures(pair.signedPng(), pair.nowPng()));
        }
        List<Change> changes = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (VisualDifference d : result.differences()) {
            String description = describe(d, result);
            described.add(description);
            // the pictures go with the first change of their page
            changes.add(new Change("VISIBLE_CHANGE", d.page(), false, description, byPage.remove(d.page())));
        }
        String failure = "The page now shows what the signer did not see: " + String.join("; ", described.size() > 5
                ? described.subList(0, 5) : described) + (described.size() > 5 ? "; and " + (described.size() - 5)
                + " more" : "") + ".";
        return new Outcome(changes, failure, result.incomplete());
    }

    private static long length(byte[] png) {
        return png == null ? 0 : png.length;
    }

    static String describe(VisualDifference d, VisualComparison.Result result) {
        String region = String.format(Locale.ROOT, "visible change on page %d in region (%.0f, %.0f, %.0f, %.0f)",
                d.page(), d.x(), d.y(), d.w(), d.h());
        if (d.page() > result.signedPages()) {
            return region + ": the page was added after signing";
        }
        if (d.page() > result.currentPages()) {
            return region + ": the signed page is gone";
        }
        if (d.fraction() >= 1.0) {
            return region + ": the page's size or orientation changed";
        }
        return region + String.format(Locale.ROOT, " (x, y, width, height in points; %.2f%% of the page differs)",
                d.fraction() * 100);
    }

    /**
     * The signature fields of a document in the order their revisions were added, and, as each is verified (the
     * latest first), whether its own signature verified cryptographically (the signed bytes match the signature
     * value, or the time-stamp's imprint; whether its signer is trusted is another matter): the widgets of later
     * signatures that did are what the visual proof of an earlier one leaves out.
     */
    static final class Signatures {

        private record Entry(PDSignatureField field, long revisionEnd, List<Exclusion> widgets) {
        }

        private final List<Entry> entries = new ArrayList<>();
        private final Set<COSDictionary> verified =
                Collections.newSetFromMap(new IdentityHashMap<>());

        private final PDDocument document;

        Signatures(PDDocument document, List<PDSignatureField> fields) {
            this.document = document;
            for (PDSignatureField field : fields) {
                entries.add(new Entry(field, revisionEnd(field), widgets(document, field)));
            }
        }

        PDSignatureField field(int index) {
            return entries.get(index).field();
        }

        int size() {
            return entries.size();
        }

        /** The indexes of the fields, the latest revision first (a field with no usable /ByteRange first of all). */
        List<Integer> latestFirst() {
            return IntStream.range(0, entries.size()).boxed()
                    .sorted(Comparator.comparingLong((Integer i) -> entries.get(i).revisionEnd()).reversed()).toList();
        }

        /** The signature (its dictionary) verified cryptographically. */
        void verifiedCryptographically(COSDictionary signature) {
            verified.add(signature);
        }

        /**
         * The widget areas of signatures whose revision ends after {@code revisionEnd} and that verified, on the pages
         * they cover at most a quarter of together: many later marks are no more than one, however many signers (or
         * signatures of one person) they are split into; on a page they cover more of, every box is compared.
         */
        List<Exclusion> widgetsAfter(long revisionEnd) {
            List<Exclusion> areas = new ArrayList<>();
            Map<Integer, Double> covered = new HashMap<>();
            for (Entry entry : entries) {
                if (entry.revisionEnd() > revisionEnd && entry.revisionEnd() != Long.MAX_VALUE
                        && verified.contains(entry.field().getSignature().getCOSObject())) {
                    for (Exclusion area : entry.widgets()) {
                        covered.merge(area.page(), Math.abs((double) area.area().getWidth()
                                * area.area().getHeight()), Double::sum);
                        areas.add(area);
                    }
                }
            }
            areas.removeIf(area -> !small(document.getPage(area.page() - 1), covered.get(area.page())));
            return areas;
        }

        private static long revisionEnd(PDSignatureField field) {
            if (field.getSignature() == null
                    || !(field.getSignature().getCOSObject().getDictionaryObject(COSName.BYTERANGE) instanceof COSArray a)
                    || a.size() != 4 || !(a.getObject(2) instanceof COSNumber start)
                    || !(a.getObject(3) instanceof COSNumber length)) {
                return Long.MAX_VALUE;
            }
            return start.longValue() + length.longValue();
        }

        private static List<Exclusion> widgets(PDDocument document, PDSignatureField field) {
            List<Exclusion> areas = new ArrayList<>();
            if (timeStamp(field)) {
                // a document time-stamp is nobody's mark: what its widget paints is judged as any annotation is
                return areas;
            }
            for (PDAnnotationWidget widget : cn.yinxin.core.pdf.Widgets.of(field)) {
                PDRectangle rect = widget.getRectangle();
                if (rect == null || rect.getWidth() == 0 || rect.getHeight() == 0
                        || widget.isHidden() || widget.isNoView() && !widget.isPrinted()) {
                    continue; // not drawn: nothing of it to leave out (its box would blank what lies beneath)
                }
                int page = pageOf(document, widget);
                if (page > 0) {
                    areas.add(new Exclusion(page, rect, widget.getCOSObject()));
                }
            }
            return areas; // how much they may cover together: widgetsAfter
        }

        private static boolean timeStamp(PDSignatureField field) {
            COSDictionary signature = field.getSignature() == null ? null : field.getSignature().getCOSObject();
            return signature != null && (COSName.DOC_TIME_STAMP.equals(signature.getCOSName(COSName.TYPE))
                    || COSName.getPDFName("ETSI.RFC3161").equals(signature.getCOSName(COSName.SUB_FILTER)));
        }

        /**
         * Later signatures' boxes may cover together at most a quarter of a page: a later signer's seal is drawn
         * where it is stamped, it does not get to replace the page the earlier signer signed.
         */
        private static boolean small(PDPage page, double area) {
            PDRectangle crop = page.getCropBox();
            double pageArea = Math.abs((double) crop.getWidth() * crop.getHeight());
            return area <= pageArea / 4;
        }

        /** The 1-based page that lists the widget among its annotations (its /P may say otherwise), or 0. */
        private static int pageOf(PDDocument document, PDAnnotationWidget widget) {
            PDPage named = widget.getPage();
            if (named != null) {
                int index = document.getPages().indexOf(named);
                if (index >= 0 && lists(named, widget)) {
                    return index + 1;
                }
            }
            int index = 0;
            for (PDPage page : document.getPages()) {
                index++;
                if (lists(page, widget)) {
                    return index;
                }
            }
            return 0;
        }

        private static boolean lists(PDPage page, PDAnnotationWidget widget) {
            try {
                for (PDAnnotation annotation : page.getAnnotations()) {
                    if (annotation.getCOSObject() == widget.getCOSObject()) {
                        return true;
                    }
                }
            } catch (IOException e) {
                return false;
            }
            return false;
        }
    }
}
