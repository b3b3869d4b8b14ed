package cn.yinxin.verifier.qr;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.verifier.http.RequestIds;
import cn.yinxin.verifier.http.SignIn;
import io.vertx.core.json.DecodeException;
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
 * holder's name masked (张*) and the number masked as printed. A signed-in officer who gives a purpose (用证事由 and
 * the case or approval-item number) also gets the full name and identity number.
 * <p>
 * The verifier keeps no data and faces the internet, so it neither decides nor records a disclosure itself: it asks
 * the licence service ({@code POST /api/v1/licences/{identifier}/disclosures}) with the officer's own token and the
 * purpose, and the licence service checks the purpose, the officer's office and rate limit, records the use (shown to
 * the holder) and audits it in the transaction that reads the data. What the verifier cannot get that way, it does
 * not show.
 */
public final class PersonalData {

    /** Why an officer wants a holder's data: the purpose text and the case or approval-item number, as sent. */
    public record Purpose(String text, String caseNumber) {

        /** From the request's {@code purpose} and {@code caseNumber}; null when neither was given (no look-up). */
        public static Purpose of(String text, String caseNumber) {
            boolean none = (text == null || text.isBlank()) && (caseNumber == null || caseNumber.isBlank());
            return none ? null : new Purpose(text, caseNumber);
        }
    }

    private final String licencesUrl;
    private final HttpClient http;
    private final Duration timeout;

    public PersonalData(String licencesUrl, Duration timeout) {
        this.licencesUrl = licencesUrl == null ? null : licencesUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** True when the answer needs the licence service (blocking): an officer with a purpose looking at a licence code. */
    public static boolean needsLookup(JsonObject result, SignIn.Caller caller, Purpose purpose) {
        return caller.officer() && purpose != null && isLicence(result);
    }

    private static boolean isLicence(JsonObject result) {
        return "licence".equals(result.getString("kind")) && result.getJsonObject("claims") != null;
    }

    /** Without a look-up: the holder's name masked; the note says what would show more. */
    public static JsonObject forPublic(JsonObject result, SignIn.Caller caller) {
        JsonObject claims = result.getJsonObject("claims");
        if (isLicence(result) && claims.getString("holderName") != null) {
            claims.put("holderName", mask(claims.getString("holderName")));
            result.put("personalData", caller.officer()
                    ? "hidden: give a purpose (用证事由) and a caseNumber to see the holder's name and number; each "
                    + "look-up is recorded and shown to the holder"
                    : "hidden: sign in as an officer to see the holder's name and number");
        }
        return result;
    }

    /**
     * Blocking: the holder's full name and number for an officer with a purpose, disclosed and recorded by the
     * licence service. A purpose it refuses (400) or an officer over the limit (429) is the caller's problem and
     * answered as such; anything else leaves the answer masked and says why.
     */
    public JsonObject forOfficer(JsonObject result, SignIn.Caller caller, Purpose purpose) {
        JsonObject claims = result.getJsonObject("claims");
        if (licencesUrl == null) {
            result.put("personalData", "unavailable: no licence service configured (YINXIN_LICENCES_URL)");
            return mask(result);
        }
        String identifier = claims.getString("identifier");
        var request = RequestIds.on(HttpRequest.newBuilder(URI.create(licencesUrl + "/api/v1/licences/"
                        + URLEncoder.encode(identifier, StandardCharsets.UTF_8) + "/disclosures"))).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("purpose", purpose.text())
                        .put("caseNumber", purpose.caseNumber()).encode()));
        if (caller.bearer() != null) {
            request.header("Authorization", "Bearer " + caller.bearer());
        } else if (caller.development()) {
            // the development caller the verifier was told about, and no more: the officer role it asked for
            request.header("X-Dev-Roles", SignIn.OFFICER).header("X-Dev-Client", caller.client());
            if (caller.office() != null) {
                request.header("X-Dev-Office", caller.office());
            }
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 400 || response.statusCode() == 429) {
                throw new RejectedException(response.statusCode() == 429 ? Problem.DISCLOSURE_LIMIT
                        : Problem.PURPOSE_INVALID, detail(response));
            }
            if (response.statusCode() != 200) {
                result.put("personalData", "unavailable: the licence service answered HTTP " + response.statusCode()
                        + " (" + detail(response) + ")");
                return mask(result);
            }
            JsonObject holder = new JsonObject(response.body()).getJsonObject("holder", new JsonObject());
            claims.put("holder", new JsonObject().put("kind", holder.getString("kind")).put("name", holder.getString("name"))
                    .put("identityNumber", holder.getString("identityNumber")));
            result.put("personalData", "shown to officer " + (caller.client() == null ? caller.subject()
                    : caller.client() + "/" + caller.subject()) + " for: " + purpose.text() + " (" + purpose.caseNumber()
                    + "); recorded by the licence service and shown to the holder");
            return result;
        } catch (IOException e) {
            result.put("personalData", "unavailable: the licence service cannot be reached (" + e.getMessage() + ")");
            return mask(result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject mask(JsonObject result) {
        JsonObject claims = result.getJsonObject("claims");
        if (claims.getString("holderName") != null) {
            claims.put("holderName", mask(claims.getString("holderName")));
        }
        return result;
    }

    /** The problem's detail from the licence service, or its status. */
    private static String detail(HttpResponse<String> response) {
        try {
            String detail = new JsonObject(response.body()).getString("detail");
            return detail == null ? "HTTP " + response.statusCode() : detail;
        } catch (DecodeException | ClassCastException e) {
            return "HTTP " + response.statusCode();
        }
    }

    /** 张三 -> 张*, 欧阳娜娜 -> 欧***, ACME -> A***. */
    static String mask(String name) {
        int first = name.offsetByCodePoints(0, Math.min(1, name.codePointCount(0, name.length())));
        return name.substring(0, first) + "*".repeat(Math.max(1, name.codePointCount(first, name.length())));
    }
}
