package cn.yinxin.verifier;

import cn.yinxin.core.licence.LicenceStatusSource;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Asks the licence service for a licence's live status (GET /api/v1/licences/{identifier}/status). */
final class LicenceStatusLookup implements LicenceStatusSource {

    private final String base;
    private final Duration timeout;
    private final HttpClient http;

    LicenceStatusLookup(String base, Duration timeout) {
        this.base = base.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String status(String identifier) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/licences/"
                        + URLEncoder.encode(identifier, StandardCharsets.UTF_8) + "/status")).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IOException("the licence service answered HTTP " + response.statusCode());
        }
        return new JsonObject(response.body()).getString("status");
    }
}
