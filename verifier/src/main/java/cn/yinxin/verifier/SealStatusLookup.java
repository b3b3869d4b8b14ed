package cn.yinxin.verifier;

import cn.yinxin.core.ses.SealStatusSource;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks the seal service for a GB/T 38540 seal's own status (GET /api/v1/seals/{esID}/status): a national-mode
 * signature of a revoked or suspended seal is not valid.
 */
final class SealStatusLookup implements SealStatusSource {

    private final String base;
    private final Duration timeout;
    private final HttpClient http;

    SealStatusLookup(String base, Duration timeout) {
        this.base = base.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String status(String esId) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/seals/"
                        + URLEncoder.encode(esId, StandardCharsets.UTF_8) + "/status")).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IOException("the seal service answered HTTP " + response.statusCode());
        }
        return new JsonObject(response.body()).getString("status");
    }
}
