package cn.yinxin.verifier.trust.seals;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The seal service's published seals, asked over plain HTTP: {@code GET /api/v1/seals} (the seal views) and
 * {@code GET /api/v1/seals/{id}/certificates} (the current PEM chain and those of the certificates the seal had
 * before a renewal). Plain HTTP on purpose: a certificate counts only when its chain ends at one of the verifier's
 * trust anchors, so a forged or swapped certificate gains nothing.
 */
final class SealService {

    /** A seal's current PEM chain, and those it had before renewals ({@code chain}, {@code replacedAt}). */
    record Chains(String current, List<JsonObject> previous) {
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SealService(String url) {
        this.base = url.replaceAll("/+$", "");
    }

    /** The address the seals come from. */
    String base() {
        return base;
    }

    /** The seal views. */
    JsonArray seals() throws IOException {
        return new JsonArray(get(base + "/api/v1/seals"));
    }

    /**
     * Asks for all the seal's certificates; a seal service without {@code /certificates} (before renewals existed)
     * gives the current chain only.
     */
    Chains chains(String id) throws IOException {
        String seal = base + "/api/v1/seals/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        HttpResponse<String> answer = send(seal + "/certificates");
        if (answer.statusCode() == 404 || answer.statusCode() == 401 || answer.statusCode() == 403) {
            // a seal service from before renewals: no such route, which its access rules refuse before routing
            return new Chains(get(seal + "/certificate"), List.of());
        }
        if (answer.statusCode() != 200) {
            throw new IOException(seal + "/certificates answered HTTP " + answer.statusCode());
        }
        JsonArray list = new JsonArray(answer.body());
        String current = null;
        List<JsonObject> previous = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonObject certificate = list.getJsonObject(i);
            if (certificate.getBoolean("current", false)) {
                current = certificate.getString("chain");
            } else if (certificate.getValue("replacedAt") != null) {
                // written as ISO text; older Jackson settings wrote epoch seconds (parseInstant reads both)
                previous.add(new JsonObject().put("chain", certificate.getString("chain"))
                        .put("replacedAt", String.valueOf(certificate.getValue("replacedAt"))));
            }
        }
        if (current == null) {
            throw new IOException(seal + "/certificates names no current certificate");
        }
        return new Chains(current, previous);
    }

    private String get(String url) throws IOException {
        HttpResponse<String> response = send(url);
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    private HttpResponse<String> send(String url) throws IOException {
        try {
            return http.send(RequestIds.on(HttpRequest.newBuilder(URI.create(url))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
