package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;

import java.time.Instant;

/**
 * {@code SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING, signatureAlgID OBJECT IDENTIFIER, signature
 * BIT STRING, timeStamp [0] EXPLICIT BIT STRING OPTIONAL }}: a seal applied to some data by a signer (cert: the
 * signer's certificate, DER); the time-stamp is an RFC 3161 token over the signature bits.
 */
public final class SesSignature extends ASN1Object implements SealSignature {

    private final TbsSign toSign;
    private final byte[] signerCertificate;
    private final ASN1ObjectIdentifier signatureAlgId;
    private final byte[] signature;
    private final byte[] timeStamp;

    public SesSignature(TbsSign toSign, byte[] signerCertificate, ASN1ObjectIdentifier signatureAlgId,
                        byte[] signature, byte[] timeStamp) {
        this.toSign = toSign;
        this.signerCertificate = signerCertificate.clone();
        this.signatureAlgId = signatureAlgId;
        this.signature = signature.clone();
        this.timeStamp = timeStamp == null ? null : timeStamp.clone();
    }

    public static SesSignature getInstance(Object o) {
        if (o instanceof SesSignature s) {
            return s;
        }
        try {
            ASN1Sequence s = o instanceof byte[] der ? ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der))
                    : ASN1Sequence.getInstance(o);
            Asn1.size(s, 4, 5, "SES_Signature");
            byte[] token = null;
            if (s.size() == 5) {
                ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(s.getObjectAt(4));
                if (tagged.getTagNo() != 0) {
                    throw new IllegalArgumentException("SES_Signature timeStamp must be tagged [0]");
                }
                token = Asn1.octets(tagged.getExplicitBaseObject());
            }
            return new SesSignature(TbsSign.getInstance(s.getObjectAt(0)),
                    ASN1OctetString.getInstance(s.getObjectAt(1)).getOctets(),
                    ASN1ObjectIdentifier.getInstance(s.getObjectAt(2)), Asn1.octets(s.getObjectAt(3)), token);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a DER SES_Signature: " + e.getMessage(), e);
        }
    }

    public TbsSign toSign() {
        return toSign;
    }

    @Override
    public int version() {
        return toSign.version();
    }

    @Override
    public SESeal seal() {
        return toSign.seal();
    }

    @Override
    public Instant timeInfo() {
        return toSign.timeInfo();
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
    public byte[] signedBytes() {
        return Asn1.der(toSign);
    }

    @Override
    public byte[] signerCertificate() {
        return signerCertificate.clone();
    }

    @Override
    public ASN1ObjectIdentifier signatureAlgId() {
        return signatureAlgId;
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The RFC 3161 token (DER), or null. */
    @Override
    public byte[] timeStamp() {
        return timeStamp == null ? null : timeStamp.clone();
    }

    @Override
    public byte[] der() {
        return Asn1.der(this);
    }

    @Override
    public ASN1Primitive toASN1Primitive() {
        var v = new ASN1EncodableVector();
        v.add(toSign);
        v.add(new DEROctetString(signerCertificate));
        v.add(signatureAlgId);
        v.add(new DERBitString(signature));
        if (timeStamp != null) {
            v.add(new DERTaggedObject(true, 0, new DERBitString(timeStamp)));
        }
        return new DERSequence(v);
    }
}
