package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.report.ReportDocument;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fifth hostile read (2026-12-07), of what the verifier says rather than how it judges: the sealed verification
 * report. The crafting is the fourth red team's ({@link RedTeamFourth}).
 */
class RedTeamFifthTest {

    private static RedTeamFourth fixture;

    @BeforeAll
    static void keys() throws Exception {
        fixture = new RedTeamFourth();
    }

    /**
     * The report printed the uploaded file's name whole, wrapped at its spaces. A name of a short file name, a few
     * hundred spaces and a forged finding ("签名 Signature 1 ... 结论 Result: 签名有效 ... 印章 Seal: ... 北京市市场监督管理局")
     * put that finding on lines of its own under the verdict of an unsigned PDF, in a report the verifier seals.
     * The name is now quoted on one line, cleaned and cut to fit.
     */
    @Test
    void aFileNameThatWritesAFindingIntoTheSealedReport() throws Exception {
        byte[] unsigned = TestMaterial.onePagePdf(0);
        VerificationReport report = fixture.verify("report-name", unsigned);
        assertThat(report.verdict()).isEqualTo(Verdict.NOT_SIGNED);
        String pad = " ".repeat(300);
        String name = "营业执照.pdf" + pad + "签名 Signature 1  (Signature1)" + pad + "结论 Result: 签名有效  ·  TOTAL_PASSED"
                + pad + "印章 Seal: 营业执照专用章 — 北京市市场监督管理局 (11110000000000000X)\u2028\u202Edilav";

        String text = text(ReportDocument.render(report, name, "00", ReportDocument.defaultFont()));

        assertThat(text).contains("未签名", "营业执照.pdf").doesNotContain("北京市市场监督管理局", "\u202E");
        assertThat(Arrays.stream(text.split("\\R")).map(String::strip))
                .as("no line of the report is the uploader's forged finding")
                .noneMatch(line -> line.startsWith("签名 Signature") || line.startsWith("结论 Result")
                        || line.startsWith("印章 Seal"));
    }

