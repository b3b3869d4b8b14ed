package cn.yinxin.core.ofd.seal;

import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import cn.yinxin.core.ses.SESeal;

import java.time.Instant;
import java.util.Objects;

/**
 * One GB/T 38540 seal to put on an OFD: the seal (SESeal from the seal maker), the signer's SM2 key (whose
 * certificate the seal lists), where it goes (as for PDF: page and centre in mm from the top-left corner, an anchor
 * text, or across pages) and the signing time (TBS_Sign timeInfo and SignatureDateTime). The printed size is the
 * seal picture's (SES_ESPictrueInfo width and height, mm).
 */
public record OfdSealRequest(SESeal seal, SealKey signer, SealPlacement placement, Instant signingTime) {

    public OfdSealRequest {
        Objects.requireNonNull(seal, "seal");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(signingTime, "signingTime");
        if (!Sm2Signatures.isSm2(signer.certificate().getPublicKey())) {
            throw new IllegalArgumentException("a GB/T 38540 seal signature is made with an SM2 key");
        }
        if (placement.field() != null) {
            throw new IllegalArgumentException("an OFD has no signature fields: place the seal by position, anchor "
                    + "text or across pages");
        }
    }
}
