package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.changes.ChangeRulesTest;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.pki.keys.SealKey;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static cn.yinxin.core.pdf.PdfCrafting.bytes;
import static cn.yinxin.core.pdf.PdfCrafting.lastBody;
import static cn.yinxin.core.pdf.PdfCrafting.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile review of the change analysis by rules (issue 17): each test is an attack on a genuinely sealed
 * document that the verifier, as it stands, answers VALID although what a person sees (or prints) is not what was
 * sealed. Each asserts the verdict is NOT VALID, so each fails until the hole it names is closed. The nested
 * {@link Refused} tests are attacks tried that the rules already refuse (they pass, and keep the refusals).
 * With -Dredteam.out=DIR (surefire argLine) each crafted file is written there, with a one-line verdict on stdout,
 * so it can be opened in other readers (poppler pdftotext/pdftoppm, pdftops, Ghostscript).
 */
class RedTeamTest {

    private static final String REVOKED_ONE = TestMaterial.licence("REVOKED1");
    private static final String GOOD_ONE = TestMaterial.licence("GOOD1");

    /** What a forger paints over the signed text (as in ChangeRulesTest). */
    static final String APPROVED = ChangeRulesTest.APPROVED;

    private static TestMaterial material;
    private static PdfVerifier verifier;
    private static byte[] sealed;

