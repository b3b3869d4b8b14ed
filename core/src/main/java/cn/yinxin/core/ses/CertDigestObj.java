package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;

/** {@code CertDigestObj ::= SEQUENCE { type PrintableString, value OCTET STRING }}: a digest of a signer's certificate. */
public final class CertDigestObj extends ASN1Object {

    private final String type;
    private final byte[] value;

    /** @param type the digest algorithm's name as written ("SM3", "SHA256", or an OID in dotted form) */
    public CertDigestObj(String type, byte[] value) {
        this.type = type;
        this.value = value.clone();
    }

    public static CertDigestObj getInstance(Object o) {
        if (o instanceof CertDigestObj c) {
            return c;
        }
        ASN1Sequence s = ASN1Sequence.getInstance(o);
        Asn1.size(s, 2, 2, "CertDigestObj");
        return new CertDigestObj(ASN1PrintableString.getInstance(s.getObjectAt(0)).getString(),
                ASN1OctetString.getInstance(s.getObjectAt(1)).getOctets());
    }

    public String type() {
        return type;
    }

    public byte[] value() {
        return value.clone();
    }

    @Override
    public ASN1Primitive toASN1Primitive() {
        var v = new ASN1EncodableVector();
        v.add(new DERPrintableString(type));
        v.add(new DEROctetString(value));
        return new DERSequence(v);
    }
}
