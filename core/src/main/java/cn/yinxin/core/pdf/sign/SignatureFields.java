package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.appearance.PageGeometry;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The form side of a seal (ISO 32000-1 12.7.4.5): a new signature field with its widget, or an empty field the
 * author prepared, and the locked stamp annotations that carry the other strips of a cross-page seal.
 */
final class SignatureFields {

    private SignatureFields() {
    }

    /** An empty signature field found by name: the field, its widget, where its centre is, and its visible size. */
    record EmptyField(PDSignatureField field, PDAnnotationWidget widget, SealPlacement placement,
                      double widthMm, double heightMm) {
    }

    static PDPage page(PDDocument document, int number) {
        int count = document.getNumberOfPages();
        if (number < 1 || number > count) {
            throw new RejectedException(Problem.PAGE_OUT_OF_RANGE,
                    "Page " + number + " was asked for; the document has " + count + " page(s).");
        }
        return document.getPage(number - 1);
    }

    /** The pages a cross-page seal is cut across, or null for a seal on one page. */
    static List<PDPage> crossPages(PDDocument document, SealPlacement placement) {
        if (placement.crossPages() == null) {
            return null;
        }
        List<PDPage> pages = new ArrayList<>();
        for (int number : placement.crossPages()) {
            pages.add(page(document, number));
        }
        return pages;
    }

    /**
     * The unsigned signature field of this name, with the page its widget lies on and the widget's centre and size
     * as a reader measures them (after /Rotate); anything else is refused.
     */
    static EmptyField emptyField(PDDocument document, String name) {
        PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
        PDField field = form == null ? null : form.getField(name);
        if (!(field instanceof PDSignatureField signatureField)
                || signatureField.getCOSObject().getDictionaryObject(COSName.V) != null
                || signatureField.getWidgets().isEmpty()) {
            throw new RejectedException(Problem.SIGNATURE_FIELD_NOT_FOUND, "The document has no empty signature field \""
                    + name + "\".");
        }
        PDAnnotationWidget widget = signatureField.getWidgets().get(0);
        int number = pageOf(document, widget);
        PDRectangle rect = widget.getRectangle();
        if (number == 0 || rect == null || rect.getWidth() <= 0 || rect.getHeight() <= 0) {
            throw new RejectedException(Problem.SIGNATURE_FIELD_NOT_FOUND, "The signature field \"" + name
                    + "\" is not shown on any page, so nothing can be signed into it.");
        }
        double[] visible = PageGeometry.visibleMm(document.getPage(number - 1), rect);
        return new EmptyField(signatureField, widget, new SealPlacement(number, visible[0], visible[1],
                null, null, name), visible[2], visible[3]);
    }

    /** The number of the first page whose annotations hold this widget, or 0. */
    private static int pageOf(PDDocument document, PDAnnotationWidget widget) {
        for (int i = 0; i < document.getNumberOfPages(); i++) {
            try {
                for (PDAnnotation annotation : document.getPage(i).getAnnotations()) {
                    if (annotation.getCOSObject() == widget.getCOSObject()) {
                        return i + 1;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return 0;
    }

    /** Signs into the prepared field: its value becomes this signature, its widget shows it. */
    static PDAnnotationWidget fill(EmptyField empty, PDPage page, PDSignature signature) {
        empty.field().getCOSObject().setItem(COSName.V, signature);
        PDAnnotationWidget widget = empty.widget();
        widget.setPage(page);
        widget.setPrinted(true);
        widget.setLocked(true);
        return widget;
    }

    /** A new signature field whose value is {@code signature}, with its widget on {@code page}. */
    static PDAnnotationWidget addSignatureField(PDDocument document, PDPage page, PDSignature signature)
            throws IOException {
        PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
        if (form == null) {
            form = new PDAcroForm(document);
            document.getDocumentCatalog().setAcroForm(form);
        }
        PDSignatureField field = new PDSignatureField(form);
        field.getCOSObject().setItem(COSName.V, signature);
        PDAnnotationWidget widget = field.getWidgets().get(0);
        widget.setPage(page);
        widget.setPrinted(true);
        widget.setLocked(true);

        List<PDField> fields = new ArrayList<>(form.getFields());
        fields.add(field);
        form.setFields(fields);
        addAnnotation(page, widget);
        return widget;
    }

    /**
     * A strip of a cross-page seal on a page other than the signature's own: a locked stamp annotation, written in
     * the same revision as the signature, so the signature covers it like the rest of the document.
     */
    static PDAnnotation addStrip(PDPage page) {
        PDAnnotation strip = new PDAnnotationRubberStamp();
        strip.setPrinted(true);
        strip.setLocked(true);
        strip.setReadOnly(true);
        strip.setPage(page);
        addAnnotation(page, strip);
        return strip;
    }

    private static void addAnnotation(PDPage page, PDAnnotation annotation) {
        try {
            List<PDAnnotation> annotations = new ArrayList<>(page.getAnnotations());
            annotations.add(annotation);
            page.setAnnotations(annotations);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
