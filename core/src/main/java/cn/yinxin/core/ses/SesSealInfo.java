package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;

/**
 * {@code SES_SealInfo ::= SEQUENCE { header SES_Header, esID IA5String, property SES_ESPropertyInfo, picture
 * SES_ESPictrueInfo, extDatas ExtensionDatas OPTIONAL }}. ExtensionDatas are kept as they are (a SEQUENCE OF ExtData).
 * The same in GM/T 0031-2014 (v1) but for the property's layout: a header of version 1 reads it in that layout.
 */
public final class SesSealInfo extends ASN1Object {

    private final SesHeader header;
    private final String esId;
    private final SesPropertyInfo property;
    private final SesPictureInfo picture;
    private final ASN1Sequence extDatas;

    public SesSealInfo(SesHeader header, String esId, SesPropertyInfo property, SesPictureInfo picture,
                       ASN1Sequence extDatas) {
        this.header = header;
        this.esId = esId;
        this.property = property;
        this.picture = picture;
        this.extDatas = extDatas;
    }

    public static SesSealInfo getInstance(Object o) {
        if (o instanceof SesSealInfo i) {
            return i;
        }
        ASN1Sequence s = ASN1Sequence.getInstance(o);
        Asn1.size(s, 4, 5, "SES_SealInfo");
        SesHeader header = SesHeader.getInstance(s.getObjectAt(0));
        return new SesSealInfo(header, ASN1IA5String.getInstance(s.getObjectAt(1)).getString(),
                header.version() == SesHeader.VERSION_1 ? SesPropertyInfo.getV1Instance(s.getObjectAt(2))
                        : SesPropertyInfo.getInstance(s.getObjectAt(2)),
                SesPictureInfo.getInstance(s.getObjectAt(3)),
                s.size() == 5 ? ASN1Sequence.getInstance(s.getObjectAt(4)) : null);
    }

    public SesHeader header() {
        return header;
    }

    public String esId() {
        return esId;
    }

    public SesPropertyInfo property() {
        return property;
    }

    public SesPictureInfo picture() {
        return picture;
    }

    /** The ExtensionDatas, or null. */
    public ASN1Sequence extDatas() {
        return extDatas;
    }

    @Override
    public ASN1Primitive toASN1Primitive() {
        var v = new ASN1EncodableVector();
        v.add(header);
        v.add(new DERIA5String(esId));
        v.add(property);
        v.add(picture);
        if (extDatas != null) {
            v.add(extDatas);
        }
        return new DERSequence(v);
    }
}
