package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.changes.ChangeRulesTest;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import org.apache.pdfbox.cos.COSObjectKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static cn.yinxin.core.pdf.PdfCrafting.lastBody;
import static cn.yinxin.core.pdf.RedTeamTest.APPEARANCE_ENTRIES;
import static cn.yinxin.core.pdf.RedTeamTest.APPROVED;
import static cn.yinxin.core.pdf.RedTeamTest.assertNotValid;
import cn.yinxin.core.pdf.RedTeamTest.Obj;
import static cn.yinxin.core.pdf.RedTeamTest.revision;
import static cn.yinxin.core.pdf.RedTeamTest.stream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second hostile review (issue 17), after the verifier gained raw cross-reference checks, the field-tree signature
 * listing, the visual proof and its SameDefinitions shortcut. Each test is an attack on a genuinely sealed document
 * that the verifier, as it stands, answers VALID although what a person sees is not what was sealed; each asserts
 * NOT VALID, so each fails until its hole is closed. With -Dredteam.out=DIR each crafted file is written there.
 */
class RedTeamSecondTest {

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

    static VerificationReport verify(String name, byte[] forged) throws Exception {
        return RedTeamTest.verified(verifier, name, forged);
    }

    /** An empty signature field added with a widget painting APPROVED over the signed text, flagged {@code flags}, box {@code rect}. */
    static byte[] emptySignatureField(String flags, String rect) throws Exception {
        COSObjectKey page = ChangeRulesTest.pageKey(sealed);
        COSObjectKey catalog = PdfCrafting.catalogKey(sealed);
        long field = PdfCrafting.trailerSize(sealed);
        long look = field + 1;
        return revision(sealed, List.of(
                Obj.of(look, stream(APPEARANCE_ENTRIES, APPROVED)),
                Obj.of(field, "<< /FT /Sig /T (Reviewer) /Type /Annot /Subtype /Widget /F " + flags + " /P "
                        + page.getNumber() + " 0 R /Rect " + rect + " /AP << /N " + look + " 0 R >> >>"),
                Obj.of(page.getNumber(), lastBody(sealed, page.getNumber()).replaceFirst("/Annots \\[",
                        "/Annots [" + field + " 0 R ")),
                Obj.of(catalog.getNumber(), lastBody(sealed, catalog.getNumber()).replaceFirst("/Fields \\[",
                        "/Fields [" + field + " 0 R "))), List.of(), null, "");
    }

    /**
     * An empty signature field whose widget's flags are the real number 6.5 (not an integer): RevisionDiff.visible()
     * reads them with getInt (6 = Hidden|Print), calls the widget invisible, and FormRule clears it at FORM_FILLING;
     * PDFBox draws nothing (Hidden), so the visual proof sees nothing either. ISO 32000-1 12.5.3 makes /F an
     * integer; poppler (Evince, Okular, pdftoppm: seen) and pdf.js take a non-integer /F for "no flags" and draw
     * the widget: APPROVED 1,000,000 CNY over the sealed text.
     */
    @Test
    void anEmptySignatureFieldHiddenByARealNumberFlag() throws Exception {
        assertNotValid(verify("flags-real", emptySignatureField("6.5", "[60 680 410 760]")));
    }

    /**
     * The same widget flagged Print (4), its /Rect given a fifth number: RevisionDiff.visible() calls any /Rect that
     * is not exactly four numbers invisible; PDFBox ignores such a /Rect (nothing drawn, the visual proof is
     * satisfied). MuPDF (pdf_to_rect reads the first four numbers) draws it.
     */
    @Test
    void anEmptySignatureFieldWithAFiveNumberRect() throws Exception {
        assertNotValid(verify("rect-five", emptySignatureField("4", "[60 680 410 760 0]")));
    }

    // ---- the visual proof's shortcut (SameDefinitions) ----------------------------------------------------------

