package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;

/**
 * {@code SES_ESPictrueInfo ::= SEQUENCE { type IA5String, data OCTET STRING, width INTEGER, height INTEGER }}: the seal
 * image ("PNG", "GIF", "JPG", "SVG", "OFD") and its printed size in millimetres.
 */
public final class SesPictureInfo extends ASN1Object {

    private final String type;
    private final byte[] data;
    private final int widthMm;
    private final int heightMm;

    public SesPictureInfo(String type, byte[] data, int widthMm, int heightMm) {
        this.type = type;
        this.data = data.clone();
        this.widthMm = widthMm;
        this.heightMm = heightMm;
    }

    public static SesPictureInfo getInstance(Object o) {
        if (o instanceof SesPictureInfo p) {
            return p;
        }
        ASN1Sequence s = ASN1Sequence.getInstance(o);
        Asn1.size(s, 4, 4, "SES_ESPictrueInfo");
        return new SesPictureInfo(ASN1IA5String.getInstance(s.getObjectAt(0)).getString(),
                ASN1OctetString.getInstance(s.getObjectAt(1)).getOctets(),
                ASN1Integer.getInstance(s.getObjectAt(2)).intValueExact(),
                ASN1Integer.getInstance(s.getObjectAt(3)).intValueExact());
    }

    public String type() {
        return type;
    }

    public byte[] data() {
        return data.clone();
    }

    public int widthMm() {
        return widthMm;
    }

    public int heightMm() {
        return heightMm;
    }

    @Override
    public ASN1Primitive toASN1Primitive() {
        var v = new ASN1EncodableVector();
        v.add(new DERIA5String(type));
        v.add(new DEROctetString(data));
        v.add(new ASN1Integer(widthMm));
        v.add(new ASN1Integer(heightMm));
        return new DERSequence(v);
    }
}
