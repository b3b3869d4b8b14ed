package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.testing.pki.KeyType;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static cn.yinxin.core.pdf.ForeignProducers.dss;
import static cn.yinxin.core.pdf.ForeignProducers.dssExtend;
import static cn.yinxin.core.pdf.ForeignProducers.formWithEmptySignatureField;
import static cn.yinxin.core.pdf.ForeignProducers.visible;
import static cn.yinxin.core.pdf.OtherSigners.classic;
import static cn.yinxin.core.pdf.OtherSigners.nodeSignpdf;
import static cn.yinxin.core.pdf.OtherSigners.pdfsig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Genuine documents signed by other products that are programs of their own (poppler's pdfsig, node-signpdf), run
 * at test time, as {@link ForeignProducersTest} does with libraries: where EU DSS finds every signature
 * TOTAL_PASSED, Yinxin must answer VALID with every change allowed. docs/security.md ("Genuine documents from other
 * products") lists what was tried and what Yinxin answered before and after.
 */
class OtherSignersTest {

    private static final SignatureLevel B = SignatureLevel.PAdES_BASELINE_B;
    private static final SignatureLevel T = SignatureLevel.PAdES_BASELINE_T;

    /** EC P-256 keys, as {@link ForeignProducersTest}; pdfsig signs with them through NSS. */
    private static ForeignPki ec;
    /** RSA keys: node-signpdf's PKCS#12 signer (node-forge) knows no other. */
    private static ForeignPki rsa;
    private static Path nss;
    private static Path rsaNss;

    @FunctionalInterface
    interface Maker {
        byte[] make() throws Exception;
    }

    @BeforeAll
    static void setUp() throws Exception {
        ec = new ForeignPki();
        rsa = new ForeignPki(KeyType.RSA_2048);
    }

    @org.junit.jupiter.api.AfterAll
    static void removeNssDatabases() throws Exception {
        for (Path dir : new Path[] {nss, rsaNss}) {
            if (dir != null) {
                try (var files = java.nio.file.Files.walk(dir)) {
                    for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        java.nio.file.Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    static Stream<Arguments> poppler() throws Exception {
        byte[] plain = TestMaterial.onePagePdf(0);
        byte[] form = formWithEmptySignatureField();
        return Stream.of(
                Arguments.of("pdfsig on a plain PDF (invisible)", (Maker) () -> pdfsig(nss(), plain, "-add-signature")),
                Arguments.of("pdfsig -etsi into an existing empty field", (Maker) () ->
                        pdfsig(nss(), form, "-etsi", "-sign", "Approval")),
                Arguments.of("pdfsig into an existing empty field", (Maker) () ->
                        pdfsig(nss(), form, "-sign", "Approval")),
                Arguments.of("DSS signs a form, pdfsig signs its empty field", (Maker) () ->
                        pdfsig(nss(), dss(ec, form, ec.sealKey, B, p -> { }), "-sign", "Approval")),
                Arguments.of("DSS signs a form, pdfsig adds a signature field of its own", (Maker) () ->
                        pdfsig(nss(), dss(ec, form, ec.sealKey, T, p -> { }), "-add-signature")),
                Arguments.of("DSS certifies P=2, PDFBox fills, pdfsig signs the empty field", (Maker) () ->
                        pdfsig(nss(), PdfCrafting.fill(dss(ec, form, ec.sealKey, B, p -> p.setPermission(
                                eu.europa.esig.dss.enumerations.CertificationPermission.MINIMAL_CHANGES_PERMITTED)),
                                "250"), "-sign", "Approval")),
                Arguments.of("pdfsig, then pdfsig again", (Maker) () ->
                        pdfsig(nss(), pdfsig(nss(), plain, "-add-signature"), "-add-signature")),
                Arguments.of("pdfsig, then DSS extends to B-LTA", (Maker) () ->
                        dssExtend(ec, pdfsig(nss(), plain, "-add-signature"), SignatureLevel.PAdES_BASELINE_LTA)),
                Arguments.of("pdfsig, then a visible DSS signer", (Maker) () ->
                        dss(ec, pdfsig(nss(), plain, "-add-signature"), ec.personKey, B, visible(null, 300, 300))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poppler")
    void aDocumentSignedByPopplerDssPassesIsNotCalledBroken(String producer, Maker maker) throws Exception {
        assumeTrue(OtherSigners.installed("pdfsig") && OtherSigners.installed("certutil")
                        && OtherSigners.installed("pk12util"),
                "poppler's pdfsig and NSS's certutil and pk12util are needed: apt-get install -y poppler-utils "
                        + "libnss3-tools (.ci/run installs them)");
        assertGenuineIsValid(ec, producer, maker.make());
    }

    static Stream<Arguments> signpdf() throws Exception {
        byte[] plain = classic(TestMaterial.onePagePdf(0));
        byte[] form = classic(formWithEmptySignatureField());
        return Stream.of(
                Arguments.of("node-signpdf on a plain PDF", (Maker) () -> nodeSignpdf(plain, rsa.sealKey)),
                Arguments.of("node-signpdf on a form", (Maker) () -> nodeSignpdf(form, rsa.sealKey)),
                Arguments.of("node-signpdf, then pdfsig (an RSA key in NSS)", (Maker) () -> {
                    assumeTrue(OtherSigners.installed("pdfsig") && OtherSigners.installed("certutil")
                            && OtherSigners.installed("pk12util"), "poppler-utils and libnss3-tools are needed");
                    return pdfsig(rsaNss(), nodeSignpdf(plain, rsa.sealKey), "-add-signature");
                }),
                Arguments.of("node-signpdf, then node-signpdf again", (Maker) () ->
                        nodeSignpdf(nodeSignpdf(plain, rsa.sealKey), rsa.personKey)),
                Arguments.of("node-signpdf, then DSS extends to B-LTA", (Maker) () ->
                        dssExtend(rsa, nodeSignpdf(plain, rsa.sealKey), SignatureLevel.PAdES_BASELINE_LTA)),
                Arguments.of("node-signpdf, then a visible DSS signer", (Maker) () ->
                        dss(rsa, nodeSignpdf(plain, rsa.sealKey), rsa.personKey, B, visible(null, 300, 300))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signpdf")
    void aDocumentSignedByNodeSignpdfDssPassesIsNotCalledBroken(String producer, Maker maker) throws Exception {
        assumeTrue(OtherSigners.installed("node") && OtherSigners.installed("npm"),
                "node-signpdf needs Node.js 18 or later and npm: apt-get install -y nodejs npm (.ci/run installs them)");
        assertGenuineIsValid(rsa, producer, maker.make());
    }

    // ---- the loosened rule's malicious variant -------------------------------------------------------------------

    /**
     * pdfsig adds /popplerfont (a Type0 font with a program) to the form's default fonts, which is allowed only
     * because nothing signed draws with that name. A signed appearance that takes its fonts from the defaults and names
     * /Fx, which they lacked when signed (viewers drew a substitute), must not get a font of any kind under that name
     * later, however the name is written in the stream; a font of that kind under a name nothing signed uses may come.
     */
    @org.junit.jupiter.api.Test
    void aFontWithAProgramAddedUnderANameASignedAppearanceDrawsWithStillFails() throws Exception {
        PdfVerifier verifier = new PdfVerifier(List.of(ec.root), ec.revocation());
        PdfVerifier rulesOnly = new PdfVerifier(List.of(ec.root), ec.revocation()).withVisualProof(null);
        for (String written : List.of("Fx", "F#78")) {
            byte[] signed = dss(ec, formDrawingAmountWith(written), ec.sealKey, B, p -> { });
            byte[] attack = addDefaultFont(signed, "Fx");
            VerificationReport report = verifier.verify(attack);
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
            // the rules alone, without the visual proof (which also sees the text drawn in another font)
            VerificationReport rules = rulesOnly.verify(attack);
            assertThat(rules.verdict()).as(rules.toString()).isEqualTo(Verdict.INVALID);
            assertThat(rules.signatures().getFirst().changesAfterSigning()).as(rules.toString()).anySatisfy(c -> {
                assertThat(c.kind()).isEqualTo("ANNOTATION_CHANGED");
                assertThat(c.allowed()).isFalse();
            });

            byte[] unused = addDefaultFont(signed, "Fy");
            assertThat(verifier.verify(unused).verdict()).as(verifier.verify(unused).toString())
                    .isEqualTo(Verdict.VALID);
        }
    }

    /**
     * {@link ForeignProducers#formWithEmptySignatureField()} with the field "amount" drawn by an appearance whose
     * fonts are the form's default fonts (the same object, as PDFBox writes /DR into appearances) and whose text
     * names the font {@code name} (as written in the stream), which the defaults lack.
     */
    static byte[] formDrawingAmountWith(String name) throws Exception {
        try (var document = org.apache.pdfbox.Loader.loadPDF(formWithEmptySignatureField())) {
            var form = document.getDocumentCatalog().getAcroForm(null);
            var fonts = form.getCOSObject().getCOSDictionary(org.apache.pdfbox.cos.COSName.DR)
                    .getCOSDictionary(org.apache.pdfbox.cos.COSName.FONT);
            var stream = form.getField("amount").getWidgets().getFirst().getNormalAppearanceStream().getCOSObject();
            var resources = new org.apache.pdfbox.cos.COSDictionary();
            resources.setItem(org.apache.pdfbox.cos.COSName.FONT, fonts);
            stream.setItem(org.apache.pdfbox.cos.COSName.RESOURCES, resources);
            try (var out = stream.createOutputStream()) {
                out.write(("BT /" + name + " 12 Tf 2 5 Td (100) Tj ET").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            return TestMaterial.save(document);
        }
    }

    /** An incremental update adding a TrueType font (not one of the standard 14) as {@code name} to /DR /Font. */
    static byte[] addDefaultFont(byte[] pdf, String name) throws Exception {
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            var fonts = document.getDocumentCatalog().getAcroForm(null).getCOSObject()
                    .getCOSDictionary(org.apache.pdfbox.cos.COSName.DR)
                    .getCOSDictionary(org.apache.pdfbox.cos.COSName.FONT);
            var font = new org.apache.pdfbox.cos.COSDictionary();
            font.setItem(org.apache.pdfbox.cos.COSName.TYPE, org.apache.pdfbox.cos.COSName.FONT);
            font.setItem(org.apache.pdfbox.cos.COSName.SUBTYPE, org.apache.pdfbox.cos.COSName.TRUE_TYPE);
            font.setName(org.apache.pdfbox.cos.COSName.BASE_FONT, "Wingdings");
            fonts.setItem(org.apache.pdfbox.cos.COSName.getPDFName(name), font);
            fonts.setNeedToBeUpdated(true);
            var out = new java.io.ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /**
     * pdfsig gave the form of a node-signpdf document default resources (/DR, with /popplerfont), allowed because
     * node-signpdf's signed widget, without an appearance, has no area: nothing of it is drawn from the defaults. A
     * text field drawn from them (its widget without an appearance) still refuses a pdfsig signature after a DSS one.
     */
    @org.junit.jupiter.api.Test
    void defaultResourcesChangedWhileAFieldIsDrawnFromThemStillFail() throws Exception {
        assumeTrue(OtherSigners.installed("pdfsig") && OtherSigners.installed("certutil")
                && OtherSigners.installed("pk12util"), "poppler-utils and libnss3-tools are needed (.ci/run)");
        byte[] form;
        try (var document = org.apache.pdfbox.Loader.loadPDF(formWithEmptySignatureField())) {
            document.getDocumentCatalog().getAcroForm(null).getField("amount").getWidgets().getFirst().getCOSObject()
                    .removeItem(org.apache.pdfbox.cos.COSName.AP);
            form = TestMaterial.save(document);
        }
        byte[] pdf = pdfsig(nss(), dss(ec, form, ec.sealKey, B, p -> { }), "-add-signature");
        VerificationReport report = new PdfVerifier(List.of(ec.root), ec.revocation()).verify(pdf);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().getFirst().changesAfterSigning()).as(report.toString())
                .anySatisfy(c -> assertThat(c.allowed()).isFalse());
    }

    /**
     * pdfsig began its update right after node-signpdf's "%%EOF" (no line end between): the object its
     * cross-reference points at there counts as defined, and is judged as any other (here a new definition of the
     * signed page's text); a header there of another object than the cross-reference names is still refused.
     */
    @org.junit.jupiter.api.Test
    void anObjectGluedToTheSignedEndOfFileMarkerIsStillJudged() throws Exception {
        assumeTrue(OtherSigners.installed("node") && OtherSigners.installed("npm"), "node and npm are needed (.ci/run)");
        byte[] signed = nodeSignpdf(classic(TestMaterial.onePagePdf(0)), rsa.sealKey);
        assertThat(new String(signed, java.nio.charset.StandardCharsets.ISO_8859_1)).endsWith("%%EOF");
        long contents;
        try (var document = org.apache.pdfbox.Loader.loadPDF(signed)) {
            contents = ((org.apache.pdfbox.cos.COSObject) document.getPage(0).getCOSObject()
                    .getItem(org.apache.pdfbox.cos.COSName.CONTENTS)).getObjectNumber();
        }
        PdfVerifier verifier = new PdfVerifier(List.of(rsa.root), rsa.revocation());
        String text = "BT /F1 24 Tf 72 700 Td (Amount: 900) Tj ET";
        String body = "<< /Length " + text.length() + " >>\nstream\n" + text + "\nendstream";

        VerificationReport changed = verifier.verify(gluedUpdate(signed, contents, contents, body));
        assertThat(changed.verdict()).as(changed.toString()).isEqualTo(Verdict.INVALID);
        assertThat(changed.signatures().getFirst().changesAfterSigning()).as(changed.toString())
                .noneMatch(c -> c.kind().equals("CROSS_REFERENCE"))
                .anySatisfy(c -> assertThat(c.allowed()).isFalse());

        VerificationReport other = verifier.verify(gluedUpdate(signed, contents, contents + 50, body));
        assertThat(other.verdict()).as(other.toString()).isEqualTo(Verdict.INVALID);
        assertThat(other.signatures().getFirst().changesAfterSigning()).as(other.toString())
                .anySatisfy(c -> {
                    assertThat(c.kind()).isEqualTo("CROSS_REFERENCE");
                    assertThat(c.allowed()).isFalse();
                });
    }

    /**
     * An update appended right after {@code pdf}'s last "%%EOF" (no line end), as pdfsig writes one: its cross-reference
     * points object {@code number} at the first byte, where the object header names {@code written}.
     */
    static byte[] gluedUpdate(byte[] pdf, long number, long written, String body) {
        StringBuilder out = new StringBuilder(new String(pdf, java.nio.charset.StandardCharsets.ISO_8859_1));
        long offset = out.length();
        out.append(written).append(" 0 obj\r\n").append(body).append("\r\nendobj\r\n");
        long xref = out.length();
        var root = PdfCrafting.catalogKey(pdf);
        out.append("xref\r\n").append(number).append(" 1\r\n").append(String.format("%010d 00000 n\r\n", offset))
                .append("trailer\r\n<< /Size ").append(Math.max(PdfCrafting.trailerSize(pdf), written + 1))
                .append(" /Root ").append(root.getNumber()).append(' ').append(root.getGeneration())
                .append(" R /Prev ").append(PdfCrafting.lastStartXref(pdf)).append(" >>\r\nstartxref\r\n")
                .append(xref).append("\r\n%%EOF\r\n");
        return out.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    // ---- where the other product's document is not what it meant to make ----------------------------------------

    /**
     * pdfsig 22.12 adding a signature to a document whose form dictionary sits inside the catalog (as DSS, PDFBox and
     * Yinxin's sealer write it) puts the new widget on the page but leaves the form's /Fields as they were: its
     * signature is outside the form. poppler lists it (it walks the pages' widgets); EU DSS does not see it at all
     * (one signature, TOTAL_PASSED); Yinxin takes the widget for a ghost (a widget showing a signature that belongs
     * to no signature of the form) and refuses the change after the earlier signature. Left so, on purpose:
     * docs/security.md, "Genuine documents from other products".
     */
    @ParameterizedTest(name = "pdfsig after {0}")
    @MethodSource("formInTheCatalog")
    void popplersSignatureOutsideTheFormIsAGhost(String earlier, Maker maker) throws Exception {
        assumeTrue(OtherSigners.installed("pdfsig") && OtherSigners.installed("certutil")
                && OtherSigners.installed("pk12util"), "poppler-utils and libnss3-tools are needed (.ci/run)");
        byte[] pdf = pdfsig(nss(), maker.make(), "-add-signature");
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            var annotations = document.getPage(0).getAnnotations();
            assertThat(annotations.getLast().getCOSObject().getCOSName(org.apache.pdfbox.cos.COSName.FT))
                    .isEqualTo(org.apache.pdfbox.cos.COSName.SIG);
            assertThat(document.getDocumentCatalog().getAcroForm(null).getFields())
                    .as("poppler's new field is not in the form").hasSize(1);
        }
        assertThat(dssIndications(ec, pdf)).as("EU DSS sees the earlier signature only").containsExactly("TOTAL_PASSED");

        VerificationReport report = new PdfVerifier(List.of(ec.root), ec.revocation()).verify(pdf);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures()).singleElement().satisfies(s -> assertThat(s.changesAfterSigning())
                .anySatisfy(c -> {
                    assertThat(c.kind()).isEqualTo("SIGNATURE_GHOST");
                    assertThat(c.allowed()).isFalse();
                }));
    }

    static Stream<Arguments> formInTheCatalog() throws Exception {
        byte[] plain = TestMaterial.onePagePdf(0);
        return Stream.of(
                Arguments.of("DSS B-T", (Maker) () -> dss(ec, plain, ec.sealKey, T, p -> { })),
                Arguments.of("a visible DSS signature", (Maker) () ->
                        dss(ec, plain, ec.sealKey, B, visible(null, 300, 100))),
                Arguments.of("Yinxin's seal", (Maker) () -> yinxin(plain, ec.sealKey)));
    }

    /**
     * node-signpdf 3.3 signing a signed document writes the form dictionary anew with its own field alone: the
     * earlier signature leaves the form (its widget, the seal's picture, stays on the page). EU DSS and Yinxin both
     * report the one signature left, valid, and say nothing of the earlier one. Found, not changed here:
     * docs/security.md, "Genuine documents from other products" (what a verifier should say of a signature that left
     * the form is the lead's call); this test shows what both answer today.
     */
    @ParameterizedTest(name = "node-signpdf after {0}")
    @MethodSource("signedForNodeSignpdf")
    void nodeSignpdfDropsTheEarlierSignatureFromTheForm(String earlier, Maker maker) throws Exception {
        assumeTrue(OtherSigners.installed("node") && OtherSigners.installed("npm"), "node and npm are needed (.ci/run)");
        byte[] pdf = nodeSignpdf(maker.make(), rsa.personKey);
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            assertThat(document.getDocumentCatalog().getAcroForm(null).getFields()).singleElement()
                    .satisfies(f -> assertThat(f.getCOSObject().getString(org.apache.pdfbox.cos.COSName.T))
                            .isEqualTo("Signature1"));
            assertThat(document.getPage(0).getAnnotations()).as("the earlier widget stays on the page").hasSize(2);
        }
        assertThat(dssIndications(rsa, pdf)).containsExactly("TOTAL_PASSED");
        VerificationReport report = new PdfVerifier(List.of(rsa.root), rsa.revocation()).verify(pdf);
        assertThat(report.signatures()).as(report.toString()).singleElement()
                .satisfies(s -> assertThat(s.signer().name()).isEqualTo(ForeignPki.PERSON));
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
    }

    static Stream<Arguments> signedForNodeSignpdf() throws Exception {
        byte[] plain = classic(TestMaterial.onePagePdf(0));
        return Stream.of(
                Arguments.of("DSS B-T", (Maker) () -> dss(rsa, plain, rsa.sealKey, T, p -> { })),
                Arguments.of("a visible DSS signature", (Maker) () ->
                        dss(rsa, plain, rsa.sealKey, B, visible(null, 300, 100))),
                Arguments.of("Yinxin's seal", (Maker) () -> yinxin(plain, rsa.sealKey)));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    static void assertGenuineIsValid(ForeignPki pki, String producer, byte[] pdf) {
        assertThat(dssIndications(pki, pdf)).as("EU DSS on %s", producer).isNotEmpty()
                .allMatch("TOTAL_PASSED"::equals);
        VerificationReport report = new PdfVerifier(List.of(pki.root), pki.revocation()).verify(pdf);
        assertThat(report.signatures()).as(report.toString()).allSatisfy(s -> {
            assertThat(s.indication()).as(s.toString()).isEqualTo(Indication.TOTAL_PASSED);
            assertThat(s.changesAfterSigning()).as(s.toString()).allSatisfy(c -> assertThat(c.allowed()).isTrue());
        });
        assertThat(report.signatures()).as(report.toString()).hasSizeGreaterThanOrEqualTo(dssIndications(pki, pdf).size());
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
    }

    /** EU DSS's indication for every signature, trusting {@code pki}'s root, with its OCSP responder. */
    static List<String> dssIndications(ForeignPki pki, byte[] pdf) {
        var validator = SignedDocumentValidator.fromDocument(new InMemoryDocument(pdf));
        validator.setCertificateVerifier(pki.dssVerifier());
        var simple = validator.validateDocument().getSimpleReport();
        return simple.getSignatureIdList().stream().map(id -> String.valueOf(simple.getIndication(id))).toList();
    }

    /** Yinxin's own sealer (a visible approval seal, B-B) with {@code key}. */
    static byte[] yinxin(byte[] pdf, SealKey key) throws Exception {
        return new PdfSealer().seal(pdf, new SealRequest(key, new SealAppearance(TestMaterial.redSquarePng(), 40, 40),
                new SealPlacement(1, 120, 40), ForeignPki.SEAL, "approval", Instant.now()));
    }

    /** An NSS database holding the RSA person key, made once. */
    private static synchronized Path rsaNss() throws Exception {
        if (rsaNss == null) {
            rsaNss = OtherSigners.nssDatabase(rsa.personKey);
        }
        return rsaNss;
    }

    /** An NSS database holding the EC seal key, made once. */
    private static synchronized Path nss() throws Exception {
        if (nss == null) {
            nss = OtherSigners.nssDatabase(ec.sealKey);
        }
        return nss;
    }
}
