package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.pki.keys.Sm2Signatures;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.core.pki.keys.SealKey;

import java.time.Instant;
import java.util.Objects;

/**
 * One seal to put on one PDF: whose key signs, what the reader sees and where, and the claimed signing time
 * that goes into the signature dictionary's /M.
 */
public record SealRequest(SealKey key, SealAppearance appearance, SealPlacement placement,
                          String sealName, String reason, Instant signingTime, SignatureLevel level,
                          Integer certification, QrCode qr, SESeal nationalSeal) {

    /** A seal with or without a QR code, not in national mode. */
    public SealRequest(SealKey key, SealAppearance appearance, SealPlacement placement, String sealName, String reason,
                       Instant signingTime, SignatureLevel level, Integer certification, QrCode qr) {
        this(key, appearance, placement, sealName, reason, signingTime, level, certification, qr, null);
    }

    /** A seal at a level, certifying or not, without a QR code. */
    public SealRequest(SealKey key, SealAppearance appearance, SealPlacement placement, String sealName, String reason,
                       Instant signingTime, SignatureLevel level, Integer certification) {
        this(key, appearance, placement, sealName, reason, signingTime, level, certification, null);
    }

    /** This request with a QR code printed on the seal's page. */
    public SealRequest withQr(QrCode code) {
        return new SealRequest(key, appearance, placement, sealName, reason, signingTime, level, certification, code,
                nationalSeal);
    }

    /**
     * This request in national mode: besides the PAdES signature (SM3withSM2), a GB/T 38540 SES_Signature of this
     * seal over the same byte ranges, carried in the CMS (see {@link PdfSesSignature}). SM2 keys only.
     */
    public SealRequest withNationalSeal(SESeal seal) {
        return new SealRequest(key, appearance, placement, sealName, reason, signingTime, level, certification, qr,
                seal);
    }

    /** A PAdES-BASELINE-B seal. */
    public SealRequest(SealKey key, SealAppearance appearance, SealPlacement placement, String sealName, String reason,
                       Instant signingTime) {
        this(key, appearance, placement, sealName, reason, signingTime, SignatureLevel.B_B, null, null);
    }

    /** A seal at a level, not certifying. */
    public SealRequest(SealKey key, SealAppearance appearance, SealPlacement placement, String sealName, String reason,
                       Instant signingTime, SignatureLevel level) {
        this(key, appearance, placement, sealName, reason, signingTime, level, null, null);
    }

    /**
     * @param certification null for an approval signature; 1, 2 or 3 to certify the document (DocMDP P): 1 no
     *                      change allowed, 2 form filling and further signatures, 3 also annotations
     */
    public SealRequest {
        Objects.requireNonNull(level, "level");
        if (certification != null && (certification < 1 || certification > 3)) {
            throw new IllegalArgumentException("DocMDP permissions are 1, 2 or 3");
        }
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(appearance, "appearance");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(sealName, "sealName");
        Objects.requireNonNull(signingTime, "signingTime");
        if (nationalSeal != null && !Sm2Signatures.isSm2(key.certificate().getPublicKey())) {
            throw new IllegalArgumentException("a GB/T 38540 seal signature is made with an SM2 key");
        }
    }
}
