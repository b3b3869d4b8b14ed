package cn.yinxin.core.pdf.verify.report;

import cn.yinxin.core.pdf.PdfText;
import javax.imageio.ImageIO;

import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import cn.yinxin.core.text.Language;
import cn.yinxin.core.text.Messages;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A verification result as a PDF a clerk can file: the verdict in Chinese and English, what was verified (name,
 * size and SHA-256 of the document, when), and each signature's finding with its reasons. The text is set in a
 * TrueType CJK font embedded as a subset; the caller seals the result (the verifier's own seal), so the report
 * itself can be verified later.
 */
public final class ReportDocument {

    private static final float MARGIN = 56;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneId.of("UTC"));

    private final PDDocument document;
    private final PdfText text;
    private PDPageContentStream content;
    private float y;

    private ReportDocument(PDDocument document, PdfText text) {
        this.document = document;
        this.text = text;
    }

    /** The first CJK font found ({@link PdfText#defaultCjkFont()}). */
    public static Path defaultFont() {
        return PdfText.defaultCjkFont();
    }

    /** The report as an unsigned one- or several-page A4 PDF. */
    public static byte[] render(VerificationReport report, String documentName, String documentSha256, Path fontFile) {
        try (PDDocument document = new PDDocument()) {
            ReportDocument writer = new ReportDocument(document, PdfText.load(document, fontFile));
            writer.write(report, documentName, documentSha256);
            writer.content.close();
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle("验证报告 Verification report: " + cut(cleaned(documentName), 80));
            info.setProducer("Yinxin verifier");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("the verification report cannot be written", e);
        }
    }

    private void write(VerificationReport report, String name, String sha256) throws IOException {
        newPage();
        line("电子印章与签名验证报告  Verification report", 16, Color.BLACK);
        y -= 8;
        Color colour = switch (report.verdict()) {
            case VALID -> new Color(0, 120, 50);
            case INVALID, NOT_SIGNED -> new Color(190, 0, 0);
            case INDETERMINATE -> new Color(170, 110, 0);
        };
        line(verdict(report.verdict()), 26, colour);
        bilingual(report.summary(), 10, Color.DARK_GRAY, "");
        y -= 6;
        line(given("文件名（上传者所称）Document name, as uploaded: ", name, 10), 10, Color.BLACK);
        paragraph("大小 Size: " + report.documentBytes() + " bytes", 10, Color.BLACK);
        paragraph("SHA-256: " + sha256, 9, Color.BLACK);
        paragraph("验证时间 Validated at: " + TIME.format(report.validationTime()), 10, Color.BLACK);
        int n = 1;
        for (SignatureReport signature : report.signatures()) {
            y -= 10;
            line(given("签名 Signature " + n++ + "  ", signature.field(), 12), 12, Color.BLACK);
            paragraph("结论 Result: " + outcome(signature) + "  ·  " + signature.indication() + (signature.subIndication() == null ? ""
                    : " / " + signature.subIndication()) + (signature.format() == null ? "" : "  ·  " + signature.format()), 10, Color.BLACK);
            if (signature.seal() != null) {
                // a seal's name and agency are the certificate's word: a clerk reads them as found only when it held
                paragraph((confirmed(signature) ? "印章 Seal: " : "印章（所称，未确认）Seal, as claimed, NOT confirmed: ")
                        + cleaned(signature.seal().name()) + " — " + cleaned(signature.seal().agency()) + " ("
                        + cleaned(signature.seal().agencyCode()) + ")", 10, Color.BLACK);
            }
            if (signature.person() != null) {
                paragraph((confirmed(signature) ? "个人签名 Personal signature: " : "个人签名（所称，未确认）Personal "
                        + "signature, as claimed, NOT confirmed: ") + cleaned(signature.person().name()) + " ("
                        + signature.person().maskedResidentId() + ")", 10, Color.BLACK);
            }
            if (signature.handwritten() != null) {
                paragraph((signature.handwritten().bound() ? "手写签名已绑定 Handwritten signature bound: "
                        : "手写签名未绑定 Handwritten signature NOT bound: ")
                        + cleaned(signature.handwritten().explanation()), 9,
                        Color.BLACK);
            }
            if (signature.signer() != null) {
                paragraph((confirmed(signature) ? "签署人 Signer: " : "签署人（所称，未确认）Signer, as claimed, NOT "
                        + "confirmed: ") + cleaned(signature.signer().subject()), 9, Color.BLACK);
            }
            if (signature.timeStampedAt() != null) {
                paragraph("时间戳 Time-stamped: " + TIME.format(signature.timeStampedAt()), 10, Color.BLACK);
            } else if (signature.claimedSigningTime() != null) {
                paragraph("声明的签署时间 Claimed signing time: " + TIME.format(signature.claimedSigningTime()), 10, Color.BLACK);
            }
            for (String reason : signature.reasons()) {
                bilingual(cleaned(reason), 9, Color.DARK_GRAY, "· ");
            }
            changes(signature);
        }
        y -= 12;
        paragraph("本报告由核验服务加盖电子印章，可在任何核验端再次验证。 This report is sealed by the verification service; "
                + "it can itself be verified anywhere.", 8, Color.GRAY);
    }

    /** Whether the signature held (TOTAL_PASSED): only then are its seal's and signer's names more than claims. */
    private static boolean confirmed(SignatureReport signature) {
        return signature.indication() == Indication.TOTAL_PASSED;
    }

    /** Each change after signing, in Chinese and English, with the pictures of its page when there are some. */
    private void changes(SignatureReport signature) throws IOException {
        for (var change : signature.changesAfterSigning()) {
            Color shade = change.allowed() ? Color.DARK_GRAY : new Color(190, 0, 0);
            String description = cleaned(change.description());
            paragraph("△ " + (change.allowed() ? "允许的修改：" : "不允许的修改：")
                    + Messages.localise(description, Language.ZH), 9, shade);
            paragraph("   " + (change.allowed() ? "allowed: " : "not allowed: ") + description, 8, shade);
            if (change.pictures() != null) {
                pictures(change.pictures(), change.page());
            }
        }
    }

    /**
     * A name the uploader (the file name) or the document (a field's name) chose, quoted on one line: cleaned of
     * control, format (bidi) and line-separating characters, its spaces collapsed, cut to what one line holds. Printed
     * whole, a name of spaces and words wrapped into lines of their own ("印章 Seal: ..." under the verdict) that the
     * sealed report then stated as its findings.
     */
    private String given(String label, String name, float size) throws IOException {
        String clean = cut(cleaned(name), 120);
        while (true) {
            String line = label + "「" + clean + "」";
            if (clean.codePointCount(0, clean.length()) <= 1 || text.wrap(line, size, WIDTH).size() <= 1) {
                return line;
            }
            clean = cut(clean, clean.codePointCount(0, clean.length()) - 2);
        }
    }

    /** {@code name} without control, format or separator characters, each run of white space one space. */
    static String cleaned(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder clean = new StringBuilder();
        name.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean blank = Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                    || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
            if (!blank) {
                clean.appendCodePoint(c);
            } else if (!clean.isEmpty() && clean.charAt(clean.length() - 1) != ' ') {
                clean.append(' ');
            }
        });
        return clean.toString().strip();
    }

    /** The first {@code max} code points of {@code name}, "…" marking a cut. */
    static String cut(String name, int max) {
        if (name.codePointCount(0, name.length()) <= max) {
            return name;
        }
        return name.substring(0, name.offsetByCodePoints(0, Math.max(0, max - 1))) + "…";
    }

    /** A sentence of the verifier in Chinese, the English beneath it when it differs (a clerk files this). */
    private void bilingual(String english, float size, Color colour, String bullet) throws IOException {
        String chinese = Messages.localise(english, Language.ZH);
        paragraph(bullet + chinese, size, colour);
        if (!chinese.equals(english)) {
            paragraph(" ".repeat(bullet.length() * 2) + english, size - 1, Color.GRAY);
        }
    }

    /** The ETSI sub-indication (else the indication) in a clerk's words: "盖章后文件内容被改动" for HASH_FAILURE. */
    private static String outcome(SignatureReport signature) {
        String text = signature.subIndication() == null ? null
                : Messages.text("subIndication." + signature.subIndication().name(), Language.ZH);
        return text != null ? text : Messages.textOr("indication." + signature.indication().name(), Language.ZH,
                signature.indication().name());
    }

    /** The page as signed beside the page now, the change outlined in red: what was sealed, on paper. */
    private void pictures(VerificationReport.Pictures pictures, Integer page) throws IOException {
        float gap = 12;
        float width = (WIDTH - gap) / 2;
        float height = 0;
        BufferedImage[] images = {read(pictures.signedPng()), read(pictures.nowPng())};
        for (var image : images) {
            if (image != null) {
                height = Math.max(height, Math.min(300, width * image.getHeight() / image.getWidth()));
            }
        }
        if (height == 0) {
            return;
        }
        if (y - height - 16 < MARGIN + 90) {
            newPage();
        }
        y -= 4;
        String[] captions = {"签署时 As signed (p. " + page + ")", "现在 Now (p. " + page + ")"};
        for (int i = 0; i < 2; i++) {
            float x = MARGIN + i * (width + gap);
            content.setNonStrokingColor(Color.DARK_GRAY);
            text.show(content, captions[i], 8, x, y - 8);
            if (images[i] == null) {
                text.show(content, "（无此页 no such page）", 8, x, y - 24);
                continue;
            }
            float w = Math.min(width, height * images[i].getWidth() / images[i].getHeight());
            float h = w * images[i].getHeight() / images[i].getWidth();
            var xobject = LosslessFactory.createFromImage(document, images[i]);
            content.drawImage(xobject, x, y - 12 - h, w, h);
            content.setStrokingColor(Color.LIGHT_GRAY);
            content.addRect(x, y - 12 - h, w, h);
            content.stroke();
        }
        y -= height + 16;
    }

    private static BufferedImage read(byte[] png) throws IOException {
        return png == null ? null : ImageIO.read(new ByteArrayInputStream(png));
    }

    static String verdict(Verdict verdict) {
        return switch (verdict) {
            case VALID -> "有效  Valid";
            case INVALID -> "无效  Not valid";
            case INDETERMINATE -> "无法确认  Cannot tell";
            case NOT_SIGNED -> "未签名  Not signed";
        };
    }

    private void newPage() throws IOException {
        if (content != null) {
            content.close();
        }
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        content = new PDPageContentStream(document, page);
        y = PDRectangle.A4.getHeight() - MARGIN;
    }

    private void line(String line, float size, Color colour) throws IOException {
        line(line, size, colour, MARGIN);
    }

    private void line(String line, float size, Color colour, float x) throws IOException {
        if (y - size * 1.4f < MARGIN + 90) {
            // keep the bottom free for the seal
            newPage();
        }
        y -= size * 1.4f;
        content.setNonStrokingColor(colour);
        text.show(content, line, size, x, y);
    }

    /**
     * A paragraph wrapped to the page, every line after the first indented: only the report's own first lines start
     * at the margin, where its headings ("签名 Signature", "结论 Result", "印章 Seal") are, so a name or value the
     * document chose, however long, never wraps into a line that reads as a finding of the report's own.
     */
    private void paragraph(String paragraph, float size, Color colour) throws IOException {
        float hang = 2 * size;
        List<String> lines = text.wrap(paragraph, size, WIDTH - hang);
        for (int i = 0; i < lines.size(); i++) {
            line(lines.get(i), size, colour, i == 0 ? MARGIN : MARGIN + hang);
        }
    }
}
