package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

import java.time.Instant;

/**
 * A seal applied to data (an SES_Signature) in either version Yinxin reads: GB/T 38540 v4 ({@link SesSignature}) or
 * GM/T 0031-2014 v1 ({@link SesSignatureV1}, read only). What {@link SesVerifier} needs of either.
 */
public sealed interface SealSignature permits SesSignature, SesSignatureV1 {

    /** TBS_Sign's version (1 or 4). */
    int version();

    ElectronicSeal seal();

    /** The signing time TBS_Sign states. */
    Instant timeInfo();

    byte[] dataHash();

    /** What dataHash covers, in the signer's words. */
    String propertyInfo();

    /** The signer's certificate (DER). */
    byte[] signerCertificate();

    ASN1ObjectIdentifier signatureAlgId();

    byte[] signature();

    /** The RFC 3161 token over the signature bits (v4 only), or null. */
    byte[] timeStamp();

    /** What the signer signed: DER(TBS_Sign). */
    byte[] signedBytes();

    byte[] der();

    /**
     * Decodes a DER SES_Signature of either version, told apart by TBS_Sign's version (1: GM/T 0031-2014, otherwise
     * the GB/T 38540 layout); IllegalArgumentException when it is neither.
     */
    static SealSignature decode(byte[] der) {
        try {
            ASN1Sequence s = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            Asn1.size(s, 2, 5, "SES_Signature");
            ASN1Sequence tbs = ASN1Sequence.getInstance(s.getObjectAt(0));
            Asn1.size(tbs, 5, 7, "TBS_Sign");
            int version = ASN1Integer.getInstance(tbs.getObjectAt(0)).intValueExact();
            return version == SesHeader.VERSION_1 ? SesSignatureV1.getInstance(s) : SesSignature.getInstance(s);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a DER SES_Signature: " + e.getMessage(), e);
        }
    }
}
