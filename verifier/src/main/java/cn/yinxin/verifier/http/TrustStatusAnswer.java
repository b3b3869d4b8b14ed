package cn.yinxin.verifier.http;

import cn.yinxin.core.trust.TrustList;
import cn.yinxin.verifier.trust.TrustStatus;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;

/** GET /api/v1/trust-status: how old the verifier's trust data is ({@link TrustStatus.Report}) as JSON. */
final class TrustStatusAnswer {

    private TrustStatusAnswer() {
    }

    static JsonObject json(TrustStatus.Report report) {
        Instant now = report.now();
        TrustList list = report.list();
        JsonObject trustList = new JsonObject().put("configured", report.listConfigured())
                .put("lastRefused", report.listLastRefused());
        if (list != null) {
            trustList.put("sequence", list.sequence()).put("issuedAt", list.issuedAt().toString())
                    .put("nextUpdate", list.nextUpdate().toString())
                    .put("usableUntil", report.listUsableUntil().toString())
                    .put("usable", report.listUsable())
                    .put("ageSeconds", Duration.between(list.issuedAt(), now).toSeconds())
                    .put("fetchedAt", report.listFetchedAt() == null ? null : report.listFetchedAt().toString())
                    .put("source", report.listSource())
                    .put("recognisedCas", list.cas().size());
        }
        Instant fetched = report.sealsFetchedAt();
        JsonObject sealData = new JsonObject().put("configured", report.sealsConfigured())
                .put("count", report.sealCount())
                .put("fetchedAt", fetched == null ? null : fetched.toString())
                .put("ageSeconds", fetched == null ? null : Duration.between(fetched, now).toSeconds())
                .put("source", report.sealsSource())
                .put("lastError", report.sealsLastError());
        String stale = report.staleReason();
        return new JsonObject()
                .put("now", now.toString())
                .put("trustedRoots", report.trustedRoots())
                .put("trustList", trustList)
                .put("seals", sealData)
                .put("revocation", report.onlineRevocation() ? "online" : "offline")
                .put("maxStalenessSeconds", report.maxStalenessSeconds())
                .put("stale", stale != null)
                .put("staleReason", stale);
    }
}