    @BeforeAll
    static void seal() throws Exception {
        material = new TestMaterial();
        verifier = new PdfVerifier(List.of(material.root));
        sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        assertThat(verifier.verify(sealed).verdict()).isEqualTo(Verdict.VALID);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** One object of a hand-written revision: any generation; listed in the cross-reference or only in the body. */
    record Obj(long number, int generation, String body, boolean listed) {
        static Obj of(long number, String body) {
            return new Obj(number, 0, body, true);
        }
    }

    /**
     * An incremental update written byte by byte (PdfCrafting.Update only writes generation 0 and in-use entries):
     * objects of any generation, objects left out of the cross-reference, free entries, any /Prev.
     */
    static byte[] revision(byte[] base, List<Obj> objects, List<String> freeEntries, Long prev, String trailerExtra) {
        StringBuilder out = new StringBuilder(text(base));
        if (out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
        long size = PdfCrafting.trailerSize(base);
        List<String> xref = new ArrayList<>();
        for (Obj object : objects) {
            long offset = bytes(out.toString()).length;
            out.append(object.number()).append(' ').append(object.generation()).append(" obj\n").append(object.body())
                    .append("\nendobj\n");
            if (object.listed()) {
                xref.add(object.number() + " 1\n" + String.format("%010d %05d n\r\n", offset, object.generation()));
            }
            size = Math.max(size, object.number() + 1);
        }
        xref.addAll(freeEntries);
        long at = bytes(out.toString()).length;
        out.append("xref\n");
        xref.forEach(out::append);
        COSObjectKey root = PdfCrafting.catalogKey(base);
        out.append("trailer\n<< /Size ").append(size).append(" /Root ").append(root.getNumber()).append(" 0 R /Prev ")
                .append(prev != null ? prev : PdfCrafting.lastStartXref(base)).append(trailerExtra).append(" >>\n")
                .append("startxref\n").append(at).append("\n%%EOF\n");
        return bytes(out.toString());
    }

    static String stream(String entries, String data) {
        return "<< " + entries + " /Length " + bytes(data).length + " >>\nstream\n" + data + "\nendstream";
    }

    static final String APPEARANCE_ENTRIES = "/Type /XObject /Subtype /Form /BBox [0 0 350 80] /Resources << /Font << "
            + "/F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>";

    static byte[] saveIncremental(PDDocument document) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.saveIncremental(out);
        return out.toByteArray();
    }

    static VerificationReport verify(String name, byte[] forged) throws Exception {
        return verified(verifier, name, forged);
    }

    /**
     * {@code verifier}'s report on a crafted document; with -Dredteam.out=DIR the document is written there and the
     * report's signatures and changes are printed (every red team's tests run their attacks through this).
     */
    static VerificationReport verified(PdfVerifier verifier, String name, byte[] forged) throws Exception {
        String dir = System.getProperty("redteam.out");
        if (dir != null) {
            Files.write(Path.of(dir, name + ".pdf"), forged);
        }
        VerificationReport report = verifier.verify(forged);
        if (dir != null) {
            StringBuilder line = new StringBuilder(name + ": " + report.verdict());
            for (var signature : report.signatures()) {
                line.append(" | ").append(signature.field()).append(' ').append(signature.indication());
                signature.changesAfterSigning().forEach(c -> line.append(" [").append(c.kind()).append(c.allowed()
                        ? " allowed" : " REFUSED: " + c.description()).append(']'));
            }
            System.out.println(line);
        }
        return report;
    }

    static void assertNotValid(VerificationReport report) {
        assertThat(report.verdict()).as(report.toString()).isNotEqualTo(Verdict.VALID);
    }

    // ---- 1. parser differentials: what PDFBox reads is not what viewers read --------------------------------

    /**
     * The page's content stream "7 0" given a new definition under generation 1 ("7 1 obj", xref entry "00001 n").
     * PDFBox keys objects by number AND generation: "7 0 R" still reads the signed "7 0 obj", (7,1) is merely an
     * added object, so RevisionDiff sees no redefinition at all ("document is unchanged since"). Readers that
     * resolve references by object number (seen: Ghostscript 'txtwrite' prints "APPROVED 1,000,000 CNY"; PDFium and
     * MuPDF do the same by design) draw the new stream; poppler drops the page content (generation mismatch, seen).
     * Either way the page shown is not the page sealed.
     */
    @Test
    void contentRedefinedUnderAnotherGeneration() throws Exception {
        COSObjectKey content = PdfCrafting.pageObjectKey(sealed, "Contents");
        byte[] forged = revision(sealed, List.of(new Obj(content.getNumber(), 1,
                stream("", "BT /F1 24 Tf 72 700 Td (APPROVED 1,000,000 CNY) Tj ET"), true)), List.of(), null, "");

        assertNotValid(verify("generation", forged));
    }

    /**
     * The page's content stream marked free ("f") in the update's cross-reference table. PDFBox ignores free
     * entries and keeps reading the signed definition, so nothing was redefined. ISO 32000-1 7.3.10: a reference to
     * a free object is null, so a conforming reader (pdf.js and MuPDF by their code; not checked here) shows the
     * sealed page blank. Seen here: poppler and Ghostscript rebuild the table and still show the signed text, so this
     * one depends on the reader (the weakest of the parser differentials).
     */
    @Test
    void contentFreedInTheCrossReference() throws Exception {
        COSObjectKey content = PdfCrafting.pageObjectKey(sealed, "Contents");
        byte[] forged = revision(sealed, List.of(), List.of(content.getNumber() + " 1\n0000000000 00001 f\r\n"), null, "");

        assertNotValid(verify("freed", forged));
    }

    /**
     * The update's /Prev points two bytes past the signed revision's cross-reference stream. PDFBox silently
     * corrects /Prev to the nearest cross-reference (bfSearchForXRef) and reads only what the update's table lists
     * (a new /Info); a new definition of the page content sits in the update's body, listed nowhere. Viewers that
     * cannot follow /Prev rebuild the cross-reference by scanning the file, where the last "7 0 obj" wins (seen:
     * Ghostscript prints "APPROVED 1,000,000 CNY"; poppler fails to rebuild and shows no page at all).
     */
    @Test
    void brokenPrevMakesViewersRebuildWhilePdfBoxRepairsIt() throws Exception {
        COSObjectKey content = PdfCrafting.pageObjectKey(sealed, "Contents");
        long info = PdfCrafting.trailerSize(sealed);
        byte[] forged = revision(sealed, List.of(
                        new Obj(content.getNumber(), 0, stream("", "BT /F1 24 Tf 72 700 Td (APPROVED 1,000,000 CNY) Tj ET"),
                                false),
                        Obj.of(info, "<< /Producer (office suite) >>")),
                List.of(), PdfCrafting.lastStartXref(sealed) + 2, " /Info " + info + " 0 R");

        assertNotValid(verify("prev", forged));
    }

    // ---- 2. a signature the rules accept that the verifier never reports ------------------------------------

    /**
     * A "signature" field added with a value that signs nothing (/Contents all zeros) and a widget that paints
     * APPROVED over the page. It is made a non-terminal field (a kid with /T): PDFBox's getSignatureFields() then
     * sees a PDNonTerminalField and only its value-less kid, so PdfVerifier never checks (nor fails) it; but
     * RevisionDiff.fields() takes the parent for a signed signature field and SignatureAdditionRule allows it at
     * FORM_FILLING ("its own value does not verify (see that signature)" -- there is no "that signature").
     */
    @Test
    void aFakeSignatureHiddenFromTheVerifierAsANonTerminalField() throws Exception {
        COSObjectKey page = ChangeRulesTest.pageKey(sealed);
        COSObjectKey catalog = PdfCrafting.catalogKey(sealed);
        long field = PdfCrafting.trailerSize(sealed);
        long value = field + 1;
        long look = field + 2;
        long kid = field + 3;
        String contents = "0".repeat(2000);
        String pageBody = lastBody(sealed, page.getNumber()).replaceFirst("/Annots \\[", "/Annots [" + field + " 0 R ");
        String catalogBody = lastBody(sealed, catalog.getNumber()).replaceFirst("/Fields \\[", "/Fields [" + field + " 0 R ");
        byte[] forged = revision(sealed, List.of(
                Obj.of(look, stream(APPEARANCE_ENTRIES, APPROVED)),
                Obj.of(value, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (D:20261206120000Z) "
                        + "/ByteRange [0 0000000000 0000000000 0000000000] /Contents <" + contents + "> >>"),
                Obj.of(kid, "<< /T (x) /Parent " + field + " 0 R >>"),
                Obj.of(field, "<< /FT /Sig /T (Approval) /V " + value + " 0 R /Kids [" + kid + " 0 R] /Type /Annot "
                        + "/Subtype /Widget /F 4 /P " + page.getNumber() + " 0 R /Rect [60 680 410 760] /AP << /N " + look
                        + " 0 R >> >>"),
                Obj.of(page.getNumber(), pageBody),
                Obj.of(catalog.getNumber(), catalogBody)), List.of(), null, "");
        // the fake value's /ByteRange: everything but its /Contents, up to this revision's end
        String t = text(forged);
        int gapStart = t.lastIndexOf("/Contents <" + contents) + "/Contents ".length();
        int gapEnd = gapStart + contents.length() + 2;
        String range = String.format("0 %010d %010d %010d", gapStart, gapEnd, forged.length - gapEnd);
        forged = PdfCrafting.overwrite(forged, t.lastIndexOf("0 0000000000 0000000000 0000000000"), range);

        assertNotValid(verify("fake-signature", forged));
    }

    // ---- 3. empty signature fields judged invisible that print --------------------------------------------------

    /**
     * An empty signature field whose widget is flagged NoView|Print (/F 36) and paints APPROVED over the page.
     * RevisionDiff.visible() counts NoView (32) as invisible, so FormRule clears it at FORM_FILLING. ISO 32000-1
     * 12.5.3: NoView hides it on screen only, "the annotation may be printed (depending on the Print flag)": every
     * printed copy of the sealed page carries the forgery.
     */
    @Test
    void anEmptySignatureFieldHiddenOnScreenButPrinted() throws Exception {
        COSObjectKey page = ChangeRulesTest.pageKey(sealed);
        COSObjectKey catalog = PdfCrafting.catalogKey(sealed);
        long field = PdfCrafting.trailerSize(sealed);
        long look = field + 1;
        byte[] forged = revision(sealed, List.of(
                Obj.of(look, stream(APPEARANCE_ENTRIES, APPROVED)),
                Obj.of(field, "<< /FT /Sig /T (Reviewer) /Type /Annot /Subtype /Widget /F 36 /P " + page.getNumber()
                        + " 0 R /Rect [60 680 410 760] /AP << /N " + look + " 0 R >> >>"),
                Obj.of(page.getNumber(), lastBody(sealed, page.getNumber()).replaceFirst("/Annots \\[",
                        "/Annots [" + field + " 0 R ")),
                Obj.of(catalog.getNumber(), lastBody(sealed, catalog.getNumber()).replaceFirst("/Fields \\[",
                        "/Fields [" + field + " 0 R "))), List.of(), null, "");

        assertNotValid(verify("noview-print", forged));
    }

    // ---- 4. form filling that redraws what it does not own ---------------------------------------------------

    /**
     * One page with a fillable text field "name" ("Zhang San") and, below it, a read-only field "amount" ("100"),
     * both drawn with the form's Helvetica (PDFBox puts the /DR font object into each appearance's resources).
     * With {@code kids}, each field keeps its widget as a separate kid (as Acrobat does for a field shown twice).
     */
    static byte[] twoFieldForm(boolean kids) throws Exception {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDAcroForm form = new PDAcroForm(document);
            document.getDocumentCatalog().setAcroForm(form);
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("Helv"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            form.setDefaultResources(resources);
            form.setDefaultAppearance("/Helv 12 Tf 0 g");
            PDTextField name = field(form, page, "name", 750, kids);
            PDTextField amount = field(form, page, "amount", 700, kids);
            name.setValue("Zhang San");
            amount.setValue("100");
            amount.setReadOnly(true);
            return TestMaterial.save(document);
        }
    }

    private static PDTextField field(PDAcroForm form, PDPage page, String name, float y, boolean kids) throws Exception {
        PDTextField field = new PDTextField(form);
        field.setPartialName(name);
        field.setDefaultAppearance("/Helv 12 Tf 0 g");
        PDAnnotationWidget widget = kids ? new PDAnnotationWidget() : field.getWidgets().get(0);
        if (kids) {
            field.setWidgets(List.of(widget));
        }
        widget.setRectangle(new PDRectangle(72, y, 200, 20));
        widget.setPage(page);
        widget.setPrinted(true);
        page.getAnnotations().add(widget);
        form.getFields().add(field);
        return field;
    }

    /**
     * The read-only field's widget (a kid of "amount") is also listed in the /Kids of the fillable field "name",
     * which is then "filled in", and the widget given an appearance that reads 900. FormRule.fieldKeys() ignores
     * /Kids ("kids are fields of their own") and RevisionDiff.widgets() takes every widget in the new /Kids, so the
     * read-only field's widget becomes a "filled widget" and AnnotationRule clears its new /AP at FORM_FILLING. The
     * read-only value 100 now shows as 900 (its /V still says 100).
     */
    @Test
    void aReadOnlyFieldsWidgetAdoptedByAFilledField() throws Exception {
        byte[] signed = new PdfSealer().seal(twoFieldForm(true), material.request(1, 100, 100));
        assertThat(verifier.verify(signed).verdict()).isEqualTo(Verdict.VALID);
        byte[] forged;
        try (PDDocument document = Loader.loadPDF(signed)) {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            PDTextField name = (PDTextField) form.getField("name");
            PDTextField amount = (PDTextField) form.getField("amount");
            PDAnnotationWidget adopted = amount.getWidgets().get(0);
            name.getCOSObject().getCOSArray(COSName.KIDS).add(adopted.getCOSObject());
            name.getCOSObject().setString(COSName.V, "Li Si");
            name.getWidgets().get(0).setAppearance(look(document, form, "Li Si"));
            adopted.setAppearance(look(document, form, "900"));
            name.getCOSObject().setNeedToBeUpdated(true);
            name.getCOSObject().getCOSArray(COSName.KIDS).setNeedToBeUpdated(true);
            name.getWidgets().get(0).getCOSObject().setNeedToBeUpdated(true);
            adopted.getCOSObject().setNeedToBeUpdated(true);
            forged = saveIncremental(document);
        }
        try (PDDocument document = Loader.loadPDF(forged)) {
            // what the verifier's own parser reads: the read-only field still holds 100, its widget draws 900
            PDTextField amount = (PDTextField) document.getDocumentCatalog().getAcroForm(null).getField("amount");
            assertThat(amount.getValue()).isEqualTo("100");
            assertThat(new String(amount.getWidgets().get(0).getNormalAppearanceStream().getContentStream()
                    .toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("(900)");
        }

        assertNotValid(verify("adopted-widget", forged));
    }

    /** A widget appearance that writes {@code value} with the form's own Helvetica (the /DR font object). */
    private static PDAppearanceDictionary look(PDDocument document, PDAcroForm form, String value) throws Exception {
        PDAppearanceStream stream = new PDAppearanceStream(document);
        stream.setBBox(new PDRectangle(200, 20));
        PDResources resources = new PDResources();
        COSDictionary fonts = new COSDictionary();
        fonts.setItem(COSName.getPDFName("Helv"), form.getDefaultResources().getCOSObject()
                .getCOSDictionary(COSName.FONT).getItem(COSName.getPDFName("Helv")));
        resources.getCOSObject().setItem(COSName.FONT, fonts);
        stream.setResources(resources);
        try (var out = stream.getContentStream().createOutputStream()) {
            out.write(bytes("/Tx BMC BT /Helv 12 Tf 0 g 2 5 Td (" + value + ") Tj ET EMC"));
        }
        PDAppearanceDictionary appearance = new PDAppearanceDictionary();
        appearance.setNormalAppearance(stream);
        return appearance;
    }

    /**
     * The fillable field "name" is filled in, and in the same update the Helvetica font object, which both widgets'
     * appearances use, is given an /Encoding whose /Differences draw the glyph "nine" for the code of "1". The font
     * was first reached (AnnotationRule, putIfAbsent in page order) through the appearance of "name", a filled
     * widget, so its redefinition is cleared at FORM_FILLING; that it is also drawn by the read-only field's
     * appearance is never asked (only the page's own /Contents and /Resources count as page content). The read-only
     * amount 100 now reads 900.
     */
    @Test
    void aFontSharedByAFilledAndAReadOnlyFieldIsReencoded() throws Exception {
        byte[] signed = new PdfSealer().seal(twoFieldForm(false), material.request(1, 100, 100));
        assertThat(verifier.verify(signed).verdict()).isEqualTo(Verdict.VALID);
        byte[] forged;
        try (PDDocument document = Loader.loadPDF(signed)) {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            PDTextField name = (PDTextField) form.getField("name");
            COSObject font = (COSObject) form.getDefaultResources().getCOSObject().getCOSDictionary(COSName.FONT)
                    .getItem(COSName.getPDFName("Helv"));
            COSDictionary amountResources = ((PDTextField) form.getField("amount")).getWidgets().get(0)
                    .getNormalAppearanceStream().getResources().getCOSObject().getCOSDictionary(COSName.FONT);
            // PDFBox wrote one font object for the form's defaults and both appearances
            assertThat(((COSObject) amountResources.getItem(COSName.getPDFName("Helv"))).getKey()).isEqualTo(font.getKey());
            name.setValue("Li Si");
            COSDictionary encoding = new COSDictionary();
            encoding.setItem(COSName.TYPE, COSName.ENCODING);
            encoding.setItem(COSName.BASE_ENCODING, COSName.WIN_ANSI_ENCODING);
            COSArray differences = new COSArray();
            differences.add(org.apache.pdfbox.cos.COSInteger.get('1'));
            differences.add(COSName.getPDFName("nine"));
            encoding.setItem(COSName.DIFFERENCES, differences);
            encoding.setDirect(true);
            ((COSDictionary) font.getObject()).setItem(COSName.ENCODING, encoding);
            ((COSDictionary) font.getObject()).setNeedToBeUpdated(true);
            name.getCOSObject().setNeedToBeUpdated(true);
            for (PDAnnotationWidget widget : name.getWidgets()) {
                widget.getCOSObject().setNeedToBeUpdated(true);
            }
            forged = saveIncremental(document);
        }

        assertNotValid(verify("reencoded-font", forged));
    }

    /**
     * A form prepared with /NeedAppearances true (many form generators write it; viewers then draw field values
     * themselves with /DA and the form's /DR). After sealing, the form's /DR names "Helv" as a new font object whose
     * /Differences draw "nine" for the code of "1". FormRule.form() allows any change of /DR or /DA at LTA_UPDATES
     * ("defaults for drawing field values"), although with /NeedAppearances they ARE the field's appearance: the
     * read-only amount 100 is drawn 900 by every viewer that honours /NeedAppearances.
     */
    @Test
    void theFormsDefaultFontSwappedWhileViewersRedrawFields() throws Exception {
        byte[] prepared;
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(true))) {
            document.getDocumentCatalog().getAcroForm(null).setNeedAppearances(true);
            prepared = TestMaterial.save(document);
        }
        byte[] signed = new PdfSealer().seal(prepared, material.request(1, 100, 100));
        assertThat(verifier.verify(signed).verdict()).isEqualTo(Verdict.VALID);
        byte[] forged;
        try (PDDocument document = Loader.loadPDF(signed)) {
            COSDictionary form = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.ACRO_FORM);
            assertThat(form.getBoolean(COSName.NEED_APPEARANCES, false)).isTrue();
            COSDictionary font = new COSDictionary();
            font.setItem(COSName.TYPE, COSName.FONT);
            font.setItem(COSName.SUBTYPE, COSName.TYPE1);
            font.setItem(COSName.BASE_FONT, COSName.getPDFName("Helvetica"));
            COSDictionary encoding = new COSDictionary();
            encoding.setItem(COSName.BASE_ENCODING, COSName.WIN_ANSI_ENCODING);
            COSArray differences = new COSArray();
            differences.add(org.apache.pdfbox.cos.COSInteger.get('1'));
            differences.add(COSName.getPDFName("nine"));
            encoding.setItem(COSName.DIFFERENCES, differences);
            encoding.setDirect(true);
            font.setItem(COSName.ENCODING, encoding);
            COSDictionary fonts = new COSDictionary();
            fonts.setItem(COSName.getPDFName("Helv"), new COSObject(font));
            fonts.setDirect(true);
            COSDictionary resources = new COSDictionary();
            resources.setItem(COSName.FONT, fonts);
            resources.setDirect(true);
            form.setItem(COSName.DR, resources);
            form.setNeedToBeUpdated(true);
            document.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
            forged = saveIncremental(document);
        }

        assertNotValid(verify("needappearances-dr", forged));
    }

