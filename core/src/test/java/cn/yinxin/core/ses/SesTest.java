package cn.yinxin.core.ses;

import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.KeyType;
import cn.yinxin.testing.pki.Profile;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import cn.yinxin.core.pki.cms.TimeStampAuthority;
import cn.yinxin.core.pki.cms.TimeStamper;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static cn.yinxin.core.ByteSearch.indexOf;
import static org.assertj.core.api.Assertions.assertThat;

/** GB/T 38540 v4 seals and seal signatures: our round trip, failures, and ofdrw as an outside encoder/decoder. */
class SesTest {

    private static X509Certificate root;
    private static SealKey ca;
    private static SealKey maker;
    private static SealKey signer;
    private static SealKey stranger;
    private static TimeStampAuthority tsa;
    private static SesVerifier verifier;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4, 5, 6, 7, 8};
    private static final byte[] DATA = "<ofd:Signature>the document's Signature.xml</ofd:Signature>"
            .getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void pki() throws Exception {
        TestPki pki = TestPki.builder().keyType(KeyType.SM2).root("SES Test Root").issuingCa("SES Test CA")
                .revocationPointers(false).identity("SES Test Seal Maker", Profile.SEAL_MAKING, Status.GOOD)
                .identity("SES Test Signer", Profile.SEAL, Status.GOOD)
                .identity("SES Test Stranger", Profile.SEAL, Status.GOOD)
                .identity("SES Test TSA", Profile.TIME_STAMPING, Status.GOOD).build();
        root = pki.root().certificate();
        ca = key(pki.issuingCa());
        maker = key(pki.identity("SES Test Seal Maker"));
        signer = key(pki.identity("SES Test Signer"));
        stranger = key(pki.identity("SES Test Stranger"));
        SealKey tsaKey = key(pki.identity("SES Test TSA"));
        AtomicLong serials = new AtomicLong();
        tsa = new TimeStampAuthority(tsaKey, new ASN1ObjectIdentifier("2.25.9"),
                () -> BigInteger.valueOf(serials.incrementAndGet()), Clock.systemUTC());
        verifier = new SesVerifier(List.of(root), List.of(ca.certificate()));
    }

    private static SealKey key(Identity identity) {
        return new SealKey(identity.privateKey(), identity.chain());
    }

    private static SESeal seal(Instant validStart, Instant validEnd) throws GeneralSecurityException {
        return new SealMaker(maker, "YINXIN").make(new SealMaker.SealSpec("91350100M000100Y43-0001",
                SealMaker.TYPE_ORGANISATION, "测试局公章", PNG, 42, 42, List.of(signer.certificate()), validStart, validEnd),
                Instant.now());
    }

    private static SESeal validSeal() throws GeneralSecurityException {
        return seal(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    private static TimeStamper sm3TimeStamper() {
        return data -> {
            try {
                var request = new TimeStampRequestGenerator();
                request.setCertReq(true);
                var req = request.generate(GMObjectIdentifiers.sm3,
                        MessageDigest.getInstance("SM3", Providers.bouncyCastle()).digest(data), BigInteger.TEN);
                var response = new TimeStampResponse(tsa.respond(req.getEncoded()).der());
                response.validate(req);
                return response.getTimeStampToken().getEncoded();
            } catch (Exception e) {
                throw new GeneralSecurityException(e);
            }
        };
    }

    @Test
    void roundTripOfSealAndSignature() throws Exception {
        SESeal seal = validSeal();
        byte[] der = seal.der();

        SESeal decoded = SESeal.getInstance(der);
        assertThat(decoded.der()).isEqualTo(der);
        assertThat(decoded.sealInfo().header().version()).isEqualTo(4);
        assertThat(decoded.sealInfo().property().name()).isEqualTo("测试局公章");
        assertThat(decoded.sealInfo().property().certs()).singleElement()
                .isEqualTo(signer.certificate().getEncoded());
        assertThat(decoded.sealInfo().picture().widthMm()).isEqualTo(42);
        var sealResult = verifier.verifySeal(der, Instant.now());
        assertThat(sealResult.valid()).as(sealResult.reasons().toString()).isTrue();
        assertThat(sealResult.makerSignatureForm()).isEqualTo(MakerSignatureForm.SEAL_INFO_CERT_ALGORITHM);

        SesSignature signature = SesSigner.sign(seal, signer, DATA, "/Doc_0/Signs/Sign_0/Signature.xml",
                Instant.now(), sm3TimeStamper());
        byte[] signatureDer = signature.der();
        assertThat(SesSignature.getInstance(signatureDer).der()).isEqualTo(signatureDer);
        var result = verifier.verifySignature(signatureDer, DATA);
        assertThat(result.valid()).as(result.reasons().toString()).isTrue();
        assertThat(result.reasons()).anyMatch(r -> r.contains("SES Test TSA"));
        assertThat(result.provenTime()).isNotNull();

        // without a time-stamp too; and changed data is caught by dataHash
        byte[] plain = SesSigner.sign(seal, signer, DATA, "data", Instant.now(), null).der();
        assertThat(verifier.verifySignature(plain, DATA).valid()).isTrue();
        byte[] changed = DATA.clone();
        changed[3] ^= 1;
        assertThat(verifier.verifySignature(plain, changed).problem()).isEqualTo(SesProblem.DATA_HASH);
    }

    @Test
    void aTamperedSealFailsItsMakerSignature() throws Exception {
        byte[] der = validSeal().der();
        int at = indexOf(der, "测试局公章".getBytes(StandardCharsets.UTF_8));
        der[at + 2] ^= 1;
        var result = verifier.verifySeal(der, Instant.now());
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).isEqualTo(SesProblem.MAKER_SIGNATURE);

        // and a signature carrying a tampered seal fails too
        SESeal tampered = SESeal.getInstance(der);
        byte[] signature = SesSigner.sign(tampered, signer, DATA, "data", Instant.now(), null).der();
        assertThat(verifier.verifySignature(signature, DATA).problem()).isEqualTo(SesProblem.MAKER_SIGNATURE);
    }

    @Test
    void aSignerNotInTheCertListIsRefused() throws Exception {
        byte[] signature = SesSigner.sign(validSeal(), stranger, DATA, "data", Instant.now(), null).der();
        var result = verifier.verifySignature(signature, DATA);
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).isEqualTo(SesProblem.SIGNER_NOT_IN_CERT_LIST);
    }

    @Test
    void aCertDigestListNamesItsSigners() throws Exception {
        byte[] digest = MessageDigest.getInstance("SM3", Providers.bouncyCastle()).digest(signer.certificate().getEncoded());
        var property = SesPropertyInfo.withDigests(1, "摘要章", List.of(new CertDigestObj("SM3", digest)),
                Instant.now(), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
        SESeal seal = SealMaker.sign(new SesSealInfo(new SesHeader("YINXIN"), "digest-seal", property,
                new SesPictureInfo("PNG", PNG, 40, 40), null), maker);
        assertThat(verifier.verifySignature(SesSigner.sign(seal, signer, DATA, "d", Instant.now(), null).der(), DATA)
                .valid()).isTrue();
        assertThat(verifier.verifySignature(SesSigner.sign(seal, stranger, DATA, "d", Instant.now(), null).der(), DATA)
                .problem()).isEqualTo(SesProblem.SIGNER_NOT_IN_CERT_LIST);
    }

    @Test
    void anExpiredSealIsNotValid() throws Exception {
        SESeal expired = seal(Instant.now().minus(Duration.ofDays(20)), Instant.now().minus(Duration.ofDays(1)));
        var result = verifier.verifySeal(expired.der(), Instant.now());
        assertThat(result.problem()).isEqualTo(SesProblem.SEAL_NOT_VALID);
        // valid when asked about a time inside its window
        assertThat(verifier.verifySeal(expired.der(), Instant.now().minus(Duration.ofDays(5))).valid()).isTrue();

        byte[] signature = SesSigner.sign(expired, signer, DATA, "data", Instant.now(), sm3TimeStamper()).der();
        assertThat(verifier.verifySignature(signature, DATA).problem()).isEqualTo(SesProblem.SEAL_NOT_VALID);
    }

    @Test
    void aSealFromAnUntrustedMakerIsRefused() throws Exception {
        var other = new SesVerifier(List.of(TestPki.builder().keyType(KeyType.SM2).root("Other").build()
                .root().certificate()), List.of());
        assertThat(other.verifySeal(validSeal().der(), Instant.now()).problem()).isEqualTo(SesProblem.MAKER_CERTIFICATE);
    }

    // --- ofdrw: an independent implementation of the v4 structures

    // ofdrw decoding our seals and seal signatures: OfdrwReadsOursTest (core/pdf), in a class loader with the
    // Bouncy Castle 1.70 that ofdrw 2.3.6 needs

    /** A v4 seal as ofdrw encodes it; the maker signs DER(SES_SealInfo), as ofdrw does. */
    private static org.ofdrw.gm.ses.v4.SESeal ofdrwSeal() throws Exception {
        var certs = new ASN1EncodableVector();
        certs.add(new DEROctetString(signer.certificate().getEncoded()));
        Date now = new Date();
        var property = new org.ofdrw.gm.ses.v4.SES_ESPropertyInfo()
                .setType(new ASN1Integer(3))
                .setName(new DERUTF8String("ofdrw 测试章"))
                .setCertListType(org.ofdrw.gm.ses.v4.SES_ESPropertyInfo.CertListType)
                .setCertList(org.ofdrw.gm.ses.v4.SES_CertList.getInstance(
                        org.ofdrw.gm.ses.v4.SES_ESPropertyInfo.CertListType, new DERSequence(certs)))
                .setCreateDate(new ASN1GeneralizedTime(now))
                .setValidStart(new ASN1GeneralizedTime(Date.from(Instant.now().minus(Duration.ofDays(1)))))
                .setValidEnd(new ASN1GeneralizedTime(Date.from(Instant.now().plus(Duration.ofDays(30)))));
        var info = new org.ofdrw.gm.ses.v4.SES_SealInfo()
                .setHeader(new org.ofdrw.gm.ses.v1.SES_Header(org.ofdrw.gm.ses.v1.SES_Header.V4, new DERIA5String("OFDRW")))
                .setEsID(new DERIA5String("ofdrw-seal-1"))
                .setProperty(property)
                .setPicture(new org.ofdrw.gm.ses.v1.SES_ESPictrueInfo().setType("PNG").setData(PNG).setWidth(40).setHeight(40));
        // as ofdrw does: the maker signs DER(SES_SealInfo) with Bouncy Castle's SM3withSM2 and its default ID
        Signature sign = Signature.getInstance("SM3withSM2", Providers.bouncyCastle());
        sign.initSign(maker.privateKey());
        sign.update(info.getEncoded("DER"));
        return new org.ofdrw.gm.ses.v4.SESeal().seteSealInfo(info).setCert(maker.certificate())
                .setSignAlgID(GMObjectIdentifiers.sm2sign_with_sm3).setSignedValue(sign.sign());
    }

    @Test
    void aSealBuiltWithOfdrwVerifiesInOurs() throws Exception {
        byte[] der = ofdrwSeal().getEncoded("DER");

        var result = verifier.verifySeal(der, Instant.now());
        assertThat(result.valid()).as(result.reasons().toString()).isTrue();
        assertThat(result.makerSignatureForm()).isEqualTo(MakerSignatureForm.SEAL_INFO_ONLY);
        SESeal ours = SESeal.getInstance(der);
        assertThat(ours.sealInfo().property().name()).isEqualTo("ofdrw 测试章");
        assertThat(ours.sealInfo().header().vid()).isEqualTo("OFDRW");

        // and our signer applies it; changed, it no longer verifies
        assertThat(verifier.verifySignature(SesSigner.sign(ours, signer, DATA, "d", Instant.now(), null).der(), DATA)
                .valid()).isTrue();
        der[indexOf(der, "ofdrw-seal-1".getBytes(StandardCharsets.US_ASCII))] ^= 1;
        assertThat(verifier.verifySeal(der, Instant.now()).problem()).isEqualTo(SesProblem.MAKER_SIGNATURE);
        assertThat(Sm2Signatures.isSm2(maker.certificate().getPublicKey())).isTrue();
    }

    @Test
    void aSesSignatureBuiltWithOfdrwVerifiesInOurs() throws Exception {
        Instant signed = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var tbs = new org.ofdrw.gm.ses.v4.TBS_Sign()
                .setVersion(new ASN1Integer(4))
                .setEseal(ofdrwSeal())
                .setTimeInfo(new ASN1GeneralizedTime(Date.from(signed)))
                .setDataHash(MessageDigest.getInstance("SM3", Providers.bouncyCastle()).digest(DATA))
                .setPropertyInfo("/Doc_0/Signs/Sign_0/Signature.xml");
        // as ofdrw's SESV4Container: the signer signs DER(TBS_Sign) with SM3withSM2 and Bouncy Castle's default ID
        Signature sign = Signature.getInstance("SM3withSM2", Providers.bouncyCastle());
        sign.initSign(signer.privateKey());
        sign.update(tbs.getEncoded("DER"));
        byte[] der = new org.ofdrw.gm.ses.v4.SES_Signature().setToSign(tbs).setCert(signer.certificate())
                .setSignatureAlgID(GMObjectIdentifiers.sm2sign_with_sm3).setSignature(sign.sign()).getEncoded("DER");

        SesSignature ours = SesSignature.getInstance(der);
        assertThat(ours.der()).as("re-encoded byte for byte").isEqualTo(der);
        assertThat(ours.timeInfo()).isEqualTo(signed);
        var result = verifier.verifySignature(der, DATA);
        assertThat(result.valid()).as(result.reasons().toString()).isTrue();
        assertThat(result.version()).isEqualTo(4);
        assertThat(result.makerSignatureForm()).isEqualTo(MakerSignatureForm.SEAL_INFO_ONLY);
        byte[] changed = DATA.clone();
        changed[0] ^= 1;
        assertThat(verifier.verifySignature(der, changed).problem()).isEqualTo(SesProblem.DATA_HASH);
        der[indexOf(der, "/Doc_0/Signs".getBytes(StandardCharsets.US_ASCII)) + 1] ^= 1;
        assertThat(verifier.verifySignature(der, DATA).problem()).isEqualTo(SesProblem.SIGNATURE);
    }

}
