package cn.yinxin.core.ses;

import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import cn.yinxin.core.pki.cms.TimeStamper;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * Applies a seal to data (GB/T 38540 SES_Signature): TBS_Sign with dataHash = SM3(data), signed by the signer's SM2
 * key with SM3withSM2 (user ID 1234567812345678) over DER(TBS_Sign); with a time-stamper, an RFC 3161 token over the
 * signature bits.
 */
public final class SesSigner {

    private SesSigner() {
    }

    /**
     * @param propertyInfo what dataHash covers (for OFD: the path of Signature.xml)
     * @param timeStamper  null for no time-stamp
     */
    public static SesSignature sign(SESeal seal, SealKey signer, byte[] data, String propertyInfo, Instant time,
                                    TimeStamper timeStamper) throws GeneralSecurityException {
        if (!Sm2Signatures.isSm2(signer.certificate().getPublicKey())) {
            throw new IllegalArgumentException("a GB/T 38540 signature is made with SM2");
        }
        byte[] hash = MessageDigest.getInstance("SM3", Providers.bouncyCastle()).digest(data);
        return signDigest(seal, signer, hash, propertyInfo, time, timeStamper);
    }

    /** As {@link #sign} with dataHash computed already (SM3 of data read as a stream, as a PDF's byte ranges are). */
    public static SesSignature signDigest(SESeal seal, SealKey signer, byte[] hash, String propertyInfo, Instant time,
                                          TimeStamper timeStamper) throws GeneralSecurityException {
        if (!Sm2Signatures.isSm2(signer.certificate().getPublicKey())) {
            throw new IllegalArgumentException("a GB/T 38540 signature is made with SM2");
        }
        TbsSign tbs = new TbsSign(SesHeader.VERSION, seal, time, hash, propertyInfo, null);
        byte[] signature = Sm2Signatures.sign(signer.privateKey(), Asn1.der(tbs));
        byte[] token = timeStamper == null ? null : timeStamper.timeStamp(signature);
        return new SesSignature(tbs, signer.certificate().getEncoded(), GMObjectIdentifiers.sm2sign_with_sm3,
                signature, token);
    }
}
