package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;

/**
 * {@code SESeal ::= SEQUENCE { esealInfo SES_SealInfo, signInfo SES_SignInfo }} with {@code SES_SignInfo ::= SEQUENCE {
 * cert OCTET STRING, signatureAlgorithm OBJECT IDENTIFIER, signData BIT STRING }}: a GM/T 0031-2014 (v1) seal.
 * Yinxin reads it (seals made by other systems) and does not make it. The maker signs, as in v4, the seal info with
 * the maker certificate and the algorithm; {@link SesVerifier} accepts the same {@link MakerSignatureForm}s.
 */
public final class SESealV1 extends ASN1Object implements ElectronicSeal {

    private final SesSealInfo sealInfo;
    private final byte[] makerCertificate;
    private final ASN1ObjectIdentifier signAlgId;
    private final byte[] signedValue;

    public SESealV1(SesSealInfo sealInfo, byte[] makerCertificate, ASN1ObjectIdentifier signAlgId, byte[] signedValue) {
        this.sealInfo = sealInfo;
        this.makerCertificate = makerCertificate.clone();
        this.signAlgId = signAlgId;
        this.signedValue = signedValue.clone();
    }

    /** Decodes a v1 SESeal (DER bytes or an ASN.1 sequence); IllegalArgumentException when it is not one. */
    public static SESealV1 getInstance(Object o) {
        if (o instanceof SESealV1 s) {
            return s;
        }
        try {
            ASN1Sequence s = o instanceof byte[] der ? ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der))
                    : ASN1Sequence.getInstance(o);
            Asn1.size(s, 2, 2, "SESeal (v1)");
            ASN1Sequence signInfo = ASN1Sequence.getInstance(s.getObjectAt(1));
            Asn1.size(signInfo, 3, 3, "SES_SignInfo");
            return new SESealV1(SesSealInfo.getInstance(s.getObjectAt(0)),
                    ASN1OctetString.getInstance(signInfo.getObjectAt(0)).getOctets(),
                    ASN1ObjectIdentifier.getInstance(signInfo.getObjectAt(1)), Asn1.octets(signInfo.getObjectAt(2)));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a DER v1 SESeal: " + e.getMessage(), e);
        }
    }

    @Override
    public SesSealInfo sealInfo() {
        return sealInfo;
    }

    @Override
    public byte[] makerCertificate() {
        return makerCertificate.clone();
    }

    @Override
    public ASN1ObjectIdentifier signAlgId() {
        return signAlgId;
    }

    @Override
    public byte[] signedValue() {
        return signedValue.clone();
    }

    @Override
    public byte[] der() {
        return Asn1.der(this);
    }

    @Override
    public ASN1Primitive toASN1Primitive() {
        var signInfo = new ASN1EncodableVector();
        signInfo.add(new DEROctetString(makerCertificate));
        signInfo.add(signAlgId);
        signInfo.add(new DERBitString(signedValue));
        var v = new ASN1EncodableVector();
        v.add(sealInfo);
        v.add(new DERSequence(signInfo));
        return new DERSequence(v);
    }
}
