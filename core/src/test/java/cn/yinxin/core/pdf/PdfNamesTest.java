package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PDFBox's table of names does not grow with the documents a service draws, seals and verifies ({@link PdfNames}):
 * every licence PDF names its fonts with a subset tag of its own characters, two new names a licence (404 after 200
 * documents before); here none is left after each document (no other thread makes names meanwhile), which a million-row conversion would have kept in each service's heap for good.
 */
class PdfNamesTest {

    @Test
    void documentsDrawnSealedAndVerifiedLeaveNoNamesBehind() throws Exception {
        Map<?, ?> names = table();
        TestMaterial material = new TestMaterial();
        Random random = new Random(3);
        for (int i = 0; i < 60; i++) {
            String holder = "持证人 " + (char) (0x4e00 + random.nextInt(20_000)) + (char) (0x4e00 + random.nextInt(20_000));
            byte[] drawn = draw(holder);
            assertThat(names).as("after drawing document " + i).isEmpty();
            if (i % 10 == 0) {
                byte[] sealed = new PdfSealer().seal(drawn, material.request(1, 100, 100));
                assertThat(names).as("after sealing document " + i).isEmpty();
                new PdfVerifier(List.of(material.root)).verify(sealed);
                assertThat(names).as("after verifying document " + i).isEmpty();
            }
        }
    }

    private static byte[] draw(String line) throws Exception {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PdfText text = PdfText.forText(document, PdfTextPages.FONT, List.of(line));
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                text.show(content, line, 12, 50, 700);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            text.close();
            return out.toByteArray();
        }
    }

    /** PDFBox's own table (COSName.nameMap), read for the test only. */
    private static Map<?, ?> table() throws ReflectiveOperationException {
        var field = COSName.class.getDeclaredField("nameMap");
        field.setAccessible(true);
        return (Map<?, ?>) field.get(null);
    }
}
