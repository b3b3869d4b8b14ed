package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;

import java.time.Instant;

/**
 * {@code TBS_Sign ::= SEQUENCE { version INTEGER (4), eseal SESeal, timeInfo GeneralizedTime, dataHash BIT STRING,
 * propertyInfo IA5String, extDatas [0] EXPLICIT ExtensionDatas OPTIONAL }}.
 */
public final class TbsSign extends ASN1Object {

    private final int version;
    private final SESeal seal;
    private final Instant timeInfo;
    private final byte[] dataHash;
    private final String propertyInfo;
    private final ASN1Sequence extDatas;

    public TbsSign(int version, SESeal seal, Instant timeInfo, byte[] dataHash, String propertyInfo,
                   ASN1Sequence extDatas) {
        this.version = version;
        this.seal = seal;
        this.timeInfo = timeInfo;
        this.dataHash = dataHash.clone();
        this.propertyInfo = propertyInfo;
        this.extDatas = extDatas;
    }

    public static TbsSign getInstance(Object o) {
        if (o instanceof TbsSign t) {
            return t;
        }
        ASN1Sequence s = ASN1Sequence.getInstance(o);
        Asn1.size(s, 5, 6, "TBS_Sign");
        ASN1Sequence ext = null;
        if (s.size() == 6) {
            ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(s.getObjectAt(5));
            if (tagged.getTagNo() != 0) {
                throw new IllegalArgumentException("TBS_Sign extDatas must be tagged [0]");
            }
            ext = ASN1Sequence.getInstance(tagged, true);
        }
        return new TbsSign(ASN1Integer.getInstance(s.getObjectAt(0)).intValueExact(),
                SESeal.getInstance(s.getObjectAt(1)), Asn1.instant(s.getObjectAt(2)), Asn1.octets(s.getObjectAt(3)),
                ASN1IA5String.getInstance(s.getObjectAt(4)).getString(), ext);
    }

    public int version() {
        return version;
    }

    public SESeal seal() {
        return seal;
    }

    public Instant timeInfo() {
        return timeInfo;
    }

    public byte[] dataHash() {
        return dataHash.clone();
    }

    public String propertyInfo() {
        return propertyInfo;
    }

    public ASN1Sequence extDatas() {
        return extDatas;
    }

    @Override
    public ASN1Primitive toASN1Primitive() {
        var v = new ASN1EncodableVector();
        v.add(new ASN1Integer(version));
        v.add(seal);
        v.add(Asn1.time(timeInfo));
        v.add(new DERBitString(dataHash));
        v.add(new DERIA5String(propertyInfo));
        if (extDatas != null) {
            v.add(new DERTaggedObject(true, 0, extDatas));
        }
        return new DERSequence(v);
    }
}
