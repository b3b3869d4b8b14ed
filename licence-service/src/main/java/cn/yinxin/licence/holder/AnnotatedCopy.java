package cn.yinxin.licence.holder;

import cn.yinxin.core.pdf.PdfText;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.multipdf.LayerUtility;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.util.Matrix;

import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A 加注件 before sealing: a new PDF whose page shows the licence's first page as it looks (its content with the
 * appearances of its seal and QR code drawn in) and a red annotation box "仅供<purpose>使用，<office>，有效期至<date>",
 * with the sealed original embedded as an attachment ({@code original-licence.pdf}). The copy is then sealed by
 * the seal service over the box.
 *
 * <p>Why a new document rather than an annotation added to the sealed licence: our verifier (core/pdf
 * RevisionComparison) holds a sealed document without certification to "form filling and signing only", so a
 * text annotation added after the licence seal would make that seal fail (the "evil annotation" attack). The
 * original stays byte for byte in the attachment, its seal valid, and the copy has a seal of its own.
 */
final class AnnotatedCopy {

    /** Where the annotation box lies, in points from the bottom-left; the seal is centred on it. */
    static final float BOX_X = 165;
    static final float BOX_Y = 60;
    static final float BOX_W = 215;
    static final float BOX_H = 80;

    private AnnotatedCopy() {
    }

    /** The seal's centre in mm from the top-left (the stamp API's coordinates) for an A4 page. */
    static double sealXMm() {
        return (BOX_X + BOX_W / 2) * 25.4 / 72;
    }

    static double sealYMm(float pageHeight) {
        return (pageHeight - BOX_Y - BOX_H / 2) * 25.4 / 72;
    }

    static byte[] make(byte[] sealedLicence, String annotation, String title, Path font) {
        try (PDDocument original = Loader.loadPDF(sealedLicence); PDDocument copy = new PDDocument()) {
            PDPage source = original.getPage(0);
            flattenAnnotations(original, source);
            PDFormXObject form = new LayerUtility(copy).importPageAsForm(original, source);
            PDRectangle box = source.getMediaBox();
            PDPage page = new PDPage(new PDRectangle(box.getWidth(), box.getHeight()));
            copy.addPage(page);
            // the fonts cut to the annotation's characters (PdfText.forText: no whole CJK font per copy)
            PdfText text = PdfText.forText(copy, font, List.of(annotation));
            try (PDPageContentStream content = new PDPageContentStream(copy, page)) {
                content.saveGraphicsState();
                content.transform(Matrix.getTranslateInstance(-box.getLowerLeftX(), -box.getLowerLeftY()));
                content.drawForm(form);
                content.restoreGraphicsState();
                content.setNonStrokingColor(Color.WHITE);
                content.addRect(BOX_X, BOX_Y, BOX_W, BOX_H);
                content.fill();
                content.setStrokingColor(new Color(0xb2, 0x22, 0x22));
                content.setLineWidth(1.5f);
                content.addRect(BOX_X, BOX_Y, BOX_W, BOX_H);
                content.stroke();
                content.setNonStrokingColor(new Color(0xb2, 0x22, 0x22));
                // the whole text inside the box, the office and end date included, whatever the purpose's length
                AnnotationFit.Fitted fitted = AnnotationFit.fit(annotation, BOX_W, BOX_H, (size, width) ->
                        text.wrap(annotation, size, width));
                float y = BOX_Y + BOX_H - fitted.first();
                for (String line : fitted.lines()) {
                    text.show(content, line, fitted.size(), BOX_X + 8, y);
                    y -= fitted.leading();
                }
            }
            embed(copy, sealedLicence);
            PDDocumentInformation info = copy.getDocumentInformation();
            info.setTitle(title);
            info.setSubject(annotation);
            info.setProducer("Yinxin licence-service");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            copy.save(out);
            text.close();   // whole fonts given back (a text beyond U+FFFF); nothing to do for cut ones
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("the annotated copy cannot be written", e);
        }
    }

    /** Draws each visible annotation's normal appearance into the page content (in this loaded copy only). */
    private static void flattenAnnotations(PDDocument document, PDPage page) throws IOException {
        try (PDPageContentStream content = new PDPageContentStream(document, page, PDPageContentStream.AppendMode.APPEND,
                true, true)) {
            for (PDAnnotation annotation : page.getAnnotations()) {
                if (annotation.isHidden() || annotation.isNoView() || annotation.getAppearance() == null) {
                    continue;
                }
                PDAppearanceStream appearance = annotation.getAppearance().getNormalAppearance() == null ? null
                        : annotation.getAppearance().getNormalAppearance().isStream()
                        ? annotation.getAppearance().getNormalAppearance().getAppearanceStream() : null;
                PDRectangle rect = annotation.getRectangle();
                if (appearance == null || rect == null || appearance.getBBox() == null
                        || appearance.getBBox().getWidth() <= 0 || appearance.getBBox().getHeight() <= 0) {
                    continue;
                }
                PDRectangle bbox = appearance.getBBox();
                float sx = rect.getWidth() / bbox.getWidth();
                float sy = rect.getHeight() / bbox.getHeight();
                content.saveGraphicsState();
                content.transform(new Matrix(sx, 0, 0, sy, rect.getLowerLeftX() - bbox.getLowerLeftX() * sx,
                        rect.getLowerLeftY() - bbox.getLowerLeftY() * sy));
                content.drawForm(appearance);
                content.restoreGraphicsState();
            }
        }
    }

    private static void embed(PDDocument copy, byte[] original) throws IOException {
        PDEmbeddedFile file = new PDEmbeddedFile(copy, new ByteArrayInputStream(original),
                COSName.FLATE_DECODE); // compressed: no raw "n 0 obj" of the original in the copy
        file.setSubtype("application/pdf");
        file.setSize(original.length);
        PDComplexFileSpecification spec = new PDComplexFileSpecification();
        spec.setFile("original-licence.pdf");
        spec.setFileUnicode("original-licence.pdf");
        spec.setEmbeddedFile(file);
        spec.setFileDescription("The sealed licence this copy was made from");
        PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
        tree.setNames(Map.of("original-licence.pdf", spec));
        PDDocumentNameDictionary names = new PDDocumentNameDictionary(copy.getDocumentCatalog());
        names.setEmbeddedFiles(tree);
        copy.getDocumentCatalog().setNames(names);
    }
}
