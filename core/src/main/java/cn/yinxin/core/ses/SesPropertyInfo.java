package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code SES_ESPropertyInfo ::= SEQUENCE { type INTEGER, name UTF8String, certListType INTEGER, certList SES_CertList,
 * createDate, validStart, validEnd GeneralizedTime }}, with {@code SES_CertList ::= CHOICE { certs SEQUENCE OF OCTET
 * STRING, certDigestList SEQUENCE OF CertDigestObj }} told apart by certListType (1 certificates, 2 digests).
 * <p>GM/T 0031-2014 (v1) has no certListType, a certList of certificates only ({@code SEQUENCE OF OCTET STRING}),
 * and UTCTime dates: {@link #getV1Instance} reads that layout, which the object keeps when encoded again.
 */
public final class SesPropertyInfo extends ASN1Object {

    public static final int CERTS = 1;
    public static final int CERT_DIGESTS = 2;

    private final int type;
    private final String name;
    private final int certListType;
    private final List<byte[]> certs;
    private final List<CertDigestObj> certDigests;
    private final Instant createDate;
    private final Instant validStart;
    private final Instant validEnd;
    private final boolean v1Layout;

    private SesPropertyInfo(int type, String name, int certListType, List<byte[]> certs, List<CertDigestObj> digests,
                            Instant createDate, Instant validStart, Instant validEnd) {
        this(type, name, certListType, certs, digests, createDate, validStart, validEnd, false);
    }

    private SesPropertyInfo(int type, String name, int certListType, List<byte[]> certs, List<CertDigestObj> digests,
                            Instant createDate, Instant validStart, Instant validEnd, boolean v1Layout) {
        this.v1Layout = v1Layout;
        this.type = type;
        this.name = name;
        this.certListType = certListType;
        this.certs = certs.stream().map(byte[]::clone).toList();
        this.certDigests = List.copyOf(digests);
        this.createDate = createDate;
        this.validStart = validStart;
        this.validEnd = validEnd;
    }

    /** With the signers' certificates (DER) in the list (certListType 1). */
    public static SesPropertyInfo withCertificates(int type, String name, List<byte[]> certs, Instant createDate,
                                                   Instant validStart, Instant validEnd) {
        return new SesPropertyInfo(type, name, CERTS, certs, List.of(), createDate, validStart, validEnd);
    }

    /** With digests of the signers' certificates (certListType 2). */
    public static SesPropertyInfo withDigests(int type, String name, List<CertDigestObj> digests, Instant createDate,
                                              Instant validStart, Instant validEnd) {
        return new SesPropertyInfo(type, name, CERT_DIGESTS, List.of(), digests, createDate, validStart, validEnd);
    }

    public static SesPropertyInfo getInstance(Object o) {
        if (o instanceof SesPropertyInfo p) {
            return p;
        }
        ASN1Sequence s = ASN1Sequence.getInstance(o);
        Asn1.size(s, 7, 7, "SES_ESPropertyInfo");
        int listType = ASN1Integer.getInstance(s.getObjectAt(2)).intValueExact();
        List<byte[]> certs = new ArrayList<>();
        List<CertDigestObj> digests = new ArrayList<>();
        for (ASN1Encodable element : ASN1Sequence.getInstance(s.getObjectAt(3))) {
            switch (listType) {
                case CERTS -> certs.add(ASN1OctetString.getInstance(element).getOctets());
                case CERT_DIGESTS -> digests.add(CertDigestObj.getInstance(element));
                default -> throw new IllegalArgumentException("certListType " + listType + " is neither 1 nor 2");
            }
        }
        return new SesPropertyInfo(ASN1Integer.getInstance(s.getObjectAt(0)).intValueExact(),
                ASN1UTF8String.getInstance(s.getObjectAt(1)).getString(), listType, certs, digests,
                Asn1.instant(s.getObjectAt(4)), Asn1.instant(s.getObjectAt(5)), Asn1.instant(s.getObjectAt(6)));
    }

    /**
     * Reads the GM/T 0031-2014 layout: {@code SEQUENCE { type INTEGER, name UTF8String, certList SEQUENCE OF OCTET
     * STRING, createDate, validStart, validEnd UTCTime }}.
     */
    public static SesPropertyInfo getV1Instance(Object o) {
        ASN1Sequence s = ASN1Sequence.getInstance(o);
        Asn1.size(s, 6, 6, "SES_ESPropertyInfo (v1)");
        List<byte[]> certs = new ArrayList<>();
        for (ASN1Encodable element : ASN1Sequence.getInstance(s.getObjectAt(2))) {
            certs.add(ASN1OctetString.getInstance(element).getOctets());
        }
        return new SesPropertyInfo(ASN1Integer.getInstance(s.getObjectAt(0)).intValueExact(),
                ASN1UTF8String.getInstance(s.getObjectAt(1)).getString(), CERTS, certs, List.of(),
                Asn1.utcInstant(s.getObjectAt(3)), Asn1.utcInstant(s.getObjectAt(4)), Asn1.utcInstant(s.getObjectAt(5)),
                true);
    }

    public int type() {
        return type;
    }

    public String name() {
        return name;
    }

    public int certListType() {
        return certListType;
    }

    /** The certificates (DER) of certListType 1; empty for type 2. */
    public List<byte[]> certs() {
        return certs.stream().map(byte[]::clone).toList();
    }

    /** The certificate digests of certListType 2; empty for type 1. */
    public List<CertDigestObj> certDigests() {
        return certDigests;
    }

    public Instant createDate() {
        return createDate;
    }

    public Instant validStart() {
        return validStart;
    }

    public Instant validEnd() {
        return validEnd;
    }

    @Override
    public ASN1Primitive toASN1Primitive() {
        var list = new ASN1EncodableVector();
        if (certListType == CERTS) {
            certs.forEach(c -> list.add(new DEROctetString(c)));
        } else {
            certDigests.forEach(list::add);
        }
        var v = new ASN1EncodableVector();
        v.add(new ASN1Integer(type));
        v.add(new DERUTF8String(name));
        if (v1Layout) {
            v.add(new DERSequence(list));
            v.add(Asn1.utcTime(createDate));
            v.add(Asn1.utcTime(validStart));
            v.add(Asn1.utcTime(validEnd));
            return new DERSequence(v);
        }
        v.add(new ASN1Integer(certListType));
        v.add(new DERSequence(list));
        v.add(Asn1.time(createDate));
        v.add(Asn1.time(validStart));
        v.add(Asn1.time(validEnd));
        return new DERSequence(v);
    }
}
