package cn.yinxin.core.ses;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Makes GB/T 38540 v4 seals (SESeal), signed by the seal maker's SM2 key with SM3withSM2 (user ID 1234567812345678)
 * over DER(SEQUENCE { eSealInfo, cert, signAlgID }) ({@link MakerSignatureForm#SEAL_INFO_CERT_ALGORITHM}).
 */
public final class SealMaker {

    /** What a seal says: its identifier, type, name, image and size, who may use it, and when. */
    public record SealSpec(String esId, int type, String name, byte[] png, int widthMm, int heightMm,
                           List<X509Certificate> signers, Instant validStart, Instant validEnd) {
        public SealSpec {
            Objects.requireNonNull(esId, "esId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(png, "png");
            if (signers.isEmpty()) {
                throw new IllegalArgumentException("a seal names at least one signer certificate");
            }
            if (!validEnd.isAfter(validStart)) {
                throw new IllegalArgumentException("a seal's validity must end after it starts");
            }
            signers = List.copyOf(signers);
        }
    }

    /** GB/T 38540 seal type (SES_ESPropertyInfo.type): an organisation's seal (单位印章). */
    public static final int TYPE_ORGANISATION = 1;
    /** GB/T 38540 seal type: a person's seal (个人印章), e.g. a legal representative's name seal. */
    public static final int TYPE_PERSONAL = 2;

    private final SealKey maker;
    private final String vid;

    /**
     * @param maker the seal maker's SM2 key and certificate
     * @param vid   the vendor identifier written in the header
     */
    public SealMaker(SealKey maker, String vid) {
        if (!Sm2Signatures.isSm2(maker.certificate().getPublicKey())) {
            throw new IllegalArgumentException("a GB/T 38540 seal maker signs with SM2");
        }
        this.maker = maker;
        this.vid = vid;
    }

    public SESeal make(SealSpec spec, Instant createdAt) throws GeneralSecurityException {
        List<byte[]> certs = new ArrayList<>();
        for (X509Certificate signer : spec.signers()) {
            certs.add(signer.getEncoded());
        }
        var property = SesPropertyInfo.withCertificates(spec.type(), spec.name(), certs, createdAt, spec.validStart(),
                spec.validEnd());
        var info = new SesSealInfo(new SesHeader(vid), spec.esId(), property,
                new SesPictureInfo("PNG", spec.png(), spec.widthMm(), spec.heightMm()), null);
        return sign(info, maker);
    }

    /** Signs seal information as a maker does (Yinxin's form); also for tests that build their own information. */
    public static SESeal sign(SesSealInfo info, SealKey maker) throws GeneralSecurityException {
        byte[] cert = maker.certificate().getEncoded();
        byte[] tbs = signedBytes(MakerSignatureForm.SEAL_INFO_CERT_ALGORITHM, info, cert,
                GMObjectIdentifiers.sm2sign_with_sm3);
        return new SESeal(info, cert, GMObjectIdentifiers.sm2sign_with_sm3,
                Sm2Signatures.sign(maker.privateKey(), tbs));
    }

    /** The bytes the maker signs in each form. */
    static byte[] signedBytes(MakerSignatureForm form, SesSealInfo info, byte[] makerCertificate,
                              ASN1ObjectIdentifier algorithm) {
        byte[] infoDer = Asn1.der(info);
        return switch (form) {
            case SEAL_INFO_ONLY -> infoDer;
            case SEAL_INFO_CERT_ALGORITHM -> {
                var v = new ASN1EncodableVector();
                v.add(info);
                v.add(new DEROctetString(makerCertificate));
                v.add(algorithm);
                yield Asn1.der(new DERSequence(v));
            }
            case CONCATENATED -> {
                var out = new ByteArrayOutputStream();
                out.writeBytes(infoDer);
                out.writeBytes(Asn1.der(new DEROctetString(makerCertificate)));
                out.writeBytes(Asn1.der(algorithm));
                yield out.toByteArray();
            }
        };
    }
}
