package cn.yinxin.core.qr;

import cn.yinxin.core.Problem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static cn.yinxin.core.qr.QrCodecTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An outside judge: a public EU Digital COVID Certificate test vector (dgc-testdata common/2DCode/raw/CO3.json, an
 * ES256 code with its signer's certificate; see the resource folder's README), read with our decoder given the
 * prefix {@code HC1:}. It proves that our Base45, zlib, COSE_Sign1, kid rule and ES256 check match the EU pipeline
 * that ours copies.
 */
class DgcTestVectorTest {

    private static JsonNode vector;
    private static X509Certificate certificate;
    private static Instant validationClock;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = DgcTestVectorTest.class.getResourceAsStream("/qr/dgc-testdata/CO3.json")) {
            vector = JsonMapper.builder().build().readTree(in);
        }
        byte[] der = Base64.getDecoder().decode(vector.get("TESTCTX").get("CERTIFICATE").asString());
        certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        validationClock = OffsetDateTime.parse(vector.get("TESTCTX").get("VALIDATIONCLOCK").asString()).toInstant();
    }

    private static QrVerifier verifier(Instant now) {
        return new QrVerifier("HC1:", QrVerifier.SignerDirectory.of(List.of(certificate)), Clock.fixed(now, ZoneOffset.UTC),
                Duration.ZERO);
    }

    @Test
    void theVectorsBase45AndZlibLayersDecodeAsExpected() {
        HexFormat hex = HexFormat.of();
        byte[] compressed = Base45.decode(vector.get("BASE45").asString());
        assertThat(hex.formatHex(compressed)).isEqualTo(vector.get("COMPRESSED").asString());
        assertThat(Base45.encode(compressed)).isEqualTo(vector.get("BASE45").asString());
        assertThat(vector.get("PREFIX").asString()).isEqualTo("HC1:" + vector.get("BASE45").asString());
    }

    @Test
    void theEuCodeVerifiesWithOurDecoderAtItsValidationClock() {
        QrVerifier.Verified verified = verifier(validationClock).verify(vector.get("PREFIX").asString());

        assertThat(verified.signer()).isEqualTo(certificate);
        CwtClaims claims = verified.claims();
        assertThat(claims.issuer()).isEqualTo("AT");
        assertThat(claims.issuedAt()).isEqualTo(Instant.parse("2021-05-03T18:00:00Z"));
        assertThat(claims.expiresAt()).isEqualTo(Instant.parse("2021-05-05T18:00:00Z"));
        // hcert (-260) {1: the certificate as the JSON of the vector}
        Map<?, ?> hcert = (Map<?, ?>) claims.get(-260);
        Map<?, ?> dgc = (Map<?, ?>) hcert.get(1);
        assertThat(dgc.get("dob")).isEqualTo(vector.get("JSON").get("dob").asString());
        assertThat(((Map<?, ?>) dgc.get("nam")).get("fn")).isEqualTo("Musterfrau-Gößinger");
        assertThat(((Map<?, ?>) ((List<?>) dgc.get("v")).get(0)).get("dn")).isEqualTo(1L);
    }

    @Test
    void theVectorsKidIsTheOneOurRuleComputes() {
        // d2 (tag 18) 84 (array of 4) 4d (13-byte protected header): a2 04 48 <kid> 01 26
        String cose = vector.get("COSE").asString();
        assertThat(cose.substring(12, 28)).isEqualTo(HexFormat.of().formatHex(QrSigner.kid(certificate)));
    }

    @Test
    void afterItsExpiryTheEuCodeIsExpiredAndWithAnotherPrefixItIsNotRead() throws Exception {
        String code = vector.get("PREFIX").asString();
        assertRejected(() -> verifier(Instant.parse("2021-05-05T18:00:00Z")).verify(code), Problem.QR_EXPIRED);
        assertRejected(() -> new QrVerifier(List.of(certificate), Clock.fixed(validationClock, ZoneOffset.UTC)).verify(code),
                Problem.QR_INVALID);
        var stranger = QrKeys.sealKey("stranger").certificate();
        assertRejected(() -> new QrVerifier("HC1:", kid -> List.of(stranger), Clock.fixed(validationClock, ZoneOffset.UTC),
                Duration.ZERO).verify(code), Problem.QR_SIGNATURE_INVALID);
    }
}