    /**
     * A page with a free-text note that has no appearance stream of its own (/DA only): ISO 32000-1 12.5.6.6 and
     * 12.7.3.3 have a reader draw its text with the font its /DA names from the interactive form's /DR, and PDFBox's
     * renderer (PDFreeTextAppearanceHandler) and poppler do exactly that.
     */
    static byte[] freeTextPdf() throws Exception {
        try (org.apache.pdfbox.pdmodel.PDDocument document = org.apache.pdfbox.Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            org.apache.pdfbox.cos.COSDictionary note = new org.apache.pdfbox.cos.COSDictionary();
            note.setName(org.apache.pdfbox.cos.COSName.TYPE, "Annot");
            note.setName(org.apache.pdfbox.cos.COSName.SUBTYPE, "FreeText");
            note.setItem(org.apache.pdfbox.cos.COSName.RECT, new org.apache.pdfbox.pdmodel.common.PDRectangle(70, 600, 330, 40).getCOSArray());
            note.setString(org.apache.pdfbox.cos.COSName.DA, "/Helv 24 Tf 0 g");
            note.setString(org.apache.pdfbox.cos.COSName.CONTENTS, "Amount 1000 CNY");
            note.setInt(org.apache.pdfbox.cos.COSName.F, 4);
            var page = document.getPage(0);
            org.apache.pdfbox.cos.COSArray annots = new org.apache.pdfbox.cos.COSArray();
            annots.add(note);
            page.getCOSObject().setItem(org.apache.pdfbox.cos.COSName.ANNOTS, annots);
            return TestMaterial.save(document);
        }
    }

    /**
     * The sealed page carries a free-text note without an appearance stream ("Amount 1000 CNY", /DA /Helv). After
     * sealing, the form dictionary gains a /DR whose /Helv is Helvetica re-encoded (the digit 0 given no width, so
     * "1000" is drawn "10"). FormRule allows a new /DR at LTA_UPDATES when no *field* is drawn from it (it does not count
     * annotations drawn from /DA); the form dictionary is no object the page reaches, so SameDefinitions finds every
     * object the page reaches at its signed cross-reference entry and the page is never drawn -- although PageInputs
     * digests /DR precisely because drawing reads it. PDFBox and poppler (pdftoppm, seen) draw the signed "Amount 1000 CNY" as "Amount 10 CNY".
     */
    @Test
    void aFreeTextNoteRedrawnWithAFontSwappedInTheFormsDefaults() throws Exception {
        byte[] base = new PdfSealer().seal(freeTextPdf(), material.request(1, 100, 100));
        assertThat(verifier.verify(base).verdict()).isEqualTo(Verdict.VALID);
        COSObjectKey catalog = PdfCrafting.catalogKey(base);
        String catalogBody = lastBody(base, catalog.getNumber());
        long font = PdfCrafting.trailerSize(base);
        String dr = " /DR << /Font << /Helv " + font + " 0 R >> >>";
        List<Obj> objects = new java.util.ArrayList<>();
        // Helvetica as it is, but for the digit 0, which no longer advances: "1000" is drawn as "10"
        var helvetica = new org.apache.pdfbox.pdmodel.font.PDType1Font(
                org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA);
        StringBuilder widths = new StringBuilder();
        for (int code = 32; code <= 126; code++) {
            widths.append(code == '0' ? 0 : Math.round(helvetica.getWidth(code))).append(' ');
        }
        objects.add(Obj.of(font, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "
                + "/FirstChar 32 /LastChar 126 /Widths [" + widths + "] >>"));
        java.util.regex.Matcher form = java.util.regex.Pattern.compile("/AcroForm\\s*(\\d+) 0 R").matcher(catalogBody);
        if (form.find()) {
            long number = Long.parseLong(form.group(1));
            objects.add(Obj.of(number, lastBody(base, number).replaceFirst("<<", "<<" + dr)));
        } else {
            objects.add(Obj.of(catalog.getNumber(), catalogBody.replaceFirst("/AcroForm\\s*<<", "/AcroForm <<" + dr)));
        }
        byte[] forged = revision(base, objects, List.of(), null, "");

        assertNotValid(verify("freetext-dr", forged));
    }

    // ---- an object the signed revision names but does not have ----------------------------------------------

    /**
     * A document prepared before sealing whose page names a second content stream "500 0 R" that the file does not
     * define (a missing object is null: nothing is drawn, ISO 32000-1 7.3.10). After sealing, the attacker defines
     * object 500. RevisionDiff only judges objects *redefined* ("an added object can matter only through an object
     * that now refers to it, and that object is redefined"): none is, so the rules see no change at all.
     */
    static byte[] danglingContent() throws Exception {
        byte[] plain;
        try (var document = org.apache.pdfbox.Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            var out = new java.io.ByteArrayOutputStream();
            document.save(out, org.apache.pdfbox.pdfwriter.compress.CompressParameters.NO_COMPRESSION);
            plain = out.toByteArray();
        }
        COSObjectKey page = ChangeRulesTest.pageKey(plain);
        COSObjectKey content = PdfCrafting.pageObjectKey(plain, "Contents");
        String body = lastBody(plain, page.getNumber()).replaceFirst("/Contents " + content.getNumber() + " 0 R",
                "/Contents [" + content.getNumber() + " 0 R 500 0 R]");
        assertThat(body).contains("500 0 R");
        return revision(plain, List.of(Obj.of(page.getNumber(), body)), List.of(), null, "");
    }

