package cn.yinxin.core.pdf;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The sixth red team's crafting, beside the fourth's ({@link RedTeamFourth}), whose edits and verification it uses. */
final class RedTeamSixth {

    private RedTeamSixth() {
    }

    /**
     * The form of {@link PdfCrafting#formPdf(boolean)} ("amount" = 100, its appearance 100) with the value held by a
     * parent field "group" instead: "group.amount" has no /V of its own and shows the 100 it inherits.
     */
    static byte[] inheritedValueForm() throws Exception {
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(false))) {
            COSDictionary form = document.getDocumentCatalog().getAcroForm(null).getCOSObject();
            COSDictionary amount = (COSDictionary) form.getCOSArray(COSName.FIELDS).getObject(0);
            COSDictionary group = new COSDictionary();
            group.setString(COSName.T, "group");
            group.setItem(COSName.FT, COSName.TX);
            group.setItem(COSName.V, amount.getItem(COSName.V));
            COSArray kids = new COSArray();
            kids.add(amount);
            group.setItem(COSName.KIDS, kids);
            amount.removeItem(COSName.V);
            amount.removeItem(COSName.FT);
            amount.setItem(COSName.PARENT, group);
            COSArray fields = new COSArray();
            fields.add(group);
            form.setItem(COSName.FIELDS, fields);
            return TestMaterial.save(document);
        }
    }

    /**
     * Adds an empty, invisible signature field named {@code name} (a form filler may: FORM_FILLING), whose name the
     * report then quotes in "an empty signature field ... was added".
     */
    static RedTeamFourth.Edit emptySignatureFieldNamed(String name) {
        return document -> {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            PDSignatureField field = new PDSignatureField(form);
            field.setPartialName(name);
            PDAnnotationWidget widget = field.getWidgets().getFirst();
            widget.setRectangle(new PDRectangle(0, 0, 0, 0));
            widget.setPage(document.getPage(0));
            document.getPage(0).getAnnotations().add(widget);
            form.getFields().add(field);
            form.getCOSObject().setNeedToBeUpdated(true);
            form.getCOSObject().getCOSArray(COSName.FIELDS).setNeedToBeUpdated(true);
            document.getPage(0).getCOSObject().setNeedToBeUpdated(true);
            document.getPage(0).getCOSObject().getCOSArray(COSName.ANNOTS).setNeedToBeUpdated(true);
        };
    }

    /** A JavaScript action that writes 1,000,000 into the field "amount" (as a reader that runs it shows). */
    static COSDictionary amountScript() {
        COSDictionary script = new COSDictionary();
        script.setItem(COSName.S, COSName.getPDFName("JavaScript"));
        script.setString(COSName.JS, "this.getField('amount').value = '1,000,000';");
        return script;
    }

    /** Additional actions run on opening the page (/PO) and formatting or calculating the field (/F, /C). */
    static COSDictionary onOpenAndFormat(COSDictionary script) {
        COSDictionary actions = new COSDictionary();
        actions.setItem(COSName.getPDFName("PO"), script);
        actions.setItem(COSName.F, script);
        actions.setItem(COSName.C, script);
        return actions;
    }

    /**
     * {@code pdf} signed once more (as {@link PdfCrafting#signLeniently}) by {@code key}, the new signature's widget
     * carrying {@code actions} as its /AA.
     */
    static byte[] signWithActions(byte[] pdf, cn.yinxin.core.pki.keys.SealKey key, COSDictionary actions)
            throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf);
             SignatureOptions options = new SignatureOptions()) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(cn.yinxin.core.pdf.sign.PdfSealer.ETSI_CADES_DETACHED);
            signature.setSignDate(java.util.Calendar.getInstance());
            options.setPreferredSignatureSize(12_000);
            document.addSignature(signature, options);
            for (var field : document.getSignatureFields()) {
                if (field.getCOSObject().getDictionaryObject(COSName.V) == signature.getCOSObject()) {
                    field.getWidgets().getFirst().getCOSObject().setItem(COSName.AA, actions);
                }
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            var external = document.saveIncrementalForExternalSigning(out);
            external.setSignature(new cn.yinxin.core.pki.cms.CadesSigner(key).sign(external.getContent().readAllBytes()));
            return out.toByteArray();
        }
    }

    /**
     * Adds to page 1 a hidden sticky note (nothing to draw) whose page-open action runs {@code script} (none when
     * null), as a commenter may under DocMDP P=3.
     */
    static RedTeamFourth.Edit noteRunning(String script) {
        return document -> {
            COSDictionary note = new COSDictionary();
            note.setItem(COSName.TYPE, COSName.ANNOT);
            note.setItem(COSName.SUBTYPE, COSName.getPDFName("Text"));
            note.setItem(COSName.RECT, new PDRectangle(10, 10, 20, 20).getCOSArray());
            note.setInt(COSName.F, 2);
            if (script != null) {
                COSDictionary action = new COSDictionary();
                action.setItem(COSName.S, COSName.getPDFName("JavaScript"));
                action.setString(COSName.JS, script);
                COSDictionary actions = new COSDictionary();
                actions.setItem(COSName.getPDFName("PO"), action);
                note.setItem(COSName.AA, actions);
            }
            var page = document.getPage(0);
            page.getAnnotations().add(new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText(note));
            page.getCOSObject().setNeedToBeUpdated(true);
        };
    }

    /**
     * Adds to page 1 a stamp over the top of the page painting a black box and APPROVED, drawn under a new layer
     * whose own usage says "off on screen" (/Usage /View /ViewState /OFF), listed in no configuration.
     */
    static RedTeamFourth.Edit stampInALayerOffOnScreen() {
        return document -> {
            RedTeamFourth.stampShowing(PdfCrafting.bytes("0 0 0 rg 0 0 300 100 re f"), null, 650).apply(document);
            var annotations = document.getPage(0).getAnnotations();
            COSDictionary view = new COSDictionary();
            view.setItem(COSName.getPDFName("ViewState"), COSName.getPDFName("OFF"));
            COSDictionary usage = new COSDictionary();
            usage.setItem(COSName.getPDFName("View"), view);
            COSDictionary layer = new COSDictionary();
            layer.setItem(COSName.TYPE, COSName.getPDFName("OCG"));
            layer.setString(COSName.NAME, "approval");
            layer.setItem(COSName.getPDFName("Usage"), usage);
            annotations.getLast().getCOSObject().setItem(COSName.OC, layer);
        };
    }

    /**
     * Adds to page 1, over blank paper (300 x 100 at 72, 300), a stamp writing APPROVED 1,000,000 in white under a
     * graphics state whose transfer function turns white into black.
     */
    static RedTeamFourth.Edit stampWhiteUnderAnInvertingTransfer() {
        return document -> {
            RedTeamFourth.stampShowing(PdfCrafting.bytes("/GS0 gs 1 1 1 rg BT /Helv 28 Tf 10 40 Td "
                    + "(APPROVED 1,000,000) Tj ET"), null, 300).apply(document);
            var annotations = document.getPage(0).getAnnotations();
            var resources = annotations.getLast().getNormalAppearanceStream().getResources();
            resources.put(COSName.getPDFName("Helv"), new org.apache.pdfbox.pdmodel.font.PDType1Font(
                    org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA_BOLD));
            COSDictionary state = new COSDictionary();
            state.setItem(COSName.TYPE, COSName.EXT_G_STATE);
            state.setItem(COSName.TR, inverseTransfer());
            COSDictionary states = new COSDictionary();
            states.setItem(COSName.getPDFName("GS0"), state);
            resources.getCOSObject().setItem(COSName.EXT_G_STATE, states);
        };
    }

    /** The transfer function that turns white into black (and black into white). */
    static COSDictionary inverseTransfer() {
        COSDictionary inverse = new COSDictionary();
        inverse.setInt(COSName.FUNCTION_TYPE, 2);
        inverse.setItem(COSName.DOMAIN, numbers(0, 1));
        inverse.setItem(COSName.C0, numbers(1));
        inverse.setItem(COSName.C1, numbers(0));
        inverse.setInt(COSName.N, 1);
        return inverse;
    }

    /**
     * Prepared before sealing: one page printing "Amount: 100" whose /Contents also names a stream that says it is an
     * object stream (/Type /ObjStm, one unused object 99) and draws nothing, and whose resources hold, unused, a font
     * /FX and a graphics state /GS0 whose transfer function turns white into black.
     */
    static byte[] pageDrawingAnObjectStream() throws Exception {
        try (PDDocument document = new PDDocument()) {
            var page = new org.apache.pdfbox.pdmodel.PDPage(PDRectangle.A4);
            document.addPage(page);
            var helvetica = new org.apache.pdfbox.pdmodel.font.PDType1Font(
                    org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA);
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(document, page)) {
                PdfCrafting.text(content, helvetica, 72, 700, "Amount: 100");
            }
            page.getResources().put(COSName.getPDFName("FX"), helvetica);
            COSDictionary state = new COSDictionary();
            state.setItem(COSName.TYPE, COSName.EXT_G_STATE);
            state.setItem(COSName.TR, inverseTransfer());
            page.getResources().getCOSObject().setItem(COSName.EXT_G_STATE, new COSDictionary());
            page.getResources().getCOSObject().getCOSDictionary(COSName.EXT_G_STATE)
                    .setItem(COSName.getPDFName("GS0"), state);
            var container = document.getDocument().createCOSStream();
            container.setItem(COSName.TYPE, COSName.OBJ_STM);
            container.setInt(COSName.N, 1);
            container.setInt(COSName.FIRST, 5);
            try (var out = container.createOutputStream()) {
                out.write(PdfCrafting.bytes("99 0 << >>"));
            }
            COSArray contents = new COSArray();
            contents.add(page.getCOSObject().getDictionaryObject(COSName.CONTENTS));
            contents.add(container);
            page.getCOSObject().setItem(COSName.CONTENTS, contents);
            return TestMaterial.save(document);
        }
    }

    /**
     * Fills the empty field "remarks" of {@link RedTeamFourth#emptyFieldOverPrintedText()} (its box 60, 690, 300 x 40
     * over the printed "Amount: 100" at 72, 705) with 1,000,000: its appearance first paints the lower part of the box
     * black under a graphics state of blend mode /Lighten and a transfer function turning black into white, then writes
     * "Amount: 1,000,000" above, where the page was blank. {@code inPlace}: the widget's own appearance stream is
     * defined anew instead of a new one named.
     */
    static RedTeamFourth.Edit fillErasingWhatThePagePrinted(boolean inPlace) {
        return document -> {
            var form = document.getDocumentCatalog().getAcroForm(null);
            var field = (org.apache.pdfbox.pdmodel.interactive.form.PDTextField) form.getField("remarks");
            field.getCOSObject().setItem(COSName.V, new org.apache.pdfbox.cos.COSString("1,000,000"));
            field.getCOSObject().setNeedToBeUpdated(true);
            var stream = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream(document);
            stream.setBBox(new PDRectangle(300, 40));
            var resources = new org.apache.pdfbox.pdmodel.PDResources();
            resources.put(COSName.getPDFName("Helv"), new org.apache.pdfbox.pdmodel.font.PDType1Font(
                    org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA));
            COSDictionary state = new COSDictionary();
            state.setItem(COSName.TYPE, COSName.EXT_G_STATE);
            state.setItem(COSName.TR, inverseTransfer());
            state.setItem(COSName.BM, COSName.getPDFName("Lighten"));
            COSDictionary states = new COSDictionary();
            states.setItem(COSName.getPDFName("GS0"), state);
            resources.getCOSObject().setItem(COSName.EXT_G_STATE, states);
            stream.setResources(resources);
            try (var out = stream.getContentStream().createOutputStream()) {
                out.write(PdfCrafting.bytes("q /GS0 gs 0 g 0 0 300 26 re f Q "
                        + "BT /Helv 12 Tf 0 g 12 28 Td (Amount: 1,000,000) Tj ET"));
            }
            var widget = field.getWidgets().getFirst();
            if (inPlace) {
                // the widget's own appearance stream defined anew under its object number, the widget untouched
                var own = widget.getNormalAppearanceStream().getCOSObject();
                own.setItem(COSName.RESOURCES, resources.getCOSObject());
                own.setItem(COSName.BBOX, stream.getBBox().getCOSArray());
                try (var out = own.createOutputStream(); var in = stream.getContentStream().createInputStream()) {
                    in.transferTo(out);
                }
                own.setNeedToBeUpdated(true);
                return;
            }
            var appearance = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary();
            appearance.setNormalAppearance(stream);
            widget.setAppearance(appearance);
            widget.getCOSObject().setNeedToBeUpdated(true);
        };
    }

    private static COSArray numbers(int... values) {
        COSArray array = new COSArray();
        for (int value : values) {
            array.add(org.apache.pdfbox.cos.COSInteger.get(value));
        }
        return array;
    }

    /** The lines of a PDF's text that start at its left margin ({@code margin} points or less), stripped. */
    static List<String> linesAtTheMargin(byte[] pdf, float margin) throws Exception {
        List<String> lines = new ArrayList<>();
        PDFTextStripper stripper = new PDFTextStripper() {
            private StringBuilder line;
            private float x;

            @Override
            protected void writeString(String text, List<TextPosition> positions) throws IOException {
                if (line == null) {
                    line = new StringBuilder();
                    x = positions.isEmpty() ? Float.MAX_VALUE : positions.getFirst().getXDirAdj();
                }
                line.append(text).append(' ');
                super.writeString(text, positions);
            }

            @Override
            protected void writeLineSeparator() throws IOException {
                if (line != null && x <= margin) {
                    lines.add(line.toString().strip());
                }
                line = null;
                super.writeLineSeparator();
            }
        };
        try (PDDocument document = Loader.loadPDF(pdf)) {
            stripper.getText(document);
        }
        return lines;
    }

    /** Sets the /V of the field {@code name} (fully qualified) to {@code value}, nothing else: its appearance stays. */
    static RedTeamFourth.Edit valueOnly(String name, String value) {
        return document -> {
            var field = document.getDocumentCatalog().getAcroForm(null).getField(name).getCOSObject();
            field.setItem(COSName.V, new COSString(value));
            field.setNeedToBeUpdated(true);
        };
    }
}
