package cn.yinxin.verifier.qr;

import cn.yinxin.verifier.http.RequestIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A presentation code (亮证, {@code YXP1:}) shown on a holder's phone: only the licence service that issued it has the
 * live status and the replay cache (a code scanned a second time is refused), so the verifier asks it and answers
 * in its own verdict form.
 */
public final class PresentationCheck {

    public static final String PREFIX = "YXP1:";

    private final String licencesUrl;
    private final HttpClient http;
    private final Duration timeout;

    public PresentationCheck(String licencesUrl, Duration timeout) {
        this.licencesUrl = licencesUrl == null ? null : licencesUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Blocking: call on a worker thread. */
    public JsonObject check(String text) {
        if (licencesUrl == null) {
            return answer("INDETERMINATE", "presentation-unchecked", "Presentation codes are checked by the licence "
                    + "service (it alone knows whether a code was shown before); this verifier has none configured "
                    + "(YINXIN_LICENCES_URL).", null, false);
        }
        try {
            var response = http.send(RequestIds.on(HttpRequest.newBuilder(URI.create(licencesUrl + "/api/v1/presentations/verify")))
                    .timeout(timeout).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("text", text).encode())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return answer("INDETERMINATE", "presentation-unchecked", "The licence service answered HTTP "
                        + response.statusCode() + "; the code cannot be confirmed now.", null, false);
            }
            JsonObject found = new JsonObject(response.body());
            return answer(found.getString("verdict"), found.getString("problem"), found.getString("reason"),
                    found.getJsonObject("licence"), Boolean.TRUE.equals(found.getBoolean("replayed")));
        } catch (IOException e) {
            return answer("INDETERMINATE", "presentation-unchecked", "The licence service cannot be reached ("
                    + e.getMessage() + "); the code cannot be confirmed now.", null, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject answer(String verdict, String problem, String reason, JsonObject licence, boolean replayed) {
        String type = problem == null ? null : problem.startsWith("urn:") ? problem : "urn:yinxin:problem:" + problem;
        return new JsonObject().put("verdict", verdict).put("problem", type).put("summary", reason)
                .put("reasons", new JsonArray().add(reason)).put("kind", "presentation").put("claims", licence)
                .put("replayed", replayed);
    }
}
