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
 * {@code SESeal ::= SEQUENCE { eSealInfo SES_SealInfo, cert OCTET STRING, signAlgID OBJECT IDENTIFIER, signedValue
 * BIT STRING }}: a GB/T 38540 (v4) electronic seal, signed by its maker (cert: the maker's certificate, DER).
 */
public final class SESeal extends ASN1Object implements ElectronicSeal {

    private final SesSealInfo sealInfo;
    private final byte[] makerCertificate;
    private final ASN1ObjectIdentifier signAlgId;
    private final byte[] signedValue;

    public SESeal(SesSealInfo sealInfo, byte[] makerCertificate, ASN1ObjectIdentifier signAlgId, byte[] signedValue) {
        this.sealInfo = sealInfo;
        this.makerCertificate = makerCertificate.clone();
        this.signAlgId = signAlgId;
        this.signedValue = signedValue.clone();
    }

    /** Decodes a DER SESeal; IllegalArgumentException when it is not one. */
    public static SESeal getInstance(Object o) {
        if (o instanceof SESeal s) {
            return s;
        }
        try {
            ASN1Sequence s = o instanceof byte[] der ? ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der))
                    : ASN1Sequence.getInstance(o);
            Asn1.size(s, 4, 4, "SESeal");
            return new SESeal(SesSealInfo.getInstance(s.getObjectAt(0)),
                    ASN1OctetString.getInstance(s.getObjectAt(1)).getOctets(),
                    ASN1ObjectIdentifier.getInstance(s.getObjectAt(2)), Asn1.octets(s.getObjectAt(3)));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a DER SESeal: " + e.getMessage(), e);
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
        var v = new ASN1EncodableVector();
        v.add(sealInfo);
        v.add(new DEROctetString(makerCertificate));
        v.add(signAlgId);
        v.add(new DERBitString(signedValue));
        return new DERSequence(v);
    }
}