    /**
     * A page-open JavaScript action (/AA /PO) added to the widget of the fillable field "name" (a widget kid, not
     * merged with its field), which sets the read-only field "amount" to 900 when the page opens. AnnotationRule
     * removes every FormRule.FIELD_KEYS entry (/AA among them) from a widget's changes, "a merged field's own
     * entries are the form rule's"; but this widget is no field, so FormRule never looks at it: the change is
     * cleared at NONE. Acrobat and Foxit run it and show 900 (scripts may set read-only fields).
     */
    @Test
    void aScriptAddedToAWidgetKidIsTakenForAFieldEntry() throws Exception {
        byte[] signed = new PdfSealer().seal(twoFieldForm(true), material.request(1, 100, 100));
        byte[] forged;
        try (PDDocument document = Loader.loadPDF(signed)) {
            PDTextField name = (PDTextField) document.getDocumentCatalog().getAcroForm(null).getField("name");
            COSDictionary widget = name.getWidgets().get(0).getCOSObject();
            COSDictionary script = new COSDictionary();
            script.setItem(COSName.S, COSName.getPDFName("JavaScript"));
            script.setString(COSName.getPDFName("JS"), "this.getField('amount').value = '900';");
            script.setDirect(true);
            COSDictionary actions = new COSDictionary();
            actions.setItem(COSName.getPDFName("PO"), script);
            actions.setDirect(true);
            widget.setItem(COSName.AA, actions);
            widget.setNeedToBeUpdated(true);
            forged = saveIncremental(document);
        }

        assertNotValid(verify("widget-script", forged));
    }

