package cn.yinxin.verifier.trust.seals;

import io.vertx.core.json.JsonObject;

import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A seal whose certificate chains to a trust anchor: its certificate may sign QR codes. The certificate's and the
 * seal's parts of a QR verdict are made once here, not for every code (they are shared by every answer: never
 * modified).
 *
 * @param replacedAt null for the seal's current certificate; when an earlier one was replaced
 */
public record Signer(Seal seal, X509Certificate certificate, X509Certificate issuer, String kid, Instant replacedAt,
                     JsonObject certificateJson, JsonObject sealJson) {

    public Signer(Seal seal, X509Certificate certificate, X509Certificate issuer, String kid, Instant replacedAt) {
        this(seal, certificate, issuer, kid, replacedAt, SealJson.signer(certificate, kid, replacedAt),
                new JsonObject(SealJson.describe(seal)));
    }
}