    /**
     * Refused today, but only by the pictures (VISIBLE_CHANGE): the change rules report nothing at all. The next test
     * takes the pictures away.
     */
    @Test
    void aContentStreamTheSignedPageNamedButTheFileLackedIsDefinedAfterSealing() throws Exception {
        byte[] base = new PdfSealer().seal(danglingContent(), material.request(1, 100, 100));
        assertThat(verifier.verify(base).verdict()).isEqualTo(Verdict.VALID);
        byte[] forged = revision(base, List.of(Obj.of(500, stream("", "q 1 0 0 1 62 680 cm " + APPROVED + " Q"))),
                List.of(), null, "");

        assertNotValid(verify("dangling", forged));
    }

    /**
     * The same forgery, hidden from the pictures: over the defined object 500 the attacker adds a document
     * time-stamp from any trusted TSA (our /tsa is public) whose widget is flagged Hidden (/F 2) but whose /Rect
     * (7% of the page, under the quarter VisualProof.Signatures.small allows) covers what object 500 paints. The
     * rules take the hidden widget for an invisible time-stamp (LTA_UPDATES, and SignatureAdditionRule.coverage()
     * skips invisible widgets); VisualProof.Signatures.widgets() leaves out the /Rect of every widget of a signature
     * that verified, hidden or not, so VisualComparison blanks that box in both pictures. The page shows APPROVED
     * 1,000,000 CNY in every reader; the verdict is VALID.
     */
    @Test
    void anObjectTheSignedPageLackedDefinedUnderAHiddenTimeStampWidget() throws Exception {
        LongTermMaterial pki = new LongTermMaterial();
        PdfVerifier online = new PdfVerifier(List.of(pki.root), pki.revocation());
        byte[] base = new PdfSealer(pki.timeStamper(), pki.revocation()).seal(danglingContent(), new SealRequest(
                pki.sealKey, material.request(1, 0, 0).appearance(), new SealPlacement(1, 150, 240), "测试专用章",
                null, java.time.Instant.now(), SignatureLevel.B_B));
        assertThat(online.verify(base).verdict()).isEqualTo(Verdict.VALID);
        byte[] defined = revision(base, List.of(Obj.of(500, stream("", "q 1 0 0 1 62 680 cm " + APPROVED + " Q"))),
                List.of(), null, "");
        byte[] forged = hiddenTimeStamp(defined, pki.timeStamper(),
                new org.apache.pdfbox.pdmodel.common.PDRectangle(55, 670, 370, 100));

        String dir = System.getProperty("redteam.out");
        if (dir != null) {
            Files.write(Path.of(dir, "dangling-under-timestamp.pdf"), forged);
        }
        VerificationReport report = online.verify(forged);
        System.out.println("dangling-under-timestamp: " + report.verdict() + " " + report.signatures().stream()
                .map(s -> s.field() + " " + s.indication() + " " + s.changesAfterSigning()).toList());
        assertNotValid(report);
    }

