package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code TBS_Sign ::= SEQUENCE { version INTEGER (1), eseal SESeal (v1), timeInfo BIT STRING, dataHash BIT STRING,
 * propertyInfo IA5String, cert OCTET STRING, signatureAlgorithm OBJECT IDENTIFIER }} of GM/T 0031-2014: unlike v4 the
 * signer's certificate and algorithm are inside what is signed.
 * <p>timeInfo holds the signing time as bits; producers differ: a DER UTCTime (or GeneralizedTime), or its text
 * ("yyMMddHHmmssZ", "yyyyMMddHHmmssZ"), or "yyyy-MM-dd HH:mm:ss" without a zone (ofdrw), read as China Standard Time.
 * A time-stamp token in timeInfo is not read: such a TBS_Sign is refused as a format error.
 */
public final class TbsSignV1 extends ASN1Object {

    /** The zone of zoneless times: the standard is Chinese and so are the systems writing them. */
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final List<DateTimeFormatter> TEXT_TIMES = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(CHINA),
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC),
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC));

    private final int version;
    private final SESealV1 seal;
    private final byte[] timeInfo;
    private final Instant time;
    private final byte[] dataHash;
    private final String propertyInfo;
    private final byte[] signerCertificate;
    private final ASN1ObjectIdentifier signatureAlgId;

    public TbsSignV1(int version, SESealV1 seal, byte[] timeInfo, byte[] dataHash, String propertyInfo,
                     byte[] signerCertificate, ASN1ObjectIdentifier signatureAlgId) {
        this.version = version;
        this.seal = seal;
        this.timeInfo = timeInfo.clone();
        this.time = signingTime(timeInfo);
        this.dataHash = dataHash.clone();
        this.propertyInfo = propertyInfo;
        this.signerCertificate = signerCertificate.clone();
        this.signatureAlgId = signatureAlgId;
    }

    public static TbsSignV1 getInstance(Object o) {
        if (o instanceof TbsSignV1 t) {
            return t;
        }
        ASN1Sequence s = ASN1Sequence.getInstance(o);
        Asn1.size(s, 7, 7, "TBS_Sign (v1)");
        return new TbsSignV1(ASN1Integer.getInstance(s.getObjectAt(0)).intValueExact(),
                SESealV1.getInstance(s.getObjectAt(1)), Asn1.octets(s.getObjectAt(2)), Asn1.octets(s.getObjectAt(3)),
                ASN1IA5String.getInstance(s.getObjectAt(4)).getString(),
                ASN1OctetString.getInstance(s.getObjectAt(5)).getOctets(),
                ASN1ObjectIdentifier.getInstance(s.getObjectAt(6)));
    }

    /** The instant timeInfo's bits state; IllegalArgumentException when they are none of the known forms. */
    static Instant signingTime(byte[] bits) {
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(bits);
            if (primitive instanceof ASN1UTCTime) {
                return Asn1.utcInstant(primitive);
            }
            if (primitive instanceof ASN1GeneralizedTime) {
                return Asn1.instant(primitive);
            }
        } catch (Exception e) {
            // not DER: perhaps text
        }
        String text = new String(bits, StandardCharsets.US_ASCII).trim();
        for (DateTimeFormatter format : TEXT_TIMES) {
            try {
                return LocalDateTime.parse(text, format).atZone(format.getZone()).toInstant();
            } catch (DateTimeParseException e) {
                // the next form
            }
        }
        throw new IllegalArgumentException("TBS_Sign timeInfo (" + bits.length + " bytes) is neither a UTCTime nor a "
                + "time text Yinxin reads (a time-stamp token there is not read)");
    }

    public int version() {
        return version;
    }

    public SESealV1 seal() {
        return seal;
    }

    /** timeInfo's bits as they are. */
    public byte[] timeInfo() {
        return timeInfo.clone();
    }

    /** The signing time timeInfo states. */
    public Instant time() {
        return time;
    }

    public byte[] dataHash() {
        return dataHash.clone();
    }

    public String propertyInfo() {
        return propertyInfo;
    }

    public byte[] signerCertificate() {
        return signerCertificate.clone();
    }

    public ASN1ObjectIdentifier signatureAlgId() {
        return signatureAlgId;
    }

    @Override
    public ASN1Primitive toASN1Primitive() {
        var v = new ASN1EncodableVector();
        v.add(new ASN1Integer(version));
        v.add(seal);
        v.add(new DERBitString(timeInfo));
        v.add(new DERBitString(dataHash));
        v.add(new DERIA5String(propertyInfo));
        v.add(new DEROctetString(signerCertificate));
        v.add(signatureAlgId);
        return new DERSequence(v);
    }
}
