package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;

/**
 * {@code SES_Header ::= SEQUENCE { id IA5String ("ES"), version INTEGER (4), vid IA5String }} (GB/T 38540); the same
 * structure with version 1 in GM/T 0031-2014 seals.
 */
public final class SesHeader extends ASN1Object {

    public static final String ID = "ES";
    public static final int VERSION = 4;
    /** The version of GM/T 0031-2014 seals, which Yinxin reads but does not make. */
    public static final int VERSION_1 = 1;

    private final String id;
    private final int version;
    private final String vid;

    public SesHeader(String id, int version, String vid) {
        this.id = id;
        this.version = version;
        this.vid = vid;
    }

    /** A v4 header for the vendor {@code vid}. */
    public SesHeader(String vid) {
        this(ID, VERSION, vid);
    }

    public static SesHeader getInstance(Object o) {
        if (o instanceof SesHeader h) {
            return h;
        }
        ASN1Sequence s = ASN1Sequence.getInstance(o);
        Asn1.size(s, 3, 3, "SES_Header");
        return new SesHeader(ASN1IA5String.getInstance(s.getObjectAt(0)).getString(),
                ASN1Integer.getInstance(s.getObjectAt(1)).intValueExact(),
                ASN1IA5String.getInstance(s.getObjectAt(2)).getString());
    }

    public String id() {
        return id;
    }

    public int version() {
        return version;
    }

    public String vid() {
        return vid;
    }

    @Override
    public ASN1Primitive toASN1Primitive() {
        var v = new ASN1EncodableVector();
        v.add(new DERIA5String(id));
        v.add(new ASN1Integer(version));
        v.add(new DERIA5String(vid));
        return new DERSequence(v);
    }
}
