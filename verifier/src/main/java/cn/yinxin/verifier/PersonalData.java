package cn.yinxin.verifier;

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
 * What a verdict on a licence code shows of its holder. Anyone learns whether the licence is valid, with the
 * holder's name masked (张*) and the number masked as printed; a signed-in officer also gets the full name and
 * identity number, which the verifier asks the licence service for with the officer's own token (so the licence
 * service decides, and logs, who saw them).
 */
final class PersonalData {

    private final String licencesUrl;
    private final HttpClient http;
    private final Duration timeout;

    PersonalData(String licencesUrl, Duration timeout) {
        this.licencesUrl = licencesUrl == null ? null : licencesUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** True when the answer needs the licence service (blocking): an officer looking at a licence code. */
    static boolean needsLookup(JsonObject result, SignIn.Caller caller) {
        return caller.officer() && "licence".equals(result.getString("kind")) && result.getJsonObject("claims") != null;
    }

    /** Without a lookup: masks the holder's name for everyone but officers. */
    static JsonObject forPublic(JsonObject result) {
        JsonObject claims = result.getJsonObject("claims");
        if ("licence".equals(result.getString("kind")) && claims != null && claims.getString("holderName") != null) {
            claims.put("holderName", mask(claims.getString("holderName")));
            result.put("personalData", "hidden: sign in as an officer to see the holder's name and number");
        }
        return result;
    }

    /** Blocking: adds the holder's full name and number for an officer. */
    JsonObject forOfficer(JsonObject result, SignIn.Caller caller) {
        JsonObject claims = result.getJsonObject("claims");
        if (licencesUrl == null) {
            result.put("personalData", "unavailable: no licence service configured (YINXIN_LICENCES_URL)");
            return result;
        }
        String identifier = claims.getString("identifier");
        var request = HttpRequest.newBuilder(URI.create(licencesUrl + "/api/v1/licences/"
                + URLEncoder.encode(identifier, StandardCharsets.UTF_8))).timeout(timeout);
        if (caller.bearer() != null) {
            request.header("Authorization", "Bearer " + caller.bearer());
        } else if (caller.development()) {
            request.header("X-Dev-Roles", SignIn.OFFICER);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                result.put("personalData", "unavailable: the licence service answered HTTP " + response.statusCode());
                return forPublic(result);
            }
            JsonObject holder = new JsonObject(response.body()).getJsonObject("holder", new JsonObject());
            claims.put("holder", new JsonObject().put("kind", holder.getString("kind")).put("name", holder.getString("name"))
                    .put("identityNumber", holder.getString("identityNumber")));
            result.put("personalData", "shown to officer " + (caller.client() == null ? caller.subject()
                    : caller.client() + "/" + caller.subject()));
            return result;
        } catch (IOException e) {
            result.put("personalData", "unavailable: the licence service cannot be reached (" + e.getMessage() + ")");
            return forPublic(result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** 张三 -> 张*, 欧阳娜娜 -> 欧***, ACME -> A***. */
    static String mask(String name) {
        int first = name.offsetByCodePoints(0, Math.min(1, name.codePointCount(0, name.length())));
        return name.substring(0, first) + "*".repeat(Math.max(1, name.codePointCount(first, name.length())));
    }
}
