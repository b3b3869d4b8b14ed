package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * An electronic seal in either version Yinxin reads: GB/T 38540 v4 ({@link SESeal}, which Yinxin also makes) or
 * GM/T 0031-2014 v1 ({@link SESealV1}, read only). Both carry the same seal information (v1 writes its property in
 * another layout) and the maker's certificate, algorithm and signature; {@link SesVerifier} checks either the same way.
 */
public sealed interface ElectronicSeal permits SESeal, SESealV1 {

    SesSealInfo sealInfo();

    /** The seal maker's certificate (DER). */
    byte[] makerCertificate();

    ASN1ObjectIdentifier signAlgId();

    /** The maker's signature value. */
    byte[] signedValue();

    byte[] der();

    /** The version the seal's header states (1 or 4 for a seal that verifies). */
    default int version() {
        return sealInfo().header().version();
    }

    /**
     * Decodes a DER seal of either version, told apart by the version in its header (1: GM/T 0031-2014, otherwise
     * the GB/T 38540 layout); IllegalArgumentException when it is neither.
     */
    static ElectronicSeal decode(byte[] der) {
        try {
            ASN1Sequence s = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            Asn1.size(s, 2, 4, "SESeal");
            int version = SesSealInfo.getInstance(s.getObjectAt(0)).header().version();
            return version == SesHeader.VERSION_1 ? SESealV1.getInstance(s) : SESeal.getInstance(s);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a DER SESeal: " + e.getMessage(), e);
        }
    }
}
