package cn.yinxin.core.pdf.handwriting;

import cn.yinxin.core.pdf.verify.DecodeBudget;
import cn.yinxin.core.pdf.verify.LimitExceededException;
import cn.yinxin.core.pdf.PdfDocuments;
import cn.yinxin.core.pdf.verify.RevisionLayout;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceEntry;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Whether a signature carries a handwritten capture ({@link HandwritingAppearance}) and whether the capture is
 * bound to this document: read from the signed revision (so what is checked is what the signature covers), the
 * capture's document hash must be the SHA-256 of exactly the bytes the signature's revision was appended to, and
 * the appearance must draw exactly the captured strokes.
 */
public final class HandwritingCheck {

    /**
     * What was found: the capture, whether it is bound, and why (or why not), in words.
     *
     * @param bound true when the capture names this document (as it was before the signature) and the appearance
     *              draws the captured strokes
     */
    public record Result(Handwriting capture, boolean bound, String explanation) {
    }

    private HandwritingCheck() {
    }

    /**
     * @param pdf        the whole document
     * @param field      the signature field's fully qualified name
     * @param signedEnd  where the signature's byte ranges end (the end of its revision)
     * @return null when the signature's appearance carries no capture
     */
    public static Result check(byte[] pdf, String field, long signedEnd) {
        return check(pdf, field, signedEnd, RevisionLayout.of(pdf), DecodeBudget.defaults());
    }

    public static Result check(byte[] pdf, String field, long signedEnd, RevisionLayout layout, DecodeBudget budget) {
        if (signedEnd <= 0 || signedEnd > pdf.length) {
            return null;
        }
        byte[] signed = signedEnd == pdf.length ? pdf : Arrays.copyOf(pdf, (int) signedEnd);
        COSStream form;
        try (PDDocument revision = PdfDocuments.open(signed)) {
            form = appearance(revision, field);
            if (form == null) {
                return null;
            }
            byte[] data = HandwritingAppearance.captureData(form, budget);
            if (data == null) {
                return null;
            }
            Handwriting capture;
            try {
                capture = Handwriting.fromJson(data);
            } catch (IllegalArgumentException e) {
                return new Result(null, false, "The signature carries handwriting data that cannot be read: "
                        + e.getMessage());
            }
            long before = layout.startOfRevisionEndingAt(signedEnd);
            if (capture.documentLength() <= 0 || capture.documentLength() > before
                    || !blank(pdf, capture.documentLength(), before)) {
                return new Result(capture, false, "The handwritten signature was captured for a document of "
                        + capture.documentLength() + " bytes, but the signature was added to the " + before
                        + " bytes before it: it was captured for another document.");
            }
            String sha256 = sha256(pdf, (int) capture.documentLength());
            if (!sha256.equals(capture.documentSha256())) {
                return new Result(capture, false, "The handwritten signature was captured for document "
                        + capture.documentSha256() + ", but it stands on document " + sha256
                        + ": it was moved from another document.");
            }
            var box = new PDFormXObject(form).getBBox();
            byte[] drawn = HandwritingAppearance.content(form, budget);
            byte[] expected = HandwritingAppearance.draw(capture, box.getWidth(), box.getHeight());
            if (!Arrays.equals(drawn, expected)) {
                return new Result(capture, false, "The signature's appearance does not draw the captured strokes.");
            }
            return new Result(capture, true, "A handwritten signature of " + capture.strokes().size() + " stroke(s), "
                    + "captured at " + capture.capturedAt() + " for this document (SHA-256 " + sha256
                    + " before signing), is part of what was signed.");
        } catch (LimitExceededException e) {
            throw e; // the verification as a whole answers for it, naming the limit
        } catch (IOException | RuntimeException e) {
            return new Result(null, false, "The handwriting data cannot be read: " + e.getMessage());
        }
    }

    /** Whether the field's appearance in the document as it is holds a capture (cheap: no revision is loaded). */
    public static boolean carriesCapture(PDDocument document, String field) {
        try {
            COSStream form = appearance(document, field);
            if (form == null) {
                return false;
            }
            var pieces = form.getCOSDictionary(COSName.getPDFName("PieceInfo"));
            return pieces != null && pieces.getCOSDictionary(HandwritingAppearance.PIECE) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The normal appearance stream of the signature field's widget in the given revision. */
    private static COSStream appearance(PDDocument revision, String name) throws IOException {
        var form = revision.getDocumentCatalog().getAcroForm(null);
        if (form == null) {
            return null;
        }
        PDField field = form.getField(name);
        if (!(field instanceof PDSignatureField signature)) {
            return null;
        }
        for (PDAnnotationWidget widget : cn.yinxin.core.pdf.Widgets.of(signature)) {
            var appearance = widget.getAppearance();
            PDAppearanceEntry normal = appearance == null ? null : appearance.getNormalAppearance();
            if (normal != null && normal.isStream()) {
                return normal.getAppearanceStream().getCOSObject();
            }
        }
        return null;
    }

    /** Only line ends between the captured document's end and the signature's revision (a writer may add one). */
    private static boolean blank(byte[] pdf, long from, long to) {
        for (long i = from; i < to; i++) {
            if (pdf[(int) i] != '\r' && pdf[(int) i] != '\n') {
                return false;
            }
        }
        return to - from <= 2;
    }

    private static String sha256(byte[] pdf, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(pdf, 0, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