    // ---- 5. a later signature that paints the page ---------------------------------------------------------

    /**
     * A second seal, genuinely made with another certificate under the same trusted root (any holder of one: a
     * second agency, an employee), whose appearance image is a whole-page picture of a forged page, placed over the
     * page. SignatureAdditionRule allows any later signature at FORM_FILLING whatever its widget covers, and the
     * visual comparison being added leaves the widgets of later verified signatures out: it would not catch it.
     */
    @Test
    void aLaterGenuineSealWhoseAppearanceIsAForgedPage() throws Exception {
        SealKey other = material.otherSealKey;
        java.awt.image.BufferedImage page = new java.awt.image.BufferedImage(595, 842,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = page.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 595, 842);
        g.setColor(java.awt.Color.BLACK);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12));
        g.drawString("Rejected", 72, 142);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(page, "png", png);
        byte[] forged = new PdfSealer().seal(sealed, new SealRequest(other, new SealAppearance(png.toByteArray(),
                210, 297), new SealPlacement(1, 105, 148.5), "另一专用章", "approval", Instant.now()));

        assertNotValid(verify("later-seal", forged));
    }

    // ---- 6. housekeeping that launders what the page tree walk does not reach -------------------------------

    /**
     * Prepared: the layered page of PdfCrafting.layeredPdf() ("Amount: 100" shown, "Amount: 900" in a layer the
     * default configuration switches off), whose /OCProperties /D /OFF array is an indirect object that /Info also
     * names (any entry). After sealing, the array is redefined empty. HousekeepingRule clears it as /Info data
     * ("played the same part before" and "draws nothing on any page"): RevisionDiff.shown() only walks from the
     * pages, and the layer configuration hangs from the catalog, yet it decides what the page shows. Viewers now
     * show "Amount: 900". The same laundering works through the structure tree or the DSS, and for any catalog-side
     * object that matters without being reached from a page (/OpenAction or /Names actions, /DR fonts).
     */
    @Test
    void theLayerSwitchLaunderedAsDocumentInformation() throws Exception {
        byte[] prepared;
        try (PDDocument document = Loader.loadPDF(PdfCrafting.layeredPdf())) {
            COSDictionary configuration = document.getDocumentCatalog().getCOSObject()
                    .getCOSDictionary(COSName.getPDFName("OCProperties")).getCOSDictionary(COSName.D);
            COSObject off = new COSObject(configuration.getCOSArray(COSName.OFF));
            configuration.setItem(COSName.OFF, off);
            document.getDocumentInformation().setProducer("layout engine");
            document.getDocumentInformation().getCOSObject().setItem(COSName.getPDFName("Layers"), off);
            prepared = TestMaterial.save(document);
        }
        byte[] signed = new PdfSealer().seal(prepared, material.request(1, 100, 100));
        assertThat(verifier.verify(signed).verdict()).isEqualTo(Verdict.VALID);
        COSObjectKey off;
        try (PDDocument document = Loader.loadPDF(signed)) {
            off = ((COSObject) document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.getPDFName("OCProperties"))
                    .getCOSDictionary(COSName.D).getItem(COSName.OFF)).getKey();
            assertThat(((COSObject) document.getDocument().getTrailer().getCOSDictionary(COSName.INFO)
                    .getItem(COSName.getPDFName("Layers"))).getKey()).isEqualTo(off);
        }
        byte[] forged = new PdfCrafting.Update(signed).object(off.getNumber(), "[]").write();

        assertNotValid(verify("layer-via-info", forged));
    }

    // ---- 7. objects inside object streams: PDFBox keeps the stream, not the index ----------------------------

    /**
     * An update whose cross-reference stream only changes the index (type-2 entry, third field) at which the page's
     * /Resources and its /Font dictionary are read from the signed object stream: it swaps them. PDFBox's xref
     * table keeps a compressed object as minus its stream's number and reads objects by the numbers in the stream's
     * header, so RevisionDiff sees the same "offset" and nothing redefined ("the document is unchanged since").
     * Readers that take the index from the cross-reference (poppler: "Unknown font tag 'F1'", the text is gone;
     * pdf.js reads entries[index]) draw the page with other objects than were sealed. With two pages or two images
     * in one object stream the same swap puts one page's resources on another.
     */
    @Test
    void anObjectStreamIndexChangedIsNoChangeForPdfBox() throws Exception {
        COSObjectKey resources = PdfCrafting.pageObjectKey(sealed, "Resources");
        COSObjectKey fonts = PdfCrafting.pageObjectKey(sealed, "Resources", "Font");
        long stream;
        List<Long> header = new ArrayList<>();
        try (PDDocument document = Loader.loadPDF(sealed)) {
            stream = -document.getDocument().getXrefTable().get(resources);
            assertThat(-document.getDocument().getXrefTable().get(fonts)).isEqualTo(stream);
            org.apache.pdfbox.cos.COSStream objects = (org.apache.pdfbox.cos.COSStream) document.getDocument()
                    .getObjectFromPool(new COSObjectKey(stream, 0)).getObject();
            String numbers;
            try (var in = objects.createInputStream()) {
                numbers = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .substring(0, objects.getInt(COSName.FIRST));
            }
            String[] pairs = numbers.trim().split("\\s+");
            for (int i = 0; i < pairs.length; i += 2) {
                header.add(Long.parseLong(pairs[i]));
            }
        }
        int resourcesAt = header.indexOf(resources.getNumber());
        int fontsAt = header.indexOf(fonts.getNumber());
        // a cross-reference stream, /W [1 4 2]: type 2, the same object stream, the other object's index
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        for (long[] row : new long[][]{{resources.getNumber(), fontsAt}, {fonts.getNumber(), resourcesAt}}) {
            rows.write(2);
            rows.write(java.nio.ByteBuffer.allocate(4).putInt((int) stream).array());
            rows.write(java.nio.ByteBuffer.allocate(2).putShort((short) row[1]).array());
        }
        long size = PdfCrafting.trailerSize(sealed);
        StringBuilder out = new StringBuilder(text(sealed));
        long at = bytes(out.toString()).length;
        out.append(size).append(" 0 obj\n<< /Type /XRef /Size ").append(size + 1).append(" /Root ")
                .append(PdfCrafting.catalogKey(sealed).getNumber()).append(" 0 R /Prev ")
                .append(PdfCrafting.lastStartXref(sealed)).append(" /Index [").append(resources.getNumber())
                .append(" 1 ").append(fonts.getNumber()).append(" 1] /W [1 4 2] /Length ").append(rows.size())
                .append(" >>\nstream\n").append(text(rows.toByteArray())).append("\nendstream\nendobj\nstartxref\n")
                .append(at).append("\n%%EOF\n");
        byte[] forged = bytes(out.toString());

        assertNotValid(verify("objstm-index", forged));
    }

    // ---- 8. the licence seal hidden from the verifier ------------------------------------------------------------

    /** A seal key of another holder under the same trusted root (a second agency, an employee). */
    static SealKey anotherTrustedKey() {
        return material.otherSealKey;
    }

    /**
     * A licence sealed by the licence service (/Info LicenceIdentifier REVOKED-ONE, now revoked). An update gives the
     * licence seal's field a kid with a /T: PDFBox now takes it for a non-terminal field, getSignatureFields() no
     * longer lists the licence seal, and the same update rewrites /Info (GOOD-ONE) and the page. A holder of any
     * trusted seal then seals the result. PdfVerifier reports one signature (the later one), analyses changes only
     * after it, reads the licence from the revision IT signed: VALID, licence GOOD-ONE, while the page still shows
     * the licence with the licence service's red seal.
     */
    @Test
    void aRevokedLicenceHiddenByMakingItsSealANonTerminalField() throws Exception {
        byte[] licencePdf;
        try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            document.getDocumentInformation().setCustomMetadataValue(PdfVerifier.LICENCE_IDENTIFIER, REVOKED_ONE);
            licencePdf = TestMaterial.save(document);
        }
        SealRequest base = material.request(1, 100, 100);
        byte[] signed = new PdfSealer().seal(licencePdf, new SealRequest(base.key(), base.appearance(),
                base.placement(), "测试专用章", PdfVerifier.LICENCE_ISSUANCE_REASON + " 测试证", Instant.now()));
        java.util.Map<String, String> statuses = java.util.Map.of(REVOKED_ONE, "REVOKED", GOOD_ONE, "VALID");
        PdfVerifier withStatus = new PdfVerifier(List.of(material.root)).withLicenceStatus(statuses::get);
        assertThat(withStatus.verify(signed).verdict()).isEqualTo(Verdict.INVALID);

        long seal;
        long info;
        try (PDDocument document = Loader.loadPDF(signed)) {
            seal = document.getSignatureFields().getFirst().getCOSObject().getKey().getNumber();
            info = ((COSObject) document.getDocument().getTrailer().getItem(COSName.INFO)).getKey().getNumber();
        }
        long kid = PdfCrafting.trailerSize(signed);
        COSObjectKey content = PdfCrafting.pageObjectKey(signed, "Contents");
        byte[] hidden = new PdfCrafting.Update(signed)
                .object(seal, lastBody(signed, seal).replaceFirst(">>\\s*$", "/Kids [" + kid + " 0 R] >>"))
                .object(kid, "<< /T (x) /Parent " + seal + " 0 R >>")
                .object(info, "<< /LicenceIdentifier (" + GOOD_ONE + ") >>")
                .stream(content.getNumber(), "", "BT /F1 12 Tf 72 700 Td (Approval result: licence extended to 2036) Tj ET")
                .write();
        byte[] forged = new PdfSealer().seal(hidden, new SealRequest(anotherTrustedKey(), base.appearance(),
                new SealPlacement(1, 160, 250), "另一专用章", "approval", Instant.now()));

        VerificationReport report = withStatus.verify(forged);
        if (System.getProperty("redteam.out") != null) {
            Files.write(Path.of(System.getProperty("redteam.out"), "hidden-licence.pdf"), forged);
        }
        assertNotValid(report);
    }

    // ---- tried and correctly refused (these pass today; they keep the refusals) --------------------------------

    @org.junit.jupiter.api.Nested
    class Refused {

        /** The fake signature of {@link #aFakeSignatureHiddenFromTheVerifierAsANonTerminalField} with a widget kid (no /T): PDFBox lists it, it fails. */
        @Test
        void aFakeSignatureThatPdfBoxSees() throws Exception {
            COSObjectKey page = ChangeRulesTest.pageKey(sealed);
            byte[] forged = ChangeRulesTest.withWidget(sealed, "/FT /Sig /T (Fake) /V << /Type /Sig /Filter "
                    + "/Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 30] /Contents <00> >>", true);
            assertThat(page).isNotNull();
            assertNotValid(verify("refused-fake", forged));
        }

        /** The signed object stream redefined (Helvetica -> Courier): every object in it counts as redefined. */
        @Test
        void theSignedObjectStreamRewritten() throws Exception {
            COSObjectKey fonts = PdfCrafting.pageObjectKey(sealed, "Resources", "Font");
            long stream;
            String data;
            int first;
            int count;
            try (PDDocument document = Loader.loadPDF(sealed)) {
                stream = -document.getDocument().getXrefTable().get(fonts);
                var objects = (org.apache.pdfbox.cos.COSStream) document.getDocument()
                        .getObjectFromPool(new COSObjectKey(stream, 0)).getObject();
                try (var in = objects.createInputStream()) {
                    data = text(in.readAllBytes());
                }
                first = objects.getInt(COSName.FIRST);
                count = objects.getInt(COSName.N);
            }
            assertThat(data).contains("/Helvetica");
            byte[] forged = new PdfCrafting.Update(sealed).stream(stream, "/Type /ObjStm /N " + count + " /First " + first,
                    data.replace("/Helvetica", "/Courier  ")).write();
            assertNotValid(verify("refused-objstm", forged));
        }

        /** The page content stream redefined and hung into a DSS added in the same update: still page content. */
        @Test
        void pageContentHungIntoTheDss() throws Exception {
            COSObjectKey content = PdfCrafting.pageObjectKey(sealed, "Contents");
            COSObjectKey catalog = PdfCrafting.catalogKey(sealed);
            String body = lastBody(sealed, catalog.getNumber());
            byte[] forged = new PdfCrafting.Update(sealed)
                    .stream(content.getNumber(), "", "BT /F1 24 Tf 72 700 Td (APPROVED) Tj ET")
                    .object(catalog.getNumber(), body.substring(0, body.lastIndexOf(">>")) + " /DSS << /Certs ["
                            + content.getNumber() + " 0 R] >> >>").write();
            assertNotValid(verify("refused-dss", forged));
        }

        /**
         * A hybrid-reference update: the classic table lists nothing, its /XRefStm stream redefines the page content.
         * PDFBox reads the /XRefStm entries (as readers that know cross-reference streams do): seen and refused.
         */
        @Test
        void aRedefinitionHiddenInTheXRefStmOfAHybridUpdate() throws Exception {
            COSObjectKey content = PdfCrafting.pageObjectKey(sealed, "Contents");
            long size = PdfCrafting.trailerSize(sealed);
            StringBuilder out = new StringBuilder(text(sealed));
            long contentAt = bytes(out.toString()).length;
            out.append(content.getNumber()).append(" 0 obj\n").append(stream("", "BT /F1 24 Tf 72 700 Td (APPROVED) Tj ET"))
                    .append("\nendobj\n");
            ByteArrayOutputStream row = new ByteArrayOutputStream();
            row.write(1);
            row.write(java.nio.ByteBuffer.allocate(4).putInt((int) contentAt).array());
            row.write(0);
            long streamAt = bytes(out.toString()).length;
            out.append(size).append(" 0 obj\n<< /Type /XRef /Size ").append(size + 1).append(" /Index [")
                    .append(content.getNumber()).append(" 1] /W [1 4 1] /Length 6 >>\nstream\n")
                    .append(text(row.toByteArray())).append("\nendstream\nendobj\n");
            long xref = bytes(out.toString()).length;
            out.append("xref\n0 0\ntrailer\n<< /Size ").append(size + 1).append(" /Root ")
                    .append(PdfCrafting.catalogKey(sealed).getNumber()).append(" 0 R /Prev ")
                    .append(PdfCrafting.lastStartXref(sealed)).append(" /XRefStm ").append(streamAt)
                    .append(" >>\nstartxref\n").append(xref).append("\n%%EOF\n");
            assertNotValid(verify("refused-hybrid", bytes(out.toString())));
        }

        /** /Rotate 90 put on the page tree node the page inherits from. */
        @Test
        void anInheritedRotationOnThePageTree() throws Exception {
            byte[] forged;
            try (PDDocument document = Loader.loadPDF(sealed)) {
                COSDictionary pages = document.getPages().getCOSObject();
                pages.setInt(COSName.ROTATE, 90);
                pages.setNeedToBeUpdated(true);
                forged = saveIncremental(document);
            }
            assertNotValid(verify("refused-rotate", forged));
        }

        /** A link action (/A) added to a widget kid: an annotation change, which an uncertified seal does not allow. */
        @Test
        void anActionAddedToAWidgetKid() throws Exception {
            byte[] signed = new PdfSealer().seal(twoFieldForm(true), material.request(1, 100, 100));
            byte[] forged;
            try (PDDocument document = Loader.loadPDF(signed)) {
                PDTextField name = (PDTextField) document.getDocumentCatalog().getAcroForm(null).getField("name");
                COSDictionary widget = name.getWidgets().get(0).getCOSObject();
                COSDictionary action = new COSDictionary();
                action.setItem(COSName.S, COSName.getPDFName("JavaScript"));
                action.setString(COSName.getPDFName("JS"), "app.alert('x')");
                action.setDirect(true);
                widget.setItem(COSName.A, action);
                widget.setNeedToBeUpdated(true);
                forged = saveIncremental(document);
            }
            assertNotValid(verify("refused-widget-action", forged));
        }
    }

    // ---- 9. the order of a page's annotations is what is drawn on top -------------------------------------------

    /**
     * Prepared: two opaque stamp-like annotations at the same place, "APPROVED" drawn first and "REJECTED" over it
     * (the later one in /Annots is painted on top): the signer sees REJECTED. After sealing, the page's /Annots
     * lists the same two annotations in the other order. PageRule compares the annotations as sets of object keys
     * (nothing added, nothing removed: NONE) and /Annots is a SILENT entry, so the page is cleared; viewers now
     * paint APPROVED on top.
     */
    @Test
    void theStackingOrderOfTwoAnnotationsReversed() throws Exception {
        byte[] prepared;
        try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            PDPage page = document.getPage(0);
            for (String word : List.of("APPROVED", "REJECTED")) {
                var square = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationSquare();
                square.setRectangle(new PDRectangle(60, 600, 300, 60));
                square.setPrinted(true);
                PDAppearanceStream stream = new PDAppearanceStream(document);
                stream.setBBox(new PDRectangle(300, 60));
                PDResources resources = new PDResources();
                resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD));
                stream.setResources(resources);
                try (var out = stream.getContentStream().createOutputStream()) {
                    out.write(bytes("1 1 1 rg 0 0 300 60 re f 0 0 0 rg BT /F1 36 Tf 10 15 Td (" + word + ") Tj ET"));
                }
                PDAppearanceDictionary appearance = new PDAppearanceDictionary();
                appearance.setNormalAppearance(stream);
                square.setAppearance(appearance);
                page.getAnnotations().add(square);
            }
            prepared = TestMaterial.save(document);
        }
        byte[] signed = new PdfSealer().seal(prepared, material.request(1, 160, 250));
        assertThat(verifier.verify(signed).verdict()).isEqualTo(Verdict.VALID);
        byte[] forged;
        try (PDDocument document = Loader.loadPDF(signed)) {
            COSDictionary page = document.getPage(0).getCOSObject();
            COSArray annots = page.getCOSArray(COSName.ANNOTS);
            COSArray reordered = new COSArray();
            reordered.add(annots.get(1));
            reordered.add(annots.get(0));
            for (int i = 2; i < annots.size(); i++) {
                reordered.add(annots.get(i));
            }
            reordered.setDirect(true);
            page.setItem(COSName.ANNOTS, reordered);
            page.setNeedToBeUpdated(true);
            forged = saveIncremental(document);
        }

        assertNotValid(verify("annots-order", forged));
    }

    // ---- 10. replacement text moved into a new structure element -------------------------------------------------

    /**
     * A tagged page ("Amount: 100" marked as MCID 0 of a /P structure element). After sealing, the /P element is
     * redefined so that its kid is a NEW /Span element for the same MCID carrying /ActualText (Amount: 900).
     * HousekeepingRule.fits() keeps /ActualText, /Alt and /E only on structure objects it redefines; an element the
     * update adds is not looked at. Screen readers, "read out loud", text export and copy of tagged PDFs take
     * /ActualText instead of the page's glyphs: they say 900. (Seen only by the rules; poppler ignores /ActualText.)
     */
    @Test
    void replacementTextCarriedByAnAddedStructureElement() throws Exception {
        byte[] prepared;
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(document, page)) {
                COSDictionary properties = new COSDictionary();
                properties.setInt(COSName.MCID, 0);
                content.beginMarkedContent(COSName.P,
                        org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDPropertyList.create(properties));
                PdfCrafting.text(content, new PDType1Font(Standard14Fonts.FontName.HELVETICA), 72, 700, "Amount: 100");
                content.endMarkedContent();
            }
            page.getCOSObject().setInt(COSName.STRUCT_PARENTS, 0);
            COSDictionary root = new COSDictionary();
            root.setItem(COSName.TYPE, COSName.STRUCT_TREE_ROOT);
            COSDictionary element = new COSDictionary();
            element.setItem(COSName.TYPE, COSName.getPDFName("StructElem"));
            element.setItem(COSName.S, COSName.P);
            element.setItem(COSName.P, root);
            element.setItem(COSName.getPDFName("Pg"), page.getCOSObject());
            element.setInt(COSName.K, 0);
            COSArray kids = new COSArray();
            kids.add(element);
            root.setItem(COSName.K, kids);
            COSDictionary parentTree = new COSDictionary();
            COSArray nums = new COSArray();
            nums.add(org.apache.pdfbox.cos.COSInteger.ZERO);
            COSArray marked = new COSArray();
            marked.add(element);
            nums.add(marked);
            parentTree.setItem(COSName.NUMS, nums);
            root.setItem(COSName.PARENT_TREE, parentTree);
            document.getDocumentCatalog().getCOSObject().setItem(COSName.STRUCT_TREE_ROOT, root);
            COSDictionary markInfo = new COSDictionary();
            markInfo.setBoolean(COSName.getPDFName("Marked"), true);
            document.getDocumentCatalog().getCOSObject().setItem(COSName.MARK_INFO, markInfo);
            prepared = TestMaterial.save(document);
        }
        byte[] signed = new PdfSealer().seal(prepared, material.request(1, 160, 250));
        assertThat(verifier.verify(signed).verdict()).isEqualTo(Verdict.VALID);
        byte[] forged;
        try (PDDocument document = Loader.loadPDF(signed)) {
            COSDictionary root = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.STRUCT_TREE_ROOT);
            COSDictionary element = (COSDictionary) root.getCOSArray(COSName.K).getObject(0);
            COSDictionary span = new COSDictionary();
            span.setItem(COSName.TYPE, COSName.getPDFName("StructElem"));
            span.setItem(COSName.S, COSName.getPDFName("Span"));
            span.setItem(COSName.P, element);
            span.setItem(COSName.getPDFName("Pg"), document.getPage(0).getCOSObject());
            span.setInt(COSName.K, 0);
            span.setString(COSName.getPDFName("ActualText"), "Amount: 900");
            COSArray kids = new COSArray();
            kids.add(span);
            kids.setDirect(true);
            element.setItem(COSName.K, kids);
            element.setNeedToBeUpdated(true);
            forged = saveIncremental(document);
        }

        assertNotValid(verify("actualtext", forged));
    }
}
