package cn.yinxin.core.pdf;

import cn.yinxin.core.pki.keys.SealKey;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.PdfDictionary;
import com.lowagie.text.pdf.PdfName;
import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.PdfSignature;
import com.lowagie.text.pdf.PdfSignatureAppearance;
import com.lowagie.text.pdf.PdfStamper;
import com.lowagie.text.pdf.PdfString;
import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.SignatureAlgorithm;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.SignatureValue;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.pades.PAdESSignatureParameters;
import eu.europa.esig.dss.pades.PAdESTimestampParameters;
import eu.europa.esig.dss.pades.SignatureFieldParameters;
import eu.europa.esig.dss.pades.SignatureImageParameters;
import eu.europa.esig.dss.pades.SignatureImageTextParameters;
import eu.europa.esig.dss.pades.signature.PAdESService;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Calendar;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.function.Consumer;

/**
 * Genuine signed documents as other products make them: EU DSS (its own PDFBox-based writer, B-B to B-LTA, visible
 * signatures, existing fields), OpenPDF (its own writer and signature layout), and PDFBox used as other products
 * use it (certification, form filling, comments, an Acrobat-like DSS dictionary). None of it goes through
 * Yinxin's sealer or CMS code.
 */
final class ForeignProducers {

    private ForeignProducers() {
    }

    // ---- EU DSS ------------------------------------------------------------------------------------------------

    static byte[] dss(ForeignPki pki, byte[] pdf, SealKey key, SignatureLevel level,
                      Consumer<PAdESSignatureParameters> tweak) throws Exception {
        PAdESSignatureParameters parameters = new PAdESSignatureParameters();
        parameters.setSignatureLevel(level);
        parameters.setDigestAlgorithm(DigestAlgorithm.SHA256);
        parameters.setSigningCertificate(new CertificateToken(key.certificate()));
        parameters.setCertificateChain(key.chain().stream().map(CertificateToken::new).toList());
        tweak.accept(parameters);
        PAdESService service = dssService(pki);
        InMemoryDocument document = new InMemoryDocument(pdf);
        var toBeSigned = service.getDataToSign(document, parameters);
        var jca = java.security.Signature.getInstance(jcaAlgorithm(key));
        jca.initSign(key.privateKey());
        jca.update(toBeSigned.getBytes());
        SignatureValue value = new SignatureValue(rsa(key) ? SignatureAlgorithm.RSA_SHA256
                : SignatureAlgorithm.ECDSA_SHA256, jca.sign());
        try (var in = service.signDocument(document, parameters, value).openStream()) {
            return in.readAllBytes();
        }
    }

    /** DSS extends every signature of {@code pdf} to {@code level} (B-LT: a DSS dictionary; B-LTA: and a document time-stamp). */
    static byte[] dssExtend(ForeignPki pki, byte[] pdf, SignatureLevel level) throws Exception {
        PAdESSignatureParameters parameters = new PAdESSignatureParameters();
        parameters.setSignatureLevel(level);
        try (var in = dssService(pki).extendDocument(new InMemoryDocument(pdf), parameters).openStream()) {
            return in.readAllBytes();
        }
    }

    /** A document time-stamp by DSS alone (no signature of its own). */
    static byte[] dssDocumentTimeStamp(ForeignPki pki, byte[] pdf) throws Exception {
        try (var in = dssService(pki).timestamp(new InMemoryDocument(pdf), new PAdESTimestampParameters())
                .openStream()) {
            return in.readAllBytes();
        }
    }

    private static PAdESService dssService(ForeignPki pki) {
        var verifier = pki.dssVerifier();
        PAdESService service = new PAdESService(verifier);
        service.setTspSource(pki.tspSource());
        return service;
    }

