package cn.yinxin.verifier.http;

import cn.yinxin.core.Problem;
import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.core.trust.TrustList;
import cn.yinxin.verifier.qr.QrResult;
import cn.yinxin.verifier.trust.SignerRevocation;
import cn.yinxin.verifier.trust.seals.Seal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * A QR verdict ({@link QrResult}) as the API answers it: {@code verdict}, {@code problem}, {@code summary},
 * {@code reasons}, {@code validationTime}, then {@code kind}, {@code claims}, {@code signer}, {@code seal},
 * {@code revocation} and {@code trust} (null where the code was refused before they could be read). The signer's and
 * the seal's parts are made once per seal certificate (trust.seals.Signer) and shared: never modified here.
 */
public final class QrAnswers {

    private QrAnswers() {
    }

    /** A new JSON object for each call: the caller may add to it (texts, the holder's data, the image). */
    public static JsonObject json(QrResult result) {
        JsonArray reasons = new JsonArray();
        result.findings().forEach(f -> reasons.add(f.reason()));
        String slug = result.problemSlug();
        JsonObject answer = new JsonObject()
                .put("verdict", result.verdict().name())
                .put("problem", slug == null ? null : Problem.TYPE_PREFIX + slug)
                .put("summary", result.summary())
                .put("reasons", reasons)
                .put("validationTime", result.validationTime().toString());
        boolean signed = result.signer() != null;
        return answer.put("kind", result.kind()).put("claims", claims(result))
                .put("signer", signed ? result.signer().certificateJson() : null)
                .put("seal", signed ? result.signer().sealJson() : null)
                .put("revocation", signed ? revocation(result.signer().seal(), result.revocation()) : null)
                .put("trust", trust(result.trust()));
    }

    private static JsonObject claims(QrResult result) {
        if (result.document() != null) {
            DocumentQr document = result.document();
            return new JsonObject().put("documentId", document.documentId().toString())
                    .put("verificationUrl", document.verificationUrl()).put("sealId", document.sealId())
                    .put("issuer", document.issuer()).put("issuedAt", document.issuedAt().toString())
                    .put("expiresAt", document.expiresAt() == null ? null : document.expiresAt().toString());
        }
        LicenceQr licence = result.licence();
        if (licence == null) {
            return null;
        }
        JsonObject claims = new JsonObject().put("identifier", licence.identifier()).put("typeCode", licence.typeCode())
                .put("holderName", licence.holderName()).put("maskedHolderNumber", licence.maskedHolderNumber())
                .put("validFrom", licence.validFrom().toString())
                .put("validUntil", licence.validUntil() == null ? null : licence.validUntil().toString())
                .put("issuer", licence.issuer()).put("issuedAt", licence.issuedAt().toString())
                .put("expiresAt", licence.expiresAt() == null ? null : licence.expiresAt().toString());
        if (licence.status() != null) {
            claims.put("status", listStatus(licence, result.licenceList()));
        }
        return claims;
    }

    /** The licence's status-list entry; with the list's times when it could be read. */
    private static JsonObject listStatus(LicenceQr licence, QrResult.ListEntry entry) {
        JsonObject status = new JsonObject().put("index", licence.status().index()).put("uri", licence.status().uri());
        if (entry != null) {
            status.put("list", new JsonObject().put("issuedAt", entry.status().listIssuedAt().toString())
                    .put("confirmedAt", entry.status().confirmedAt().toString())
                    .put("ageSeconds", Math.max(0, Duration.between(entry.status().confirmedAt(), entry.readAt()).toSeconds()))
                    .put("fromCache", entry.status().fromCache()));
        }
        return status;
    }

    /** The signer's revocation status (OCSP when online) and the seal's status as the seal service publishes it. */
    private static JsonObject revocation(Seal seal, SignerRevocation.Status ocsp) {
        return new JsonObject().put("state", ocsp.state().name()).put("source", ocsp.source())
                .put("producedAt", ocsp.producedAt() == null ? null : ocsp.producedAt().toString())
                .put("revokedAt", ocsp.revokedAt() == null ? null : ocsp.revokedAt().toString())
                .put("reason", ocsp.reason())
                .put("sealStatus", seal.status()).put("sealStatusChangedAt",
                        seal.statusChangedAt() == null ? null : seal.statusChangedAt().toString());
    }

    private static JsonObject trust(QrResult.Trust trust) {
        TrustList list = trust.list();
        return new JsonObject()
                .put("trustListSequence", list == null ? null : list.sequence())
                .put("trustListIssuedAt", list == null ? null : list.issuedAt().toString())
                .put("sealsFetchedAt", trust.sealsFetchedAt() == null ? null : trust.sealsFetchedAt().toString())
                .put("stale", trust.stale());
    }

}
