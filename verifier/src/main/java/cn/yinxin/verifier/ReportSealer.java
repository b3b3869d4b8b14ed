package cn.yinxin.verifier;

import cn.yinxin.core.pdf.PdfSealer;
import cn.yinxin.core.pdf.ReportDocument;
import cn.yinxin.core.pdf.SealAppearance;
import cn.yinxin.core.pdf.SealPlacement;
import cn.yinxin.core.pdf.SealRequest;
import cn.yinxin.core.pdf.VerificationReport;
import cn.yinxin.core.pki.SealKey;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Turns a verification report into a PDF (core's ReportDocument: verdict in Chinese and English, document hash,
 * each signature's findings) and seals it with the verifier's own seal, at the bottom of the first page.
 */
final class ReportSealer {

    private final SealKey key;
    private final SealAppearance look;
    private final String sealName;
    private final PdfSealer sealer = new PdfSealer();

    ReportSealer(Path sealFile, String password) {
        try {
            this.key = SealKey.fromPkcs12(sealFile, password == null ? new char[0] : password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the verifier's seal " + sealFile + " cannot be opened: " + e.getMessage(), e);
        }
        var subject = org.bouncycastle.asn1.x500.X500Name.getInstance(key.certificate().getSubjectX500Principal().getEncoded());
        var cn = subject.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
        this.sealName = cn.length == 0 ? "verifier" : cn[0].getFirst().getValue().toString();
        this.look = new SealAppearance(roundSeal(), 38, 38);
    }

    byte[] report(VerificationReport report, String documentName, byte[] document) throws GeneralSecurityException {
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
        byte[] pdf = ReportDocument.render(report, documentName, sha256, ReportDocument.defaultFont());
        return sealer.seal(pdf, new SealRequest(key, look, new SealPlacement(1, 160, 255), sealName,
                "验证报告 verification report", Instant.now()));
    }

    /** A plain round seal drawn once (the verifier's seal has no registered image). */
    private static byte[] roundSeal() {
        var image = new java.awt.image.BufferedImage(456, 456, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        var g = image.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new java.awt.Color(30, 80, 170));
        g.setStroke(new java.awt.BasicStroke(18));
        g.drawOval(14, 14, 428, 428);
        g.setStroke(new java.awt.BasicStroke(6));
        g.drawOval(60, 60, 336, 336);
        g.fillOval(198, 198, 60, 60);
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