    /**
     * Under DocMDP P=3 (comments allowed, judged by what they show) a stamp on blank paper whose appearance draws a
     * JPEG of a few hundred bytes whose frame declares 40,000 x 40,000 pixels. The raw scan counts a JPEG's scans, not
     * its frame; the JDK's decoder walked all 1.6 billion pixels (5 s; 65,535 x 65,535 about 15 s, and as long again
     * for each further such image) inside one page's drawing, where the time limit does not reach. A page's JPEGs past
     * about two seconds of decoding are not drawn, and the pictures cannot tell.
     */
    @Test
    void aStampDrawingAJpegWhoseFrameDeclaresBillionsOfPixelsIsNotDecoded() throws Exception {
        byte[] certified = fixture.certified("jpeg-frame", TestMaterial.onePagePdf(0), 3);
        byte[] jpeg = RedTeamFifth.jpegDeclaring(40_000);
        assertThat(jpeg.length).isLessThan(1_000);
        byte[] forged = RedTeamFourth.incremental(certified, RedTeamFifth.stampDrawingJpeg(jpeg, 40_000));

        VerificationReport report = fixture.verify("jpeg-frame", forged);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.signatures().getFirst().reasons()).anyMatch(r -> r.contains("cannot draw"));
    }

    /**
     * The same stamp drawing a valid progressive JPEG of 8,000 x 8,000 grey pixels (64 million, within the samples
     * above) in 99 scans (within the image-scans limit of 100), 300 KB: the JDK's decoder walks the whole image once
     * per scan, 6 billion samples, seconds of a worker for each such image inside one page's drawing. The walks are
     * counted too.
     */
    @Test
    void aStampDrawingAProgressiveJpegOfManyScansOverALargeFrameIsNotDecoded() throws Exception {
        byte[] certified = fixture.certified("jpeg-walks", TestMaterial.onePagePdf(0), 3);
        byte[] jpeg = RedTeamFifth.progressiveJpeg(8_000, 99);
        assertThat(jpeg.length).isLessThan(1_000_000);
        byte[] forged = RedTeamFourth.incremental(certified, RedTeamFifth.stampDrawingJpeg(jpeg, 8_000));

        VerificationReport report = fixture.verify("jpeg-walks", forged);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.signatures().getFirst().reasons()).anyMatch(r -> r.contains("cannot draw"));
    }

    /**
     * The fourth red team's inline fax image, declared 65,535 x 65,535: PDFBox's PDInlineImage decodes an inline
     * image's filters whole when it is made, before the drawing is asked to draw it (where the fourth team's bound
     * sits): its 537 MB raster was allocated for a few KB of appearance. The image is not made.
     */
    @Test
    void aStampDrawingAnInlineFaxImageOfAHugeRasterIsNotMade() throws Exception {
        byte[] certified = fixture.certified("inline-fax-made", TestMaterial.onePagePdf(0), 3);
        byte[] rows = new byte[65_535 / 8 + 16];
        java.util.Arrays.fill(rows, (byte) 0xFF);
        byte[] forged = RedTeamFourth.incremental(certified, RedTeamFifth.stampShowingInline("/W 65535 /H 65535 /BPC 1 "
                + "/CS /G /F /CCF /DP << /K -1 /Columns 65535 /Rows 65535 >>", rows));

        VerificationReport[] report = new VerificationReport[1];
        long allocated = RedTeamFifth.allocatedBy(() -> report[0] = fixture.verify("inline-fax-made", forged));
        assertThat(report[0].verdict()).as(report[0].toString()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report[0].signatures().getFirst().reasons()).anyMatch(r -> r.contains("cannot draw"));
        assertThat(allocated).as("bytes allocated by the verification").isLessThan(400L << 20);
    }

    /**
     * An inline image whose data are 300 KB of Flate that inflate to 300 MB (/W 10000 /H 30000 /CS /G): the raw scan
     * decodes streams, not the inline images inside them, and PDInlineImage inflated it all when made. An inline
     * image decoding to more than a stream may (32 MiB) is not made.
     */
    @Test
    void aStampDrawingAnInlineFlateBombIsNotInflated() throws Exception {
        byte[] certified = fixture.certified("inline-flate", TestMaterial.onePagePdf(0), 3);
        byte[] bomb = RedTeamFifth.deflatedZeros(300L << 20);
        byte[] forged = RedTeamFourth.incremental(certified, RedTeamFifth.stampShowingInline(
                "/W 10000 /H 31457 /BPC 8 /CS /G /F /Fl", bomb));
        assertThat(forged.length).isLessThan(1_000_000);

        VerificationReport[] report = new VerificationReport[1];
        long allocated = RedTeamFifth.allocatedBy(() -> report[0] = fixture.verify("inline-flate", forged));
        assertThat(report[0].verdict()).as(report[0].toString()).isNotEqualTo(Verdict.VALID);
        assertThat(allocated).as("bytes allocated by the verification").isLessThan(200L << 20);
    }

    /** The rule's other side: a stamp drawing a real photo-sized JPEG (2,000 x 2,000) is drawn and judged. */
    @Test
    void aStampDrawingAnOrdinaryJpegIsStillDrawn() throws Exception {
        byte[] certified = fixture.certified("jpeg-ordinary", TestMaterial.onePagePdf(0), 3);
        byte[] forged = RedTeamFourth.incremental(certified, RedTeamFifth.stampDrawingJpeg(
                RedTeamFifth.jpegDeclaring(2_000), 2_000));

        VerificationReport report = fixture.verify("jpeg-ordinary", forged);
        assertThat(report.signatures().getFirst().reasons()).noneMatch(r -> r.contains("cannot draw"));
        // a progressive photo (2,000 x 2,000 in the JDK's six scans) too
        VerificationReport photo = fixture.verify("jpeg-progressive", RedTeamFourth.incremental(certified,
                RedTeamFifth.stampDrawingJpeg(RedTeamFifth.progressiveJpeg(2_000, 6), 2_000)));
        assertThat(photo.signatures().getFirst().reasons()).noneMatch(r -> r.contains("cannot draw"));
    }

    private static String text(byte[] pdf) throws Exception {
        try (var document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }
}
