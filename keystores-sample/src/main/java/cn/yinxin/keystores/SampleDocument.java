package cn.yinxin.keystores;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** A one-page A4 approval result, the kind of document approval systems send to be sealed. */
public final class SampleDocument {

    private SampleDocument() {
    }

    public static byte[] approvalResult() throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            var bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            var regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream text = new PDPageContentStream(document, page)) {
                text.beginText();
                text.setFont(bold, 18);
                text.newLineAtOffset(72, 760);
                text.showText("Administrative Approval Decision (sample)");
                text.setFont(regular, 12);
                String[] lines = {
                    "Decision no.: SAMPLE-2026-000123",
                    "Applicant: Sample Trading Co., Ltd.",
                    "Matter: Food business licence, new issue",
                    "Decision: approved.",
                    "",
                    "Issuing authority: Sample City Administrative Approval Bureau",
                    "Date: 2026-11-23",
                };
                for (String line : lines) {
                    text.newLineAtOffset(0, -22);
                    text.showText(line);
                }
                text.endText();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }
}