    /** A document time-stamp whose widget is flagged Hidden, placed at {@code box} on page 1. */
    static byte[] hiddenTimeStamp(byte[] pdf, cn.yinxin.core.pki.cms.TimeStamper stamper,
                                  org.apache.pdfbox.pdmodel.common.PDRectangle box) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf);
             var options = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions()) {
            var timeStamp = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature();
            timeStamp.setType(org.apache.pdfbox.cos.COSName.DOC_TIME_STAMP);
            timeStamp.setFilter(org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature.FILTER_ADOBE_PPKLITE);
            timeStamp.setSubFilter(org.apache.pdfbox.cos.COSName.getPDFName("ETSI.RFC3161"));
            options.setPreferredSignatureSize(20_000);
            document.addSignature(timeStamp, options);
            for (var field : document.getSignatureFields()) {
                if (field.getCOSObject().getDictionaryObject(org.apache.pdfbox.cos.COSName.V) == timeStamp.getCOSObject()) {
                    var widget = field.getWidgets().getFirst();
                    widget.setRectangle(box);
                    widget.setHidden(true);
                    widget.getCOSObject().setNeedToBeUpdated(true);
                    var page = document.getPage(0);
                    if (!page.getAnnotations().contains(widget)) {
                        page.getAnnotations().add(widget);
                    }
                    page.getCOSObject().setNeedToBeUpdated(true);
                    page.getCOSObject().getCOSArray(org.apache.pdfbox.cos.COSName.ANNOTS).setNeedToBeUpdated(true);
                }
            }
            var external = document.saveIncrementalForExternalSigning(out);
            try (var content = external.getContent()) {
                external.setSignature(stamper.timeStamp(content));
            }
        }
        return out.toByteArray();
    }

    /**
     * Prepared before sealing: APPROVED 1,000,000 CNY drawn inside an optional content membership dictionary
     * (/Type /OCMD) over two layers that are both off, whose visibility policy /P names object 900, which the file
     * does not define (null: the default AnyOn, so the text is hidden when sealed). After sealing the attacker
     * defines "900 0 obj /AllOff" (both layers are off: the text shows, in PDFBox as in poppler). No object is
     * redefined, so no rule sees anything; SameDefinitions skips /P in every dictionary it walks (BACK_LINKS,
     * meant for an annotation's page), so it finds all the page reaches unchanged and the page is never drawn,
     * although PageInputs digests an OCMD's /P (it skips /P only on pages and annotations).
     */
    @Test
    void aLayerPolicyTheSignedFileLackedIsDefinedAfterSealing() throws Exception {
        byte[] prepared;
        try (var document = org.apache.pdfbox.Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            var layers = new org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentProperties();
            var draft = new org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentGroup("draft");
            var notes = new org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentGroup("notes");
            layers.addGroup(draft);
            layers.addGroup(notes);
            layers.setGroupEnabled(draft, false);
            layers.setGroupEnabled(notes, false);
            document.getDocumentCatalog().setOCProperties(layers);
            var membership = new org.apache.pdfbox.cos.COSDictionary();
            membership.setName(org.apache.pdfbox.cos.COSName.TYPE, "OCMD");
            var groups = new org.apache.pdfbox.cos.COSArray();
            groups.add(draft.getCOSObject());
            groups.add(notes.getCOSObject());
            membership.setItem(org.apache.pdfbox.cos.COSName.OCGS, groups);
            membership.setName(org.apache.pdfbox.cos.COSName.P, "PLACEHOLDERX");
            var page = document.getPage(0);
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(document, page,
                    org.apache.pdfbox.pdmodel.PDPageContentStream.AppendMode.APPEND, false)) {
                content.beginMarkedContent(org.apache.pdfbox.cos.COSName.OC,
                        org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDPropertyList.create(membership));
                content.setNonStrokingColor(1f, 1f, 1f);
                content.addRect(62, 680, 350, 80);
                content.fill();
                content.setNonStrokingColor(0f, 0f, 0f);
                content.beginText();
                content.setFont(new org.apache.pdfbox.pdmodel.font.PDType1Font(
                        org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA), 24);
                content.newLineAtOffset(72, 725);
                content.showText("APPROVED");
                content.newLineAtOffset(0, -30);
                content.showText("1,000,000 CNY");
                content.endText();
                content.endMarkedContent();
            }
            var out = new java.io.ByteArrayOutputStream();
            document.save(out, org.apache.pdfbox.pdfwriter.compress.CompressParameters.NO_COMPRESSION);
            // the same length, so that the cross-reference table stays right: a reference to an undefined object
            String text = PdfCrafting.text(out.toByteArray());
            assertThat(text).contains("/PLACEHOLDERX");
            prepared = PdfCrafting.bytes(text.replace("/PLACEHOLDERX", "900 0 R      "));
        }
        byte[] base = new PdfSealer().seal(prepared, material.request(1, 100, 100));
        assertThat(verifier.verify(base).verdict()).isEqualTo(Verdict.VALID);
        byte[] forged = revision(base, List.of(Obj.of(900, "/AllOff")), List.of(), null, "");

        assertNotValid(verify("layer-policy", forged));
    }
}
