package cn.yinxin.core.pdf.verify;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page's content the raw scan decoded already is not decoded again, and the budget counts what it counted before:
 * the same total whether the second decoding is taken from the raw scan or made.
 */
class MeasuredStreamsTest {

    @Test
    void aPagesContentTheRawScanDecodedIsTakenAndCountedAsBefore() throws Exception {
        byte[] pdf = pages(false);
        try (PDDocument document = Loader.loadPDF(pdf)) {
            MeasuredStreams measured = InputBounds.checkRaw(pdf, RevisionLayout.of(pdf), DecodeBudget.defaults());
            for (PDPage page : document.getPages()) {
                COSStream content = (COSStream) page.getCOSObject().getDictionaryObject(COSName.CONTENTS);
                assertThat(measured.counted(content)).isEqualTo(DecodeBudget.defaults().measure(content));
            }
            assertThat(total(pdf, document, true)).isEqualTo(total(pdf, document, false));
        }
    }

    /**
     * Another stream of the same length and filters (a bomb PDFBox might read where the raw scan read something
     * benign) is never taken for one the raw scan decoded: only the very same bytes are.
     */
    @Test
    void otherBytesOfTheSameLengthAreDecodedAgain() throws Exception {
        byte[] pdf = pages(false);
        try (PDDocument document = Loader.loadPDF(pdf)) {
            MeasuredStreams measured = InputBounds.checkRaw(pdf, RevisionLayout.of(pdf), DecodeBudget.defaults());
            COSStream content = (COSStream) document.getPage(0).getCOSObject().getDictionaryObject(COSName.CONTENTS);
            byte[] raw;
            try (var in = content.createRawInputStream()) {
                raw = in.readAllBytes();
            }
            assertThat(measured.counted(content)).isPositive();
            raw[raw.length / 2] ^= 0x5A;
            COSStream other = document.getDocument().createCOSStream();
            try (OutputStream out = other.createRawOutputStream()) {
                out.write(raw);
            }
            other.setItem(COSName.FILTER, COSName.FLATE_DECODE);
            assertThat(measured.counted(other)).isEqualTo(-1);
        }
    }

    /**
     * A stream that starts with the very bytes of the longest stream the raw scan decoded and goes on (what a
     * reader cut to that length would see as equal) is decoded again: the comparison reads one byte more than the
     * longest kept.
     */
    @Test
    void aLongerStreamThatStartsWithAKeptOneIsDecodedAgain() throws Exception {
        byte[] pdf = longPage();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            MeasuredStreams measured = InputBounds.checkRaw(pdf, RevisionLayout.of(pdf), DecodeBudget.defaults());
            byte[] longest = new byte[0];
            for (PDPage page : document.getPages()) {
                try (var in = ((COSStream) page.getCOSObject().getDictionaryObject(COSName.CONTENTS))
                        .createRawInputStream()) {
                    byte[] raw = in.readAllBytes();
                    longest = raw.length > longest.length ? raw : longest;
                }
            }
            COSStream longer = document.getDocument().createCOSStream();
            try (OutputStream out = longer.createRawOutputStream()) {
                out.write(longest);
                out.write(new byte[]{1, 2, 3});
            }
            longer.setItem(COSName.FILTER, COSName.FLATE_DECODE);
            assertThat(measured.counted(longer)).isEqualTo(-1);
        }
    }

    /**
     * A content stream with a PNG predictor: the raw scan inflates without it (one byte more per row), so what it
     * counted is not what decoding the page's content counts, and the content is decoded again.
     */
    @Test
    void aContentWithDecodingParametersIsDecodedAgain() throws Exception {
        byte[] pdf = pages(true);
        try (PDDocument document = Loader.loadPDF(pdf)) {
            MeasuredStreams measured = InputBounds.checkRaw(pdf, RevisionLayout.of(pdf), DecodeBudget.defaults());
            COSStream content = (COSStream) document.getPage(1).getCOSObject().getDictionaryObject(COSName.CONTENTS);
            assertThat(content.containsKey(COSName.DECODE_PARMS)).isTrue();
            assertThat(measured.counted(content)).isEqualTo(-1);
            assertThat(total(pdf, document, true)).isEqualTo(total(pdf, document, false));
        }
    }

    /** What a verification's two checks count together, the second taking what the first decoded or not. */
    private static long total(byte[] pdf, PDDocument document, boolean taken) {
        DecodeBudget budget = DecodeBudget.defaults();
        MeasuredStreams measured = InputBounds.checkRaw(pdf, RevisionLayout.of(pdf), budget);
        InputBounds.checkParsed(document, budget, taken ? measured : MeasuredStreams.none());
        return budget.decodedBytes();
    }

    /** One page of 400 lines: its content is the longest stream of the file (longer than the object streams). */
    private static byte[] longPage() throws Exception {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            try (var text = new PDPageContentStream(document, page)) {
                text.beginText();
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 2);
                text.newLineAtOffset(20, 820);
                for (int line = 1; line <= 400; line++) {
                    text.showText("Line " + line + " of a long page, " + Integer.toHexString(line * 7919) + ".");
                    text.newLineAtOffset(0, -2);
                }
                text.endText();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    /** Two pages of text; with {@code predictor}, page 2's content is Flate with a PNG predictor (12, 8 columns). */
    private static byte[] pages(boolean predictor) throws Exception {
        try (PDDocument document = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 1; p <= 2; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                try (var text = new PDPageContentStream(document, page)) {
                    text.beginText();
                    text.setFont(font, 10);
                    text.newLineAtOffset(60, 780);
                    for (int line = 1; line <= 40; line++) {
                        text.showText("Page " + p + ", line " + line + ": counted once, decoded once.");
                        text.newLineAtOffset(0, -12);
                    }
                    text.endText();
                }
            }
            if (predictor) {
                PDPage second = document.getPage(1);
                COSStream content = document.getDocument().createCOSStream();
                byte[] plain = "BT /F1 10 Tf 60 700 Td (predicted) Tj ET\n".repeat(8).getBytes();
                ByteArrayOutputStream rows = new ByteArrayOutputStream();
                for (int i = 0; i < plain.length; i += 8) {
                    rows.write(0); // PNG row filter None
                    rows.write(plain, i, Math.min(8, plain.length - i));
                    for (int pad = plain.length - i; pad < 8; pad++) {
                        rows.write(' ');
                    }
                }
                Deflater deflater = new Deflater();
                deflater.setInput(rows.toByteArray());
                deflater.finish();
                byte[] buffer = new byte[4096];
                int n = deflater.deflate(buffer);
                try (OutputStream out = content.createRawOutputStream()) {
                    out.write(buffer, 0, n);
                }
                content.setItem(COSName.FILTER, COSName.FLATE_DECODE);
                COSDictionary parameters = new COSDictionary();
                parameters.setInt(COSName.PREDICTOR, 12);
                parameters.setInt(COSName.COLUMNS, 8);
                content.setItem(COSName.DECODE_PARMS, parameters);
                second.getCOSObject().setItem(COSName.CONTENTS, content);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }
}
