package cn.yinxin.verifier.trust;

import cn.yinxin.core.licence.LicenceStatusSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.ses.SealStatusSource;
import cn.yinxin.verifier.http.RequestIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks one of our services for the live status of what it issued: {@code GET {base}/api/v1/{kind}/{id}/status},
 * answered {@code {"status": ...}}; 404 means the service does not know it (null), any other answer is an error
 * (the verdict is then "cannot tell").
 */
public final class StatusLookup {

    private final String base;
    private final String kind;
    private final String service;
    private final Duration timeout;
    private final HttpClient http;

    private StatusLookup(String base, String kind, String service, Duration timeout) {
        this.base = base.replaceAll("/+$", "");
        this.kind = kind;
        this.service = service;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** A GB/T 38540 seal's own status at the seal service: a national signature of a revoked seal is not valid. */
    public static SealStatusSource seals(String base, Duration timeout) {
        StatusLookup lookup = new StatusLookup(base, "seals", "the seal service", timeout);
        return new SealStatusSource() {
            @Override
            public String status(String esId) throws Exception {
                return lookup.status(esId);
            }

            @Override
            public List<X509Certificate> certificates(String esId) throws Exception {
                return lookup.certificates(esId);
            }
        };
    }

    /** A licence's live status at the licence service. */
    public static LicenceStatusSource licences(String base, Duration timeout) {
        return new StatusLookup(base, "licences", "the licence service", timeout)::status;
    }

    /**
     * The signer certificates the seal service made seal {@code id} for ({@code GET /api/v1/seals/{id}/certificates}:
     * every one it has had, the first of each chain), or null when it does not list them (a seal service from before
     * renewals refuses the route, 403 or 404).
     */
    List<X509Certificate> certificates(String id) throws IOException, InterruptedException, GeneralSecurityException {
        var response = http.send(RequestIds.on(HttpRequest.newBuilder(URI.create(base + "/api/v1/" + kind + "/"
                        + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/certificates"))).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 403 || response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IOException(service + " answered HTTP " + response.statusCode());
        }
        List<X509Certificate> made = new ArrayList<>();
        JsonArray entries = new JsonArray(response.body());
        for (int i = 0; i < entries.size(); i++) {
            String chain = entries.getJsonObject(i).getString("chain");
            List<X509Certificate> certificates = chain == null ? List.of()
                    : Pem.readCertificates(chain.getBytes(StandardCharsets.US_ASCII));
            if (!certificates.isEmpty()) {
                made.add(certificates.getFirst());
            }
        }
        return made;
    }

    String status(String id) throws IOException, InterruptedException {
        var response = http.send(RequestIds.on(HttpRequest.newBuilder(URI.create(base + "/api/v1/" + kind + "/"
                        + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/status"))).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IOException(service + " answered HTTP " + response.statusCode());
        }
        return new JsonObject(response.body()).getString("status");
    }
}
