package cn.yinxin.core.pdf.verify.visual;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick "drawn as signed" answer, with what earlier pages proved kept for the later ones: two pages share one
 * resources dictionary and its font.
 */
class SameDefinitionsTest {

    @Test
    void pagesThatShareUnchangedResourcesAreSameAndTheSharedPartIsProvedOnce() throws Exception {
        byte[] signed = twoPagesSharingAFont();
        byte[] now = appendedUnrelatedObject(signed);
        try (PDDocument before = Loader.loadPDF(signed); PDDocument after = Loader.loadPDF(now)) {
            SameDefinitions.Proven proven = new SameDefinitions.Proven();
            assertThat(SameDefinitions.page(before, before.getPage(0), after, after.getPage(0), proven)).isTrue();
            assertThat(proven.contains(after.getPage(1).getCOSObject().getCOSDictionary(COSName.RESOURCES)))
                    .isTrue();
            assertThat(SameDefinitions.page(before, before.getPage(1), after, after.getPage(1), proven)).isTrue();
        }
    }

    /**
     * The font both pages draw with is redefined after signing. The first page's walk stops at the font, its shared
     * resources already seen but not followed to their end: the second page must not take them as proved.
     */
    @Test
    void aWalkThatStoppedAtAChangeProvesNothingForTheNextPage() throws Exception {
        byte[] signed = twoPagesSharingAFont();
        byte[] now = fontRedefined(signed);
        try (PDDocument before = Loader.loadPDF(signed); PDDocument after = Loader.loadPDF(now)) {
            SameDefinitions.Proven proven = new SameDefinitions.Proven();
            assertThat(SameDefinitions.page(before, before.getPage(0), after, after.getPage(0), proven)).isFalse();
            assertThat(SameDefinitions.page(before, before.getPage(1), after, after.getPage(1), proven)).isFalse();
            // and each page on its own says the same
            assertThat(SameDefinitions.page(before, before.getPage(1), after, after.getPage(1))).isFalse();
        }
    }

    /** Two pages whose /Resources is one indirect dictionary naming one indirect font. */
    private static byte[] twoPagesSharingAFont() throws Exception {
        try (PDDocument document = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDResources shared = new PDResources();
            COSName name = shared.add(font);
            for (int p = 1; p <= 2; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                page.setResources(shared);
                document.addPage(page);
                try (var content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(shared.getFont(name), 12);
                    content.newLineAtOffset(72, 700);
                    content.showText("Page " + p + ": 1000 CNY");
                    content.endText();
                }
            }
            var out = new ByteArrayOutputStream();
            document.save(out, CompressParameters.NO_COMPRESSION);
            return out.toByteArray();
        }
    }

    /** An incremental update that redefines the shared font (Courier for Helvetica). */
    private static byte[] fontRedefined(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDResources resources = document.getPage(0).getResources();
            COSName name = resources.getFontNames().iterator().next();
            var font = resources.getCOSObject().getCOSDictionary(COSName.FONT).getCOSDictionary(name);
            assertThat(document.getPage(1).getResources().getCOSObject()).isSameAs(resources.getCOSObject());
            font.setName(COSName.BASE_FONT, "Courier");
            font.setNeedToBeUpdated(true);
            return incremental(document, pdf);
        }
    }

    /** An incremental update that changes nothing a page reaches (a new entry in the document information). */
    private static byte[] appendedUnrelatedObject(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            document.getDocumentInformation().setTitle("after signing");
            document.getDocumentInformation().getCOSObject().setNeedToBeUpdated(true);
            return incremental(document, pdf);
        }
    }

    private static byte[] incremental(PDDocument document, byte[] pdf) throws Exception {
        var out = new ByteArrayOutputStream();
        document.saveIncremental(out);
        byte[] now = out.toByteArray();
        assertThat(Arrays.equals(now, 0, pdf.length, pdf, 0, pdf.length)).isTrue();
        return now;
    }
}
