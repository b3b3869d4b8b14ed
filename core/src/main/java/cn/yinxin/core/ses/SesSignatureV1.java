package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;

import java.time.Instant;

/**
 * {@code SES_Signature ::= SEQUENCE { toSign TBS_Sign, signature BIT STRING }}: a GM/T 0031-2014 (v1) seal signature,
 * the signer's SM2 signature over DER(TBS_Sign). Read only; it has no time-stamp field.
 */
public final class SesSignatureV1 extends ASN1Object implements SealSignature {

    private final TbsSignV1 toSign;
    private final byte[] signature;

    public SesSignatureV1(TbsSignV1 toSign, byte[] signature) {
        this.toSign = toSign;
        this.signature = signature.clone();
    }

    public static SesSignatureV1 getInstance(Object o) {
        if (o instanceof SesSignatureV1 s) {
            return s;
        }
        try {
            ASN1Sequence s = o instanceof byte[] der ? ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der))
                    : ASN1Sequence.getInstance(o);
            Asn1.size(s, 2, 2, "SES_Signature (v1)");
            return new SesSignatureV1(TbsSignV1.getInstance(s.getObjectAt(0)), Asn1.octets(s.getObjectAt(1)));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a DER v1 SES_Signature: " + e.getMessage(), e);
        }
    }

    public TbsSignV1 toSign() {
        return toSign;
    }

    @Override
    public int version() {
        return toSign.version();
    }

    @Override
    public SESealV1 seal() {
        return toSign.seal();
    }

    @Override
    public Instant timeInfo() {
        return toSign.time();
    }

    @Override
    public byte[] dataHash() {
        return toSign.dataHash();
    }

    @Override
    public String propertyInfo() {
        return toSign.propertyInfo();
    }

    @Override
    public byte[] signerCertificate() {
        return toSign.signerCertificate();
    }

    @Override
    public ASN1ObjectIdentifier signatureAlgId() {
        return toSign.signatureAlgId();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public byte[] timeStamp() {
        return null;
    }

    @Override
    public byte[] signedBytes() {
        return Asn1.der(toSign);
    }

    @Override
    public byte[] der() {
        return Asn1.der(this);
    }

    @Override
    public ASN1Primitive toASN1Primitive() {
        var v = new ASN1EncodableVector();
        v.add(toSign);
        v.add(new DERBitString(signature));
        return new DERSequence(v);
    }
}
