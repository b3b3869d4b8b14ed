package cn.yinxin.core.ses;

import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.ofdrw.gm.ses.v1.SES_ESPictrueInfo;
import org.ofdrw.gm.ses.v1.SES_ESPropertyInfo;
import org.ofdrw.gm.ses.v1.SES_Header;
import org.ofdrw.gm.ses.v1.SES_SealInfo;
import org.ofdrw.gm.ses.v1.SES_SignInfo;
import org.ofdrw.gm.ses.v1.SES_Signature;
import org.ofdrw.gm.ses.v1.SESeal;
import org.ofdrw.gm.ses.v1.TBS_Sign;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;

/**
 * GM/T 0031-2014 (v1) structures made by another implementation, for tests: ofdrw's v1 classes (org.ofdrw.gm.ses.v1)
 * encode them, Bouncy Castle's SM3withSM2 with its default user ID signs them, as ofdrw's SESV1Container does. Only
 * ofdrw's setters and encoders are used: its decoders need Bouncy Castle 1.70 (see OfdrwReadsOursTest).
 */
public final class OfdrwV1 {

    private OfdrwV1() {
    }

    /** A v1 seal from vendor "OFDRW"; the maker signs SEQUENCE { sealInfo, cert, algorithm } (GM/T 0031-2014). */
    public static SESeal seal(SealKey maker, String esId, String name, List<X509Certificate> signers, byte[] png,
                              Instant validStart, Instant validEnd) throws Exception {
        var certs = new ASN1EncodableVector();
        for (X509Certificate signer : signers) {
            certs.add(new DEROctetString(signer.getEncoded()));
        }
        var property = new SES_ESPropertyInfo().setType(1).setName(name)
                .setCertList(new DERSequence(certs))
                .setCreateDate(new ASN1UTCTime(new Date()))
                .setValidStart(new ASN1UTCTime(Date.from(validStart)))
                .setValidEnd(new ASN1UTCTime(Date.from(validEnd)));
        var info = new SES_SealInfo()
                .setHeader(new SES_Header(new ASN1Integer(1), new DERIA5String("OFDRW")))
                .setEsID(esId)
                .setProperty(property)
                .setPicture(new SES_ESPictrueInfo().setType("PNG").setData(png).setWidth(38).setHeight(38));
        var makerCert = new DEROctetString(maker.certificate().getEncoded());
        var signed = new ASN1EncodableVector();
        signed.add(info);
        signed.add(makerCert);
        signed.add(GMObjectIdentifiers.sm2sign_with_sm3);
        byte[] value = sm3WithSm2(maker.privateKey(), new DERSequence(signed).getEncoded("DER"));
        return new SESeal(info, new SES_SignInfo(makerCert, GMObjectIdentifiers.sm2sign_with_sm3,
                new DERBitString(value)));
    }

    /** A DER v1 SES_Signature of {@code by} over data of SM3 {@code dataHash}. */
    public static byte[] signature(SESeal seal, SealKey by, byte[] dataHash, String propertyInfo, byte[] timeInfo)
            throws Exception {
        var tbs = new TBS_Sign()
                .setVersion(new ASN1Integer(1))
                .setEseal(seal)
                .setTimeInfo(new DERBitString(timeInfo))
                .setDataHash(new DERBitString(dataHash))
                .setPropertyInfo(new DERIA5String(propertyInfo))
                .setCert(new DEROctetString(by.certificate().getEncoded()))
                .setSignatureAlgorithm(GMObjectIdentifiers.sm2sign_with_sm3);
        byte[] value = sm3WithSm2(by.privateKey(), tbs.getEncoded("DER"));
        return new SES_Signature(tbs, new DERBitString(value)).getEncoded("DER");
    }

    /** timeInfo as ofdrw's SESV1Container writes it: "yyyy-MM-dd HH:mm:ss", local (here: China) time, no zone. */
    public static byte[] chinaText(Instant time) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Shanghai")).format(time)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sm3WithSm2(PrivateKey key, byte[] data) throws Exception {
        Signature sign = Signature.getInstance("SM3withSM2", Providers.bouncyCastle());
        sign.initSign(key);
        sign.update(data);
        return sign.sign();
    }
}
