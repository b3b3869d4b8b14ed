package cn.yinxin.verifier.qr;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.BrowserHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Red team 5: the offline page's check (webroot/cose.js) read a licence code's signature and the code's own times
 * (iat, nbf, exp) but neither the licence's validFrom nor its validUntil. A licence code without a status list (the
 * CLI and other issuers sign such codes; the verifier's own check reads the dates) whose validity had ended, or had
 * not begun, was "有效 Valid" offline; with a status list it was "cannot tell" for a status not checked, a reason that
 * hides the one that holds. cose.js runs here in node as the page runs it (WebCrypto, DecompressionStream), with the
 * snapshot {@code GET /api/v1/qr-signers} gives; no browser.
 */
class OfflinePageRedTeamFifthTest {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final String ID = "1.2.156.3005.2.11410000MB00001749002.11410000MB0000174X.20260000001.001.K";

    @TempDir
    Path dir;

    @Test
    void aLicenceOutsideItsValidityIsNotValidOffline() throws Exception {
        SamplePki.create(dir.resolve("pki"));
        SealKey seal = SealKey.fromPkcs12(dir.resolve("pki/seals/" + SamplePki.SEAL_ID + "/seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        LocalDate today = LocalDate.now(CHINA);
        CwtClaims.StatusReference list = new CwtClaims.StatusReference(3, "https://licences.example/api/v1/status-lists/x");

        JsonObject codes = new JsonObject()
                .put("current", code(seal, today.minusYears(1), today.plusYears(1), null))
                .put("ended", code(seal, today.minusYears(5), today.minusDays(1), null))
                .put("endedWithList", code(seal, today.minusYears(5), today.minusDays(1), list))
                .put("ahead", code(seal, today.plusMonths(1), today.plusYears(5), null));
        JsonObject seen = run(seal.certificate(), codes);

        assertThat(seen.getJsonObject("current").getString("verdict")).as(seen.encodePrettily()).isEqualTo("VALID");
        assertThat(seen.getJsonObject("ended").getString("verdict")).as(seen.encodePrettily()).isEqualTo("INVALID");
        assertThat(seen.getJsonObject("ended").getString("problem")).isEqualTo("urn:yinxin:problem:qr-expired");
        assertThat(seen.getJsonObject("endedWithList").getString("problem")).as("the reason that holds comes first")
                .isEqualTo("urn:yinxin:problem:qr-expired");
        assertThat(seen.getJsonObject("ahead").getString("verdict")).isEqualTo("INDETERMINATE");
        assertThat(seen.getJsonObject("ahead").getString("problem")).isEqualTo("urn:yinxin:problem:qr-not-yet-valid");
    }

    private static String code(SealKey seal, LocalDate from, LocalDate until, CwtClaims.StatusReference list)
            throws Exception {
        return new QrSigner(seal).sign(new LicenceQr(ID, "11410000MB00001749002", "李四", "110105********002X", from,
                until, SamplePki.AGENCY_CODE, Instant.now().truncatedTo(ChronoUnit.SECONDS), null, list).toClaims());
    }

    /** cose.js's verifyOffline on each code, with a fresh snapshot naming the sample seal as the only signer. */
    private JsonObject run(X509Certificate certificate, JsonObject codes) throws Exception {
        String now = Instant.now().toString();
        JsonObject signer = new JsonObject()
                .put("kid", HexFormat.of().formatHex(QrSigner.kid(certificate)))
                .put("publicKey", Base64.getEncoder().encodeToString(certificate.getPublicKey().getEncoded()))
                .put("subject", certificate.getSubjectX500Principal().getName())
                .put("notBefore", certificate.getNotBefore().toInstant().toString())
                .put("notAfter", certificate.getNotAfter().toInstant().toString())
                .putNull("replacedAt")
                .put("seal", new JsonObject().put("id", SamplePki.SEAL_ID).put("name", SamplePki.SEAL_NAME)
                        .put("agency", SamplePki.AGENCY).put("agencyCode", SamplePki.AGENCY_CODE).put("status", "ACTIVE"));
        JsonObject snapshot = new JsonObject().put("prefix", QrSigner.DEFAULT_PREFIX).put("issuedAt", now)
                .put("trustListSequence", 1).put("trustListIssuedAt", now).put("sealsFetchedAt", now)
                .put("maxStalenessSeconds", 604800).put("allowedSkewSeconds", 300).put("signers", new JsonArray().add(signer));
        Path cases = Files.writeString(dir.resolve("cases.json"), new JsonObject()
                .put("coseJs", Path.of("src/main/resources/webroot/cose.js").toAbsolutePath().toString())
                .put("now", now).put("snapshot", snapshot).put("codes", codes).encode());
        Path script = Path.of("src/test/browser/cose-offline.mjs").toAbsolutePath();
        return new JsonObject(BrowserHarness.run(List.of("node", script.toString(), cases.toString()), dir, 60));
    }
}
