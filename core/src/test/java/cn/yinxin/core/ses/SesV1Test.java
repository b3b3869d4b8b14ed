package cn.yinxin.core.ses;

import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.KeyType;
import cn.yinxin.testing.pki.Profile;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

import static cn.yinxin.core.ByteSearch.indexOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GM/T 0031-2014 (v1) seals and seal signatures made by another implementation: ofdrw's v1 classes encode them (with
 * real SM2 keys and certificates, signed by Bouncy Castle's SM3withSM2), Yinxin decodes and verifies them.
 */
class SesV1Test {

    private static X509Certificate root;
    private static SealKey maker;
    private static SealKey signer;
    private static SealKey stranger;
    private static SesVerifier verifier;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 9, 8, 7, 6, 5, 4, 3, 2};
    private static final byte[] DATA = "<ofd:Signature>a v1 Signature.xml</ofd:Signature>"
            .getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void pki() throws Exception {
        TestPki pki = TestPki.builder().keyType(KeyType.SM2).root("SES v1 Test Root").issuingCa("SES v1 Test CA")
                .revocationPointers(false).identity("SES v1 Test Seal Maker", Profile.SEAL_MAKING, Status.GOOD)
                .identity("SES v1 Test Signer", Profile.SEAL, Status.GOOD)
                .identity("SES v1 Test Stranger", Profile.SEAL, Status.GOOD).build();
        root = pki.root().certificate();
        SealKey ca = key(pki.issuingCa());
        maker = key(pki.identity("SES v1 Test Seal Maker"));
        signer = key(pki.identity("SES v1 Test Signer"));
        stranger = key(pki.identity("SES v1 Test Stranger"));
        verifier = new SesVerifier(List.of(root), List.of(ca.certificate()));
    }

    private static SealKey key(Identity identity) {
        return new SealKey(identity.privateKey(), identity.chain());
    }

    private static org.ofdrw.gm.ses.v1.SESeal ofdrwSeal(Instant validStart, Instant validEnd) throws Exception {
        return OfdrwV1.seal(maker, "ofdrw-v1-seal-1", "ofdrw v1 测试章", List.of(signer.certificate()), PNG, validStart,
                validEnd);
    }

    private static org.ofdrw.gm.ses.v1.SESeal validOfdrwSeal() throws Exception {
        return ofdrwSeal(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    private static byte[] ofdrwSignature(org.ofdrw.gm.ses.v1.SESeal seal, SealKey by, byte[] timeInfo)
            throws Exception {
        return OfdrwV1.signature(seal, by, MessageDigest.getInstance("SM3", Providers.bouncyCastle()).digest(DATA),
                "/Doc_0/Signs/Sign_0/Signature.xml", timeInfo);
    }

    private static byte[] chinaText(Instant time) {
        return OfdrwV1.chinaText(time);
    }

    @Test
    void aV1SealBuiltWithOfdrwDecodesAndVerifiesInOurs() throws Exception {
        byte[] der = validOfdrwSeal().getEncoded("DER");

        ElectronicSeal decoded = ElectronicSeal.decode(der);
        assertThat(decoded).isInstanceOf(SESealV1.class);
        assertThat(decoded.version()).isEqualTo(1);
        assertThat(decoded.der()).as("re-encoded byte for byte").isEqualTo(der);
        assertThat(decoded.sealInfo().esId()).isEqualTo("ofdrw-v1-seal-1");
        assertThat(decoded.sealInfo().header().vid()).isEqualTo("OFDRW");
        assertThat(decoded.sealInfo().property().name()).isEqualTo("ofdrw v1 测试章");
        assertThat(decoded.sealInfo().property().certs()).singleElement().isEqualTo(signer.certificate().getEncoded());
        assertThat(decoded.sealInfo().picture().data()).isEqualTo(PNG);
        assertThat(decoded.makerCertificate()).isEqualTo(maker.certificate().getEncoded());

        var result = verifier.verifySeal(der, Instant.now());
        assertThat(result.valid()).as(result.reasons().toString()).isTrue();
        assertThat(result.version()).isEqualTo(1);
        assertThat(result.makerSignatureForm()).isEqualTo(MakerSignatureForm.SEAL_INFO_CERT_ALGORITHM);
        assertThat(result.reasons()).anyMatch(r -> r.contains("GM/T 0031-2014 v1"));
    }

    @Test
    void aV1SesSignatureBuiltWithOfdrwDecodesAndVerifiesInOurs() throws Exception {
        Instant signed = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byte[] der = ofdrwSignature(validOfdrwSeal(), signer, chinaText(signed));

        SealSignature decoded = SealSignature.decode(der);
        assertThat(decoded).isInstanceOf(SesSignatureV1.class);
        assertThat(decoded.der()).as("re-encoded byte for byte").isEqualTo(der);
        assertThat(decoded.timeInfo()).as("the text time read as China time").isEqualTo(signed);
        assertThat(decoded.propertyInfo()).isEqualTo("/Doc_0/Signs/Sign_0/Signature.xml");
        assertThat(decoded.signerCertificate()).isEqualTo(signer.certificate().getEncoded());
        assertThat(decoded.seal().version()).isEqualTo(1);

        var result = verifier.verifySignature(der, DATA);
        assertThat(result.valid()).as(result.reasons().toString()).isTrue();
        assertThat(result.version()).isEqualTo(1);
        assertThat(result.provenTime()).isEqualTo(signed);

        // changed data fail dataHash
        byte[] changed = DATA.clone();
        changed[2] ^= 1;
        assertThat(verifier.verifySignature(der, changed).problem()).isEqualTo(SesProblem.DATA_HASH);
    }

    @Test
    void aV1SignatureWithADerUtcTimeVerifies() throws Exception {
        Instant signed = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));
        byte[] der = ofdrwSignature(validOfdrwSeal(), signer, new ASN1UTCTime(Date.from(signed)).getEncoded("DER"));
        var result = verifier.verifySignature(der, DATA);
        assertThat(result.valid()).as(result.reasons().toString()).isTrue();
        assertThat(result.provenTime()).isEqualTo(signed);

        // a timeInfo Yinxin cannot read is a format error, not a guess
        byte[] unreadable = ofdrwSignature(validOfdrwSeal(), signer, "yesterday".getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verifySignature(unreadable, DATA).problem()).isEqualTo(SesProblem.FORMAT);
    }

    @Test
    void aTamperedV1SealFailsItsMakerSignature() throws Exception {
        byte[] der = validOfdrwSeal().getEncoded("DER");
        der[indexOf(der, PNG) + 9] ^= 1; // one byte of the picture
        var result = verifier.verifySeal(der, Instant.now());
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).as(result.reasons().toString()).isEqualTo(SesProblem.MAKER_SIGNATURE);
        assertThat(result.version()).isEqualTo(1);

        // and a signature, itself correct, over a TBS_Sign carrying a seal whose picture changed after the maker
        // signed fails too (changed through ofdrw's setter: its decoder needs Bouncy Castle 1.70)
        var tampered = validOfdrwSeal();
        byte[] picture = PNG.clone();
        picture[9] ^= 1;
        tampered.getEsealInfo().getPicture().setData(picture);
        byte[] signature = ofdrwSignature(tampered, signer, chinaText(Instant.now()));
        assertThat(verifier.verifySignature(ofdrwSignature(validOfdrwSeal(), signer, chinaText(Instant.now())), DATA)
                .valid()).as("control: the untouched seal").isTrue();
        assertThat(verifier.verifySignature(signature, DATA).problem()).isEqualTo(SesProblem.MAKER_SIGNATURE);
    }

    @Test
    void aV1SignerNotInTheSealsCertListIsRefused() throws Exception {
        byte[] der = ofdrwSignature(validOfdrwSeal(), stranger, chinaText(Instant.now()));
        var result = verifier.verifySignature(der, DATA);
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).as(result.reasons().toString()).isEqualTo(SesProblem.SIGNER_NOT_IN_CERT_LIST);
    }

    @Test
    void aChangedV1TbsSignFailsTheSignersSignature() throws Exception {
        byte[] der = ofdrwSignature(validOfdrwSeal(), signer, chinaText(Instant.now()));
        der[indexOf(der, "/Doc_0/Signs".getBytes(StandardCharsets.US_ASCII)) + 1] ^= 1;
        assertThat(verifier.verifySignature(der, DATA).problem()).isEqualTo(SesProblem.SIGNATURE);
    }

    @Test
    void anExpiredV1SealOrAnUntrustedMakerIsNotValid() throws Exception {
        byte[] expired = ofdrwSeal(Instant.now().minus(Duration.ofDays(20)), Instant.now().minus(Duration.ofDays(1)))
                .getEncoded("DER");
        assertThat(verifier.verifySeal(expired, Instant.now()).problem()).isEqualTo(SesProblem.SEAL_NOT_VALID);
        assertThat(verifier.verifySeal(expired, Instant.now().minus(Duration.ofDays(5))).valid()).isTrue();

        var other = new SesVerifier(List.of(TestPki.builder().keyType(KeyType.SM2).root("Other").build()
                .root().certificate()), List.of());
        assertThat(other.verifySeal(validOfdrwSeal().getEncoded("DER"), Instant.now()).problem())
                .isEqualTo(SesProblem.MAKER_CERTIFICATE);
    }

}