    /** A visible signature: the red square and two lines of text, at (x, y) on page 1, or into field {@code field}. */
    static Consumer<PAdESSignatureParameters> visible(String field, float x, float y) {
        return parameters -> {
            SignatureImageParameters image = new SignatureImageParameters();
            try {
                image.setImage(new InMemoryDocument(TestMaterial.redSquarePng(), "seal.png"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            SignatureFieldParameters placement = new SignatureFieldParameters();
            if (field != null) {
                placement.setFieldId(field);
            } else {
                placement.setPage(1);
                placement.setOriginX(x);
                placement.setOriginY(y);
                placement.setWidth(160);
                placement.setHeight(60);
            }
            image.setFieldParameters(placement);
            SignatureImageTextParameters text = new SignatureImageTextParameters();
            text.setText("Signed by Foreign\nApproved");
            image.setTextParameters(text);
            parameters.setImageParameters(image);
        };
    }

    /** Whether OpenPDF writes its next updates compressed (object and cross-reference streams); tests set it. */
    static boolean compressNext;

    // ---- OpenPDF -----------------------------------------------------------------------------------------------

    /**
     * OpenPDF appends a signature (adbe.pkcs7.detached, a CMS made with Bouncy Castle over its range stream), visible
     * with its own layer texts when {@code visible}.
     */
    static byte[] openPdf(byte[] pdf, SealKey key, boolean visible, String field) throws Exception {
        return openPdf(pdf, key, visible, field, PdfSignatureAppearance.NOT_CERTIFIED);
    }

    /** As {@link #openPdf(byte[], SealKey, boolean, String)}, certifying at OpenPDF's {@code level} (1-3 as DocMDP P). */
    static byte[] openPdf(byte[] pdf, SealKey key, boolean visible, String field, int level) throws Exception {
        PdfReader reader = new PdfReader(pdf);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PdfStamper stamper = PdfStamper.createSignature(reader, out, '\0', null, true);
        if (compressNext) {
            stamper.setFullCompression(); // its update in an object stream with a cross-reference stream
        }
        PdfSignatureAppearance appearance = stamper.getSignatureAppearance();
        appearance.setCrypto(null, key.chain().toArray(new java.security.cert.Certificate[0]), null, null);
        appearance.setReason("Approved by OpenPDF");
        appearance.setLocation("Brussels");
        appearance.setSignDate(Calendar.getInstance());
        if (field != null) {
            appearance.setVisibleSignature(field);
        } else if (visible) {
            appearance.setVisibleSignature(new Rectangle(300, 600, 500, 680), 1, null);
        }
        PdfSignature dictionary = new PdfSignature(PdfName.ADOBE_PPKLITE, PdfName.ADBE_PKCS7_DETACHED);
        dictionary.setReason(appearance.getReason());
        dictionary.setLocation(appearance.getLocation());
        dictionary.setDate(new com.lowagie.text.pdf.PdfDate(appearance.getSignDate()));
        appearance.setCryptoDictionary(dictionary);
        appearance.setCertificationLevel(level);
        int size = 12_000;
        HashMap<PdfName, Integer> exclusions = new HashMap<>();
        exclusions.put(PdfName.CONTENTS, size * 2 + 2);
        appearance.preClose(exclusions);
        byte[] cms = cms(appearance.getRangeStream().readAllBytes(), key);
        byte[] padded = java.util.Arrays.copyOf(cms, size);
        PdfDictionary update = new PdfDictionary();
        update.put(PdfName.CONTENTS, new PdfString(padded).setHexWriting(true));
        appearance.close(update);
        return out.toByteArray();
    }

    /** OpenPDF fills the field {@code name} in append mode (its own incremental update). */
    static byte[] openPdfFill(byte[] pdf, String name, String value) throws Exception {
        PdfReader reader = new PdfReader(pdf);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PdfStamper stamper = new PdfStamper(reader, out, '\0', true);
        if (compressNext) {
            stamper.setFullCompression();
        }
        stamper.getAcroFields().setField(name, value);
        stamper.close();
        return out.toByteArray();
    }

    /** OpenPDF adds a sticky note (its own Text annotation) in append mode. */
    static byte[] openPdfComment(byte[] pdf, String text) throws Exception {
        PdfReader reader = new PdfReader(pdf);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PdfStamper stamper = new PdfStamper(reader, out, '\0', true);
        var note = com.lowagie.text.pdf.PdfAnnotation.createText(stamper.getWriter(), new Rectangle(400, 750, 420, 770),
                "Reviewer", text, false, "Comment");
        stamper.addAnnotation(note, 1);
        stamper.close();
        return out.toByteArray();
    }

    // ---- PDFBox as other products use it -----------------------------------------------------------------------

    /**
     * PDFBox signs (ETSI.CAdES.detached, Bouncy Castle's CMS) into {@code field} if given, certifying with DocMDP
     * {@code docMdp} (1-3) if not 0.
     */
    static byte[] pdfBox(byte[] pdf, SealKey key, String field, int docMdp) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf); SignatureOptions options = new SignatureOptions()) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(COSName.getPDFName("ETSI.CAdES.detached"));
            signature.setSignDate(Calendar.getInstance());
            signature.setReason("Approved with PDFBox");
            if (field != null) {
                document.getDocumentCatalog().getAcroForm(null).getField(field).getCOSObject()
                        .setItem(COSName.V, signature);
            }
            if (docMdp != 0) {
                certify(document, signature, docMdp);
            }
            options.setPreferredSignatureSize(12_000);
            document.addSignature(signature, options);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            var external = document.saveIncrementalForExternalSigning(out);
            external.setSignature(cms(external.getContent().readAllBytes(), key));
            return out.toByteArray();
        }
    }

    /**
     * PDFBox's own visible signature (its PDVisibleSignDesigner template, as PDFBox's CreateVisibleSignature example
     * and the products built on it make it): a new field on page 1 at (x, y) from the top left, showing the red square.
     */
    static byte[] pdfBoxVisible(byte[] pdf, SealKey key, float x, float y) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf); SignatureOptions options = new SignatureOptions()) {
            var designer = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.visible.PDVisibleSignDesigner(
                    document, new java.io.ByteArrayInputStream(TestMaterial.redSquarePng()), 1);
            designer.xAxis(x).yAxis(y).zoom(-50);
            var properties = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.visible.PDVisibleSigProperties();
            properties.signerName("PDFBox").signerLocation("Brussels").signatureReason("Approved").page(1)
                    .visualSignEnabled(true).setPdVisibleSignature(designer);
            properties.buildSignature();
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED);
            signature.setSignDate(Calendar.getInstance());
            options.setVisualSignature(properties.getVisibleSignature());
            options.setPage(0);
            options.setPreferredSignatureSize(12_000);
            document.addSignature(signature, options);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            var external = document.saveIncrementalForExternalSigning(out);
            external.setSignature(cms(external.getContent().readAllBytes(), key));
            return out.toByteArray();
        }
    }

    /** PDFBox's own example (CreateSignature's setMDPPermission): a /Reference with a DocMDP transform, /Perms. */
    private static void certify(PDDocument document, PDSignature signature, int permission) {
        COSDictionary params = new COSDictionary();
        params.setItem(COSName.TYPE, COSName.getPDFName("TransformParams"));
        params.setInt(COSName.P, permission);
        params.setName(COSName.V, "1.2");
        COSDictionary reference = new COSDictionary();
        reference.setItem(COSName.TYPE, COSName.getPDFName("SigRef"));
        reference.setItem(COSName.getPDFName("TransformMethod"), COSName.DOCMDP);
        reference.setItem(COSName.DIGEST_METHOD, COSName.getPDFName("SHA256"));
        reference.setItem(COSName.getPDFName("TransformParams"), params);
        COSArray references = new COSArray();
        references.add(reference);
        signature.getCOSObject().setItem(COSName.getPDFName("Reference"), references);
        COSDictionary perms = new COSDictionary();
        perms.setItem(COSName.DOCMDP, signature);
        document.getDocumentCatalog().getCOSObject().setItem(COSName.PERMS, perms);
        document.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
    }

    /** One page with text, a text field "name" and an empty signature field "Approval" (PDFBox, compressed save). */
    static byte[] formWithEmptySignatureField() throws IOException {
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(false))) {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            PDPage page = document.getPage(0);
            PDSignatureField approval = new PDSignatureField(form);
            approval.setPartialName("Approval");
            PDAnnotationWidget widget = approval.getWidgets().get(0);
            widget.setRectangle(new PDRectangle(300, 500, 200, 80));
            widget.setPage(page);
            widget.setPrinted(true);
            page.getAnnotations().add(widget);
            form.getFields().add(approval);
            form.setSignaturesExist(true);
            form.setAppendOnly(true);
            return TestMaterial.save(document);
        }
    }

    /**
     * A two-page form as form designers make it: page 1 the text field "amount", a check box "agree" (off), a combo
     * box "city" and an empty signature field "Approval"; page 2 some text and an empty signature field "Second".
     */
    static byte[] richForm() throws IOException {
        try (PDDocument document = Loader.loadPDF(formWithEmptySignatureField())) {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            PDPage page = document.getPage(0);
            var agree = new org.apache.pdfbox.pdmodel.interactive.form.PDCheckBox(form);
            agree.setPartialName("agree");
            PDAnnotationWidget box = agree.getWidgets().get(0);
            box.setRectangle(new PDRectangle(72, 650, 14, 14));
            box.setPage(page);
            box.setPrinted(true);
            var appearance = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary();
            COSDictionary normal = new COSDictionary();
            normal.setItem(COSName.getPDFName("Yes"), appearanceStream(document, "0 g 0.5 0.5 13 13 re S 2 2 10 10 re f"));
            normal.setItem(COSName.Off, appearanceStream(document, "0 g 0.5 0.5 13 13 re S"));
            appearance.getCOSObject().setItem(COSName.N, normal);
            box.setAppearance(appearance);
            box.getCOSObject().setItem(COSName.AS, COSName.Off);
            page.getAnnotations().add(box);
            form.getFields().add(agree);
            var city = new org.apache.pdfbox.pdmodel.interactive.form.PDComboBox(form);
            city.setPartialName("city");
            city.setOptions(java.util.List.of("Fuzhou", "Xiamen", "Quanzhou"));
            city.setDefaultAppearance("/Helv 12 Tf 0 g");
            PDAnnotationWidget cityWidget = city.getWidgets().get(0);
            cityWidget.setRectangle(new PDRectangle(72, 600, 150, 20));
            cityWidget.setPage(page);
            cityWidget.setPrinted(true);
            page.getAnnotations().add(cityWidget);
            form.getFields().add(city);
            city.setValue("Fuzhou");
            PDPage second = new PDPage(PDRectangle.A4);
            document.addPage(second);
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(document, second)) {
                PdfCrafting.text(content, new PDType1Font(Standard14Fonts.FontName.HELVETICA), 72, 700, "Page two");
            }
            PDSignatureField secondField = new PDSignatureField(form);
            secondField.setPartialName("Second");
            PDAnnotationWidget widget = secondField.getWidgets().get(0);
            widget.setRectangle(new PDRectangle(300, 300, 200, 80));
            widget.setPage(second);
            widget.setPrinted(true);
            second.getAnnotations().add(widget);
            form.getFields().add(secondField);
            return TestMaterial.save(document);
        }
    }

    private static COSStream appearanceStream(PDDocument document, String drawing) throws IOException {
        var stream = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream(document);
        stream.setBBox(new PDRectangle(14, 14));
        try (var out = stream.getContentStream().createOutputStream()) {
            out.write(drawing.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return stream.getCOSObject();
    }

    /** {@code pdf} with a multiple-selection list box "services" (options A to D, none selected) on page 1. */
    static byte[] withListBox(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            PDPage page = document.getPage(0);
            var services = new org.apache.pdfbox.pdmodel.interactive.form.PDListBox(form);
            services.setPartialName("services");
            services.setOptions(java.util.List.of("A", "B", "C", "D"));
            services.setMultiSelect(true);
            services.setDefaultAppearance("/Helv 10 Tf 0 g");
            PDAnnotationWidget widget = services.getWidgets().get(0);
            widget.setRectangle(new PDRectangle(300, 640, 120, 50));
            widget.setPage(page);
            widget.setPrinted(true);
            page.getAnnotations().add(widget);
            form.getFields().add(services);
            services.setValue(java.util.List.of());
            return TestMaterial.save(document);
        }
    }

    /** {@code pdf} with a radio group "size" (S, M, L; none chosen), each button framed in both states, on page 1. */
    static byte[] withRadios(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            PDPage page = document.getPage(0);
            var size = new org.apache.pdfbox.pdmodel.interactive.form.PDRadioButton(form);
            size.setPartialName("size");
            java.util.List<PDAnnotationWidget> widgets = new java.util.ArrayList<>();
            String[] choices = {"S", "M", "L"};
            for (int i = 0; i < choices.length; i++) {
                PDAnnotationWidget button = new PDAnnotationWidget();
                button.setRectangle(new PDRectangle(300 + 30 * i, 560, 14, 14));
                button.setPage(page);
                button.setPrinted(true);
                var appearance = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary();
                COSDictionary normal = new COSDictionary();
                normal.setItem(COSName.getPDFName(choices[i]),
                        appearanceStream(document, "0 g 0.5 0.5 13 13 re S 4 4 6 6 re f"));
                normal.setItem(COSName.Off, appearanceStream(document, "0 g 0.5 0.5 13 13 re S"));
                appearance.getCOSObject().setItem(COSName.N, normal);
                button.setAppearance(appearance);
                button.getCOSObject().setItem(COSName.AS, COSName.Off);
                button.getCOSObject().setItem(COSName.PARENT, size.getCOSObject());
                widgets.add(button);
                page.getAnnotations().add(button);
            }
            size.setWidgets(widgets);
            form.getFields().add(size);
            return TestMaterial.save(document);
        }
    }

    /** PDFBox chooses {@code choice} in the radio group "size". */
    static byte[] choose(byte[] pdf, String choice) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            var size = document.getDocumentCatalog().getAcroForm(null).getField("size");
            size.setValue(choice);
            size.getCOSObject().setNeedToBeUpdated(true);
            size.getWidgets().forEach(w -> w.getCOSObject().setNeedToBeUpdated(true));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /**
     * As {@link #choose}, with the chosen button's "on" appearance drawing {@code drawing} instead (a filler's own
     * appearance, part of the fill for the change rules).
     */
    static byte[] chooseDrawing(byte[] pdf, String choice, String drawing) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            var size = document.getDocumentCatalog().getAcroForm(null).getField("size");
            size.setValue(choice);
            size.getCOSObject().setNeedToBeUpdated(true);
            for (PDAnnotationWidget widget : size.getWidgets()) {
                widget.getCOSObject().setNeedToBeUpdated(true);
                COSDictionary normal = widget.getCOSObject().getCOSDictionary(COSName.AP).getCOSDictionary(COSName.N);
                if (normal.containsKey(COSName.getPDFName(choice))) {
                    normal.setItem(COSName.getPDFName(choice), appearanceStream(document, drawing));
                    normal.setNeedToBeUpdated(true);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /** PDFBox selects {@code values} in the list box "services" (it writes /V and the indices /I). */
    static byte[] selectServices(byte[] pdf, java.util.List<String> values) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            var services = (org.apache.pdfbox.pdmodel.interactive.form.PDListBox) document.getDocumentCatalog()
                    .getAcroForm(null).getField("services");
            services.setValue(values);
            services.getCOSObject().setNeedToBeUpdated(true);
            services.getWidgets().forEach(w -> w.getCOSObject().setNeedToBeUpdated(true));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /** PDFBox ticks "agree" and picks {@code city} (unless null) in an incremental update, as a form filler does. */
    static byte[] fillRich(byte[] pdf, String city) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            var agree = (org.apache.pdfbox.pdmodel.interactive.form.PDCheckBox) form.getField("agree");
            agree.check();
            agree.getCOSObject().setNeedToBeUpdated(true);
            agree.getWidgets().forEach(w -> w.getCOSObject().setNeedToBeUpdated(true));
            if (city != null) {
                var choice = form.getField("city");
                choice.setValue(city);
                choice.getCOSObject().setNeedToBeUpdated(true);
                choice.getWidgets().forEach(w -> w.getCOSObject().setNeedToBeUpdated(true));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /** An incremental update (PDFBox) that sets {@code key} to {@code value} in the field {@code name}. */
    static byte[] setOnField(byte[] pdf, String name, String key, org.apache.pdfbox.cos.COSBase value)
            throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            COSDictionary field = document.getDocumentCatalog().getAcroForm(null).getField(name).getCOSObject();
            field.setItem(COSName.getPDFName(key), value);
            field.setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /** A sticky note (Text annotation) on page 1, appended by PDFBox as a commenting tool does. */
    static byte[] comment(byte[] pdf, String text) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDPage page = document.getPage(0);
            PDAnnotationText note = new PDAnnotationText();
            note.setRectangle(new PDRectangle(400, 750, 20, 20));
            note.setContents(text);
            note.setPage(page);
            note.setPrinted(true);
            note.constructAppearances(document);
            page.getAnnotations().add(note);
            page.getCOSObject().setNeedToBeUpdated(true);
            page.getCOSObject().getCOSArray(COSName.ANNOTS).setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /**
     * A Text annotation (sticky note) at {@code box} on page 1 whose appearance is {@code drawing} (content stream in
     * the box's own coordinates), with annotation flags {@code flags}: appended by PDFBox.
     */
    static byte[] note(byte[] pdf, PDRectangle box, int flags, String drawing) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDPage page = document.getPage(0);
            PDAnnotationText note = new PDAnnotationText();
            note.setRectangle(box);
            note.setContents("a note");
            note.setPage(page);
            note.setAnnotationFlags(flags);
            var stream = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream(document);
            stream.setBBox(new PDRectangle(box.getWidth(), box.getHeight()));
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            stream.setResources(resources);
            try (var out = stream.getContentStream().createOutputStream()) {
                out.write(drawing.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            var appearance = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary();
            appearance.setNormalAppearance(stream);
            note.setAppearance(appearance);
            page.getAnnotations().add(note);
            page.getCOSObject().setNeedToBeUpdated(true);
            page.getCOSObject().getCOSArray(COSName.ANNOTS).setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /**
     * An incremental update (PDFBox) that sets the catalog's /OutputIntents to one GTS_PDFA1 intent with the ICC
     * profile {@code profile} (3 components).
     */
    static byte[] outputIntent(byte[] pdf, byte[] profile) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            var intent = new org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent(document,
                    new java.io.ByteArrayInputStream(profile));
            intent.setInfo("sRGB");
            intent.setOutputCondition("sRGB");
            intent.setOutputConditionIdentifier("sRGB");
            document.getDocumentCatalog().addOutputIntent(intent);
            document.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /**
     * An incremental update (PDFBox) that redefines the form's default font dictionary (/DR /Font, an object of its
     * own) with {@code name} set to the standard font {@code font}.
     */
    static byte[] defaultFont(byte[] pdf, String name, Standard14Fonts.FontName font) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            COSDictionary resources = document.getDocumentCatalog().getAcroForm(null).getCOSObject()
                    .getCOSDictionary(COSName.DR);
            COSDictionary fonts = resources.getCOSDictionary(COSName.FONT);
            COSDictionary standard = new COSDictionary();
            standard.setItem(COSName.TYPE, COSName.FONT);
            standard.setItem(COSName.SUBTYPE, COSName.TYPE1);
            standard.setName(COSName.BASE_FONT, font.getName());
            fonts.setItem(COSName.getPDFName(name), standard);
            fonts.setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /**
     * {@link #formWithEmptySignatureField()} (PDFBox keeps the form's default fonts in an object of their own, as
     * Acrobat and most form designers write /DR) with the field "amount" drawn with Helvetica but its /DA naming
     * {@code daFont} (a name the defaults may lack: viewers then use a substitute).
     */
    static byte[] formNaming(String daFont) throws IOException {
        try (PDDocument document = Loader.loadPDF(formWithEmptySignatureField())) {
            document.getDocumentCatalog().getAcroForm(null).getField("amount").getCOSObject()
                    .setString(COSName.DA, "/" + daFont + " 12 Tf 0 g");
            return TestMaterial.save(document);
        }
    }

    /**
     * A /DSS dictionary appended as Acrobat does after a signature: /Certs, /OCSPs and a /VRI entry keyed by the
     * upper-case SHA-1 of the signature's /Contents, each VRI naming the same streams.
     */
    static byte[] acrobatDss(ForeignPki pki, byte[] pdf, SealKey signer) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDSignature signature = document.getLastSignatureDictionary();
            byte[] contents = signature.getContents();
            String vriKey = java.util.HexFormat.of().withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(contents));
            COSArray certs = new COSArray();
            for (var certificate : signer.chain()) {
                certs.add(stream(document, certificate.getEncoded()));
            }
            COSArray ocsps = new COSArray();
            ocsps.add(stream(document, pki.pki.ocsp(signer.certificate())));
            COSDictionary vri = new COSDictionary();
            vri.setItem(COSName.getPDFName("Cert"), certs);
            vri.setItem(COSName.getPDFName("OCSP"), ocsps);
            vri.setItem(COSName.TYPE, COSName.getPDFName("VRI"));
            COSDictionary vris = new COSDictionary();
            vris.setItem(COSName.getPDFName(vriKey), vri);
            COSDictionary dss = new COSDictionary();
            dss.setItem(COSName.getPDFName("Certs"), certs);
            dss.setItem(COSName.getPDFName("OCSPs"), ocsps);
            dss.setItem(COSName.getPDFName("VRI"), vris);
            dss.setDirect(false);
            COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
            catalog.setItem(COSName.getPDFName("DSS"), dss);
            catalog.setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    private static COSStream stream(PDDocument document, byte[] data) throws IOException {
        COSStream stream = document.getDocument().createCOSStream();
        try (var out = stream.createOutputStream(COSName.FLATE_DECODE)) {
            out.write(data);
        }
        return stream;
    }

    // ---- the CMS every non-DSS producer here writes ------------------------------------------------------------

    /** A detached CMS over {@code data} with SHA-256 and the ESS signing-certificate-v2 attribute (Bouncy Castle only). */
    static byte[] cms(byte[] data, SealKey key) throws Exception {
        byte[] certHash = MessageDigest.getInstance("SHA-256").digest(key.certificate().getEncoded());
        Hashtable<Object, Object> attributes = new Hashtable<>();
        Attribute signingCertificate = new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                new DERSet(new SigningCertificateV2(new ESSCertIDv2(certHash))));
        attributes.put(PKCSObjectIdentifiers.id_aa_signingCertificateV2, signingCertificate);
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                .build(new JcaContentSignerBuilder(jcaAlgorithm(key)).build(key.privateKey()), key.certificate()));
        generator.addCertificates(new JcaCertStore(key.chain()));
        return generator.generate(new CMSProcessableByteArray(data), false).getEncoded();
    }

    private static boolean rsa(SealKey key) {
        return "RSA".equals(key.privateKey().getAlgorithm());
    }

    /** SHA-256 with the key's own algorithm (ForeignPki makes EC P-256 keys, or RSA ones for RSA-only signers). */
    private static String jcaAlgorithm(SealKey key) {
        return rsa(key) ? "SHA256withRSA" : "SHA256withECDSA";
    }
}
