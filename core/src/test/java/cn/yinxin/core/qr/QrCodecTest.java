package cn.yinxin.core.qr;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.keys.SealKey;
import com.upokecenter.cbor.CBORObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static cn.yinxin.core.ByteSearch.indexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QrCodecTest {

    private static SealKey seal;
    private static SealKey stranger;
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    static void keys() throws Exception {
        seal = QrKeys.sealKey("QR 专用章");
        stranger = QrKeys.sealKey("Other 专用章");
    }

    static DocumentQr document() {
        UUID id = UUID.fromString("3f2b8a4e-9c1d-4e7f-a2b3-5c6d7e8f9a0b");
        return new DocumentQr(id, DocumentQr.verificationUrl("https://verify.example/d/", id), "seal-2025-0042",
                "91350100M000100Y43", NOW.minus(Duration.ofMinutes(5)));
    }

    /** A licence as the national platform would describe it (identifier and codes from STANDARDS.md section 3). */
    static LicenceQr licence(Instant issued, Instant expires) {
        return new LicenceQr("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
                "11100000000013338W011", "湖南省某某餐饮管理有限公司", "9143********44L", LocalDate.of(2023, 4, 3),
                LocalDate.of(2028, 4, 2), "11430000006122244L", issued, expires,
                new CwtClaims.StatusReference(123_456, "https://status.example/licences/1"));
    }

    private static QrVerifier verifier(Instant now) {
        return new QrVerifier(List.of(seal.certificate()), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aDocumentCodeRoundTrips() throws Exception {
        String text = new QrSigner(seal).sign(document().toClaims());

        assertThat(text).startsWith("YX1:");
        assertThat(text).matches("[0-9A-Z $%*+\\-./:]+"); // QR alphanumeric mode only
        QrVerifier.Verified verified = verifier(NOW).verify(text);
        assertThat(verified.signer()).isEqualTo(seal.certificate());
        assertThat(DocumentQr.from(verified.claims())).isEqualTo(document());
        assertThat(verified.claims().issuer()).isEqualTo("91350100M000100Y43");
    }

    @Test
    void aLicenceCodeRoundTripsWithItsStatusEntryAndHasTheExpectedSize() throws Exception {
        LicenceQr licence = licence(NOW, NOW.plus(Duration.ofDays(365)));
        QrSigner signer = new QrSigner(seal);
        byte[] cose = signer.coseSign1(licence.toClaims());
        String text = signer.sign(licence.toClaims());

        LicenceQr back = LicenceQr.from(verifier(NOW).verify(text).claims());
        assertThat(back).isEqualTo(licence);
        assertThat(back.status()).isEqualTo(new CwtClaims.StatusReference(123_456, "https://status.example/licences/1"));
        // about what STANDARDS.md measured (315 bytes, 477 characters); a long Chinese company name adds ~40 bytes
        assertThat(cose.length).isBetween(300, 400);
        // the identifier repeats the type code and the issuer's USCC, so here zlib does help (562 -> ~480 characters)
        assertThat(Base45.decode(text.substring(4))[0]).isEqualTo((byte) 0x78);
        assertThat(text.length()).isLessThan(4 + cose.length / 2 * 3 + cose.length % 2 * 2).isBetween(420, 520);
    }

    @Test
    void theMessageIsATaggedCoseSign1WithTheAgreedHeaderKidAndRawSignature() throws Exception {
        QrSigner signer = new QrSigner(seal);
        byte[] cose = signer.coseSign1(document().toClaims());

        CBORObject message = CBORObject.DecodeFromBytes(cose);
        assertThat(message.HasMostOuterTag(18)).isTrue();
        CBORObject array = message.UntagOne();
        CBORObject header = CBORObject.DecodeFromBytes(array.get(0).GetByteString());
        byte[] expectedKid = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(seal.certificate().getEncoded()), 8);
        assertThat(header.size()).isEqualTo(2);
        assertThat(header.get(CBORObject.FromObject(1)).AsInt32Value()).isEqualTo(-7);
        assertThat(header.get(CBORObject.FromObject(4)).GetByteString()).isEqualTo(expectedKid);
        assertThat(signer.kid()).isEqualTo(expectedKid);
        assertThat(array.get(1).size()).isZero();
        byte[] raw = array.get(3).GetByteString();
        assertThat(raw).hasSize(64);

        // the signature covers Sig_structure ["Signature1", protected, h'', payload], checked here by hand
        CBORObject structure = CBORObject.NewArray().Add("Signature1").Add(array.get(0).GetByteString())
                .Add(new byte[0]).Add(array.get(2).GetByteString());
        Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
        ecdsa.initVerify(seal.certificate().getPublicKey());
        ecdsa.update(structure.EncodeToBytes());
        assertThat(ecdsa.verify(raw)).isTrue();

        // the payload is the CWT: iss 1, iat 6, our private claim
        CBORObject claims = CBORObject.DecodeFromBytes(array.get(2).GetByteString());
        assertThat(claims.get(CBORObject.FromObject(1)).AsString()).isEqualTo("91350100M000100Y43");
        assertThat(claims.get(CBORObject.FromObject(6)).AsInt64Value()).isEqualTo(document().issuedAt().getEpochSecond());
        assertThat(claims.ContainsKey(CBORObject.FromObject(DocumentQr.CLAIM))).isTrue();
    }

    @Test
    void zlibIsOptionalAndRecognisedOnReading() throws Exception {
        CwtClaims claims = CwtClaims.builder().issuer("91350100M000100Y43").issuedAt(NOW)
                .put(-65540, "x".repeat(300)).build(); // repetitive: zlib helps
        String zipped = new QrSigner(seal.privateKey(), seal.certificate(), null, "YX1:", QrSigner.Compression.ZLIB).sign(claims);
        String plain = new QrSigner(seal.privateKey(), seal.certificate(), null, "YX1:", QrSigner.Compression.NONE).sign(claims);
        String chosen = new QrSigner(seal).sign(claims);

        assertThat(Base45.decode(zipped.substring(4))[0]).isEqualTo((byte) 0x78);
        assertThat(Base45.decode(plain.substring(4))[0]).isEqualTo((byte) 0xd2);
        assertThat(zipped.length()).isLessThan(plain.length());
        assertThat(Base45.decode(chosen.substring(4))[0]).isEqualTo((byte) 0x78);
        for (String text : List.of(zipped, plain, chosen)) {
            assertThat(verifier(NOW).verify(text).claims()).isEqualTo(claims);
        }
        // compact integer-keyed CBOR does not shrink: then the default leaves zlib out
        String document = new QrSigner(seal).sign(document().toClaims());
        assertThat(Base45.decode(document.substring(4))[0]).isEqualTo((byte) 0xd2);
    }

    @Test
    void aChangedPayloadFailsTheSignature() throws Exception {
        byte[] cose = new QrSigner(seal).coseSign1(document().toClaims());
        byte[] issuer = "91350100M000100Y43".getBytes();
        int at = indexOf(cose, issuer);
        cose[at + issuer.length - 1] = 'X';

        assertRejected(() -> verifier(NOW).verify("YX1:" + Base45.encode(cose)), Problem.QR_SIGNATURE_INVALID);
    }

    @Test
    void aSignatureOfTheWrongLengthFails() throws Exception {
        CBORObject message = CBORObject.DecodeFromBytes(new QrSigner(seal).coseSign1(document().toClaims())).UntagOne();
        message.set(3, CBORObject.FromObject(Arrays.copyOf(message.get(3).GetByteString(), 63)));

        assertRejected(() -> verifier(NOW).verify("YX1:" + Base45.encode(CBORObject.FromObjectAndTag(message, 18)
                .EncodeToBytes())), Problem.QR_SIGNATURE_INVALID);
    }

    @Test
    void anUnknownSignerIsReportedAsSuch() throws Exception {
        String text = new QrSigner(stranger).sign(document().toClaims());

        assertRejected(() -> verifier(NOW).verify(text), Problem.UNKNOWN_QR_SIGNER);
    }

    /** Two certificates may share a kid (8 bytes of a hash): every candidate is tried. */
    @Test
    void everyCandidateWithTheKidIsTried() throws Exception {
        String text = new QrSigner(seal).sign(document().toClaims());
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        X509Certificate other = stranger.certificate();

        var both = new QrVerifier("YX1:", kid -> List.of(other, seal.certificate()), clock, Duration.ZERO);
        assertThat(both.verify(text).signer()).isEqualTo(seal.certificate());

        var wrongOnly = new QrVerifier("YX1:", kid -> List.of(other), clock, Duration.ZERO);
        assertRejected(() -> wrongOnly.verify(text), Problem.QR_SIGNATURE_INVALID);
    }

    @Test
    void expiryIsCheckedAgainstTheClock() throws Exception {
        Instant expires = NOW.plus(Duration.ofDays(1));
        String text = new QrSigner(seal).sign(licence(NOW, expires).toClaims());

        assertThat(verifier(expires.minusSeconds(1)).verify(text)).isNotNull();
        assertRejected(() -> verifier(expires).verify(text), Problem.QR_EXPIRED);
        assertRejected(() -> verifier(expires.plus(Duration.ofDays(400))).verify(text), Problem.QR_EXPIRED);
    }

    @Test
    void aCodeFromTheFutureIsNotValidYetUnlessWithinTheAllowedSkew() throws Exception {
        Instant issued = NOW.plus(Duration.ofMinutes(2));
        String text = new QrSigner(seal).sign(licence(issued, issued.plus(Duration.ofDays(1))).toClaims());

        assertRejected(() -> verifier(NOW).verify(text), Problem.QR_NOT_YET_VALID);
        var lenient = new QrVerifier("YX1:", QrVerifier.SignerDirectory.of(List.of(seal.certificate())),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
        assertThat(lenient.verify(text).claims().issuedAt()).isEqualTo(issued);
    }

    @Test
    void aForgedExpiredCodeIsReportedAsForgedNotExpired() throws Exception {
        byte[] cose = new QrSigner(seal).coseSign1(licence(NOW, NOW.plusSeconds(60)).toClaims());
        cose[cose.length - 1] ^= 1;

        assertRejected(() -> verifier(NOW.plus(Duration.ofDays(2))).verify("YX1:" + Base45.encode(cose)),
                Problem.QR_SIGNATURE_INVALID);
    }

    @Test
    void aCodeDatedOutsideItsSignersCertificateIsRefused() throws Exception {
        Instant beforeCertificate = seal.certificate().getNotBefore().toInstant().minus(Duration.ofDays(1));
        String text = new QrSigner(seal).sign(CwtClaims.builder().issuer("x").issuedAt(beforeCertificate).build());

        assertRejected(() -> verifier(NOW).verify(text), Problem.QR_SIGNATURE_INVALID);
    }

    @Test
    void claimsWithoutIssueTimeAreRefused() throws Exception {
        String text = new QrSigner(seal).sign(CwtClaims.builder().issuer("x").build());

        assertRejected(() -> verifier(NOW).verify(text), Problem.QR_INVALID);
    }

    /** A claims map with a key twice could be read two ways by two readers: refused even when signed. */
    @Test
    void signedClaimsWithADuplicateKeyAreRefused() throws Exception {
        long iat = NOW.getEpochSecond();
        // {6: iat, 1: "a", 1: "b"}
        byte[] payload = java.nio.ByteBuffer.allocate(13).put(new byte[] {(byte) 0xa3, 0x06, 0x1a})
                .putInt((int) iat).put(new byte[] {0x01, 0x61, 'a', 0x01, 0x61, 'b'}).array();
        byte[] protectedHeader = CoseSign1.protectedHeader(CoseSign1.ES256, new QrSigner(seal).kid());
        Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
        ecdsa.initSign(seal.privateKey());
        ecdsa.update(CoseSign1.toBeSigned(protectedHeader, payload));
        byte[] cose = CoseSign1.encode(protectedHeader, payload, ecdsa.sign());

        assertRejected(() -> verifier(NOW).verify("YX1:" + Base45.encode(cose)), Problem.QR_INVALID);
        assertThatThrownBy(() -> verifier(NOW).verify("YX1:" + Base45.encode(cose))).hasMessageContaining("uplicate");
    }

    @Test
    void onlyEs256IsAccepted() throws Exception {
        // a message that claims ES384 (-35), otherwise well formed
        byte[] protectedHeader = CBORObject.NewOrderedMap().Add(1, -35).Add(4, new QrSigner(seal).kid()).EncodeToBytes();
        byte[] cose = CoseSign1.encode(protectedHeader, Cbor.claims(document().toClaims()).EncodeToBytes(), new byte[96]);

        assertRejected(() -> verifier(NOW).verify("YX1:" + Base45.encode(cose)), Problem.QR_INVALID);
    }

    @Test
    void textsThatAreNotOurCodesAreRefusedAsInvalid() throws Exception {
        String ours = new QrSigner(seal).sign(document().toClaims());
        QrVerifier verifier = verifier(NOW);

        assertRejected(() -> verifier.verify(null), Problem.QR_INVALID);
        assertRejected(() -> verifier.verify("https://verify.example/d/123"), Problem.QR_INVALID);
        assertRejected(() -> verifier.verify("HC1:" + ours.substring(4)), Problem.QR_INVALID);
        assertRejected(() -> verifier.verify("YX1:" + ours.substring(4, ours.length() - 1)), Problem.QR_INVALID);
        assertRejected(() -> verifier.verify("YX1:abc"), Problem.QR_INVALID);
        assertRejected(() -> verifier.verify("YX1:" + Base45.encode("not cbor at all".getBytes())), Problem.QR_INVALID);
        assertRejected(() -> verifier.verify("YX1:" + Base45.encode(CBORObject.NewArray().Add(1).EncodeToBytes())),
                Problem.QR_INVALID);
        // a zlib bomb: 1 MB of zeros in a few hundred bytes
        assertRejected(() -> verifier.verify("YX1:" + Base45.encode(cn.yinxin.core.Zlib.compress(new byte[1 << 20], java.util.zip.Deflater.BEST_COMPRESSION))), Problem.QR_INVALID);
    }

    @Test
    void onlyP256KeysSign() throws Exception {
        var rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        var keys = rsa.generateKeyPair();
        X509Certificate certificate = cn.yinxin.core.pki.ca.CertificateMaker.selfSignedRoot(
                cn.yinxin.core.pki.ca.CertificateMaker.caSubject("RSA"), keys, NOW, Duration.ofDays(1));
        assertThatThrownBy(() -> new QrSigner(new SealKey(keys.getPrivate(), List.of(certificate))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");
    }

    static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Problem problem) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RejectedException.class,
                e -> assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem));
    }

}
