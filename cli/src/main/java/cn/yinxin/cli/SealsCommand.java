package cn.yinxin.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code yinxin seals expiring | renew}: a seal administrator's routine from the command line (or a daily job):
 * which seals' certificates end soon, and renewing one. Exit code 0 done, 1 refused, 2 the service cannot be
 * reached or failed.
 */
@Command(name = "seals", description = "Seal administration: list the seals to renew, renew a seal (续期).",
        subcommands = {SealsCommand.Expiring.class, SealsCommand.Renew.class})
final class SealsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("Say what to do: expiring or renew (yinxin seals --help).");
        return 2;
    }

    abstract static class Base implements Callable<Integer> {
        @Option(names = "--url", description = "seal service (default: ${DEFAULT-VALUE})",
                defaultValue = "${env:YINXIN_SEAL_URL:-http://localhost:8082}")
        URI url;

        @Option(names = "--json", description = "print the seal service's answer as JSON (a refusal: its problem "
                + "document)")
        boolean json;

        PrintStream out = System.out;
        PrintStream err = System.err;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        /** The answer, or null after saying that the service does not answer. */
        HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            try {
                return http.send(SignedIn.with(request).build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                unreachable("The seal service does not answer at " + url + " (start it with ./yinxin up).");
                return null;
            } catch (IOException e) {
                unreachable("The seal service at " + url + " did not answer: " + e);
                return null;
            }
        }

        private void unreachable(String why) {
            err.println(why);
            if (json) {
                out.println(Json.cliProblem("unreachable", "The seal service does not answer", why));
            }
        }

        int refused(HttpResponse<String> response) {
            err.println("Refused: " + Json.problem(response.body()));
            if (json) {
                out.println(Json.refusal(response.statusCode(), response.body()));
            }
            return response.statusCode() >= 500 ? 2 : 1;
        }

        /** One line per seal: id, status, certificate serial and end, name. */
        void print(JsonNode seal) {
            JsonNode certificate = seal.path("certificate");
            out.println(seal.path("id").asString() + "  " + seal.path("status").asString() + "  serial "
                    + certificate.path("serial").asString() + "  until " + certificate.path("validUntil").asString()
                    + "  " + seal.path("name").asString());
        }
    }

    @Command(name = "expiring", description = "List the active seals whose certificate ends within --days.")
    static final class Expiring extends Base {
        @Option(names = "--days", description = "how far ahead (default: ${DEFAULT-VALUE})", defaultValue = "60")
        int days;

        @Override
        public Integer call() throws Exception {
            var response = send(HttpRequest.newBuilder(url.resolve("/api/v1/seals?expiringWithinDays=" + days)));
            if (response == null) {
                return 2;
            }
            if (response.statusCode() != 200) {
                return refused(response);
            }
            JsonNode seals = Json.read(response.body());
            if (json) {
                out.println(Json.pretty(seals));
            } else {
                seals.valueStream().forEach(this::print);
            }
            return 0;
        }
    }

    @Command(name = "renew", description = "Renew a seal: a new key and certificate; the old key is destroyed and "
            + "what it signed stays verifiable.")
    static final class Renew extends Base {
        @Parameters(index = "0", paramLabel = "SEAL-ID")
        String seal;
        @Option(names = "--validity-days", description = "the new certificate's validity (default: the CA's limit)")
        Integer validityDays;

        @Override
        public Integer call() throws Exception {
            var request = Json.MAPPER.createObjectNode();
            if (validityDays != null) {
                request.put("validityDays", validityDays);
            }
            String body = Json.MAPPER.writeValueAsString(request);
            var response = send(HttpRequest.newBuilder(url.resolve("/api/v1/seals/"
                            + URLEncoder.encode(seal, StandardCharsets.UTF_8) + "/renewal"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
            if (response == null) {
                return 2;
            }
            if (response.statusCode() != 200) {
                return refused(response);
            }
            if (json) {
                out.println(Json.pretty(Json.read(response.body())));
            } else {
                print(Json.read(response.body()));
            }
            return 0;
        }
    }
}
