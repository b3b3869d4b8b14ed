package cn.yinxin.cli;

import cn.yinxin.core.licence.ResidentId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code yinxin licence issue | suspend | restore | revoke | cancel | import}: the licence service from the command
 * line. Exit code 0 done, 1 refused (or, for import, rows failed), 2 the service cannot be reached.
 */
@Command(name = "licence", description = "Issue licences, change their status, import existing ones in bulk.",
        subcommands = {LicenceCommand.Issue.class, LicenceCommand.Suspend.class, LicenceCommand.Restore.class,
                LicenceCommand.Revoke.class, LicenceCommand.Cancel.class, LicenceCommand.Import.class})
final class LicenceCommand implements Callable<Integer> {

    static final String DEFAULT_URL = "${env:YINXIN_LICENCE_URL:-http://localhost:8083}";

    @Override
    public Integer call() {
        System.err.println("Say what to do: issue, suspend, restore, revoke, cancel or import (yinxin licence --help).");
        return 2;
    }

    /** What every licence subcommand shares: the service's address, and an HTTP client. */
    abstract static class Base implements Callable<Integer> {
        @Option(names = "--url", description = "licence service (default: ${DEFAULT-VALUE})", defaultValue = DEFAULT_URL)
        URI url;

        @Option(names = "--json", description = "print the answer as JSON (a refusal: the service's problem document)")
        boolean json;

        PrintStream out = System.out;
        PrintStream err = System.err;
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            return http.send(SignedIn.with(request).build(), HttpResponse.BodyHandlers.ofString());
        }

        URI at(String path) {
            return url.resolve(path);
        }

        int unreachable() {
            err.println("The licence service does not answer at " + url + " (start it with ./yinxin up).");
            if (json) {
                out.println(Json.cliProblem("unreachable", "The licence service does not answer",
                        "The licence service does not answer at " + url));
            }
            return 2;
        }

        int refused(HttpResponse<String> response) {
            err.println("Refused: " + Json.problem(response.body()));
            if (json) {
                out.println(Json.refusal(response.statusCode(), response.body()));
            }
            return response.statusCode() >= 500 ? 2 : 1;
        }

        /** A failure of the command line itself (bad argument, missing file): said, and as JSON with --json. */
        int failed(String slug, String why) {
            err.println(why);
            if (json) {
                out.println(Json.cliProblem(slug, why, why));
            }
            return 1;
        }
    }

    @Command(name = "issue", description = "Issue a licence, write its sealed PDF and print its identifier.")
    static final class Issue extends Base {
        @Option(names = "--type", required = true, description = "licence type code (21 characters)")
        String type;
        @Option(names = "--holder-name", required = true)
        String holderName;
        @Option(names = "--holder-id", required = true, description = "resident ID number or USCC")
        String holderId;
        @Option(names = "--holder-kind", description = "PERSON or ORGANISATION (default: PERSON when --holder-id is a "
                + "valid resident ID number)")
        String holderKind;
        @Option(names = "--field", paramLabel = "KEY=VALUE", description = "a field of the type (repeat); KEY:=JSON "
                + "for a number or other JSON value")
        List<String> fields = new ArrayList<>();
        @Option(names = "--valid-from", paramLabel = "DATE")
        String validFrom;
        @Option(names = "--valid-until", paramLabel = "DATE")
        String validUntil;
        @Option(names = "--physical-number", required = true, paramLabel = "N",
                description = "the number printed on the physical licence (issuing again with it is idempotent)")
        String physicalNumber;
        @Option(names = "--approval-item", description = "the approval item (关联事项)")
        String approvalItem;
        @Option(names = "--out", required = true, paramLabel = "FILE.pdf")
        Path outFile;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("type", type);
            ObjectNode holder = body.putObject("holder");
            holder.put("kind", holderKind != null ? holderKind.toUpperCase()
                    : ResidentId.isValid(holderId.strip().toUpperCase()) ? "PERSON" : "ORGANISATION");
            holder.put("name", holderName);
            holder.put("number", holderId);
            Integer badField = addFields(body.putObject("fields"));
            if (badField != null) {
                return badField;
            }
            body.put("physicalNumber", physicalNumber);
            if (validFrom != null) {
                body.put("validFrom", validFrom);
            }
            if (validUntil != null) {
                body.put("validUntil", validUntil);
            }
            if (approvalItem != null) {
                body.put("approvalItem", approvalItem);
            }
            try {
                var response = send(HttpRequest.newBuilder(at("/api/v1/licences")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))));
                if (response.statusCode() != 200 && response.statusCode() != 201) {
                    return refused(response);
                }
                return savePdf(Json.read(response.body()).get("identifier").asString(), response.statusCode() == 200);
            } catch (ConnectException e) {
                return unreachable();
            }
        }

        /** The --field options as the body's fields; the exit code of the refusal when one is malformed. */
        private Integer addFields(ObjectNode f) {
            for (String field : fields) {
                int json = field.indexOf(":=");
                int eq = field.indexOf('=');
                if (json > 0 && json < eq) {
                    try {
                        f.set(field.substring(0, json), Json.read(field.substring(json + 2)));
                    } catch (RuntimeException e) {
                        return failed("invalid-argument", "--field " + field + ": the value after := is not JSON");
                    }
                } else if (eq > 0) {
                    f.put(field.substring(0, eq), field.substring(eq + 1));
                } else {
                    return failed("invalid-argument", "--field takes KEY=VALUE, not " + field);
                }
            }
            return null;
        }

        /** Fetches the issued licence's PDF into --out and says what was issued. */
        private int savePdf(String identifier, boolean issuedBefore) throws IOException, InterruptedException {
            var pdf = http.send(SignedIn.with(HttpRequest.newBuilder(at("/api/v1/licences/" + identifier + "/pdf"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (pdf.statusCode() != 200) {
                String why = "Issued " + identifier + " but its PDF could not be fetched (HTTP " + pdf.statusCode() + ")";
                err.println(why);
                if (json) {
                    out.println(Json.cliProblem("pdf-not-fetched", why, why));
                }
                return 2;
            }
            Files.write(outFile, pdf.body());
            if (json) {
                ObjectNode done = Json.MAPPER.createObjectNode();
                done.put("identifier", identifier).put("pdf", outFile.toString())
                        .put("issuedBefore", issuedBefore);
                out.println(Json.pretty(done));
            } else {
                out.println(identifier);
            }
            if (issuedBefore) {
                err.println("(issued before with physical number " + physicalNumber + ": the same licence)");
            }
            return 0;
        }
    }

    /** suspend / revoke / cancel: a POST with an optional reason. */
    abstract static class Change extends Base {
        @Parameters(index = "0", paramLabel = "IDENTIFIER")
        String identifier;
        @Option(names = "--reason")
        String reason;

        abstract String path();

        @Override
        public Integer call() throws Exception {
            ObjectNode body = Json.MAPPER.createObjectNode();
            if (reason != null) {
                body.put("reason", reason);
            }
            try {
                return report(send(HttpRequest.newBuilder(at("/api/v1/licences/" + identifier + path()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)))));
            } catch (ConnectException e) {
                return unreachable();
            }
        }

        int report(HttpResponse<String> response) {
            if (response.statusCode() != 200) {
                return refused(response);
            }
            JsonNode licence = Json.read(response.body());
            out.println(json ? Json.pretty(licence) : licence.get("identifier").asString() + " " + licence.get("status").asString());
            return 0;
        }
    }

    @Command(name = "suspend", description = "Suspend a licence (暂扣).")
    static final class Suspend extends Change {
        String path() {
            return "/suspension";
        }
    }

    @Command(name = "revoke", description = "Revoke a licence (吊销); final.")
    static final class Revoke extends Change {
        String path() {
            return "/revocation";
        }
    }

    @Command(name = "cancel", description = "Cancel a licence (注销); final.")
    static final class Cancel extends Change {
        String path() {
            return "/cancellation";
        }
    }

    @Command(name = "restore", description = "Restore a suspended licence (发还).")
    static final class Restore extends Change {
        @Override
        public Integer call() throws Exception {
            try {
                return report(send(HttpRequest.newBuilder(at("/api/v1/licences/" + identifier + "/suspension")).DELETE()));
            } catch (ConnectException e) {
                return unreachable();
            }
        }

        String path() {
            return "/suspension";
        }
    }

    @Command(name = "import", description = "Import existing licences (存量证照电子化) from a CSV (header row: "
            + "holderKind, holderName, holderNumber, physicalNumber, validFrom, validUntil and the type's field keys) "
            + "or a JSON Lines file (.jsonl: the issuance JSON on each line); shows the job's progress until it "
            + "finishes, then the rows that failed. Exit code 0 all rows issued, 1 some failed, 2 cannot tell.")
    static final class Import extends Base {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;
        @Option(names = "--type", required = true, description = "licence type code")
        String type;
        @Option(names = "--no-wait", description = "start the job, print its id, and return")
        boolean noWait;
        @Option(names = "--interval", description = "how often to ask for progress (default: ${DEFAULT-VALUE})",
                defaultValue = "PT0.5S")
        Duration interval;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                return failed("no-such-file", "No such file: " + file);
            }
            String name = file.getFileName().toString().toLowerCase();
            String contentType = name.endsWith(".jsonl") || name.endsWith(".ndjson") ? "application/x-ndjson" : "text/csv";
            HttpResponse<String> created;
            try {
                created = send(HttpRequest.newBuilder(at("/api/v1/imports?type=" + type)).header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofFile(file)));
            } catch (ConnectException e) {
                return unreachable();
            }
            if (created.statusCode() != 202) {
                return refused(created);
            }
            String job = Json.read(created.body()).get("id").asString();
            err.println("Import job " + job + " (" + Json.read(created.body()).get("total").asInt() + " rows)");
            if (noWait) {
                out.println(json ? Json.pretty(Json.read(created.body())) : job);
                return 0;
            }
            JsonNode progress = watch(job);
            if (progress == null) {
                return unreachable();
            }
            return summary(job, progress);
        }

        /** Asks for the job's progress every --interval until it is finished; null when the service stops answering. */
        private JsonNode watch(String job) throws IOException, InterruptedException {
            JsonNode progress;
            boolean terminal = System.console() != null;
            ImportProgress watch = new ImportProgress();
            String lastBar = "";
            while (true) {
                try {
                    progress = Json.read(send(HttpRequest.newBuilder(at("/api/v1/imports/" + job))).body());
                } catch (ConnectException e) {
                    err.println();
                    return null;
                }
                String bar = bar(progress);
                String line = watch.line(progress, Instant.now());
                if (terminal) {
                    err.print("\r" + line + "   ");
                } else if (!bar.equals(lastBar)) {
                    // a log (no terminal) gets a line only when the counts move
                    err.println(line);
                }
                lastBar = bar;
                if ("FINISHED".equals(progress.path("status").asString())) {
                    break;
                }
                Thread.sleep(interval.toMillis());
            }
            if (terminal) {
                err.println();
            }
            return progress;
        }

        /** The finished job: counts and the failed rows (line and why); exit 1 when a row failed. */
        private int summary(String job, JsonNode progress) throws IOException, InterruptedException {
            int failed = progress.get("failed").asInt();
            JsonNode errors = failed == 0 ? Json.MAPPER.createArrayNode()
                    : Json.read(send(HttpRequest.newBuilder(at("/api/v1/imports/" + job + "/errors"))).body());
            if (json) {
                // the job's progress as the service gives it, with the failed rows (line and why)
                ObjectNode done = ((ObjectNode) progress).deepCopy();
                done.set("errors", errors);
                out.println(Json.pretty(done));
                return failed > 0 ? 1 : 0;
            }
            out.println("Job " + job + ": " + progress.get("done").asInt() + " issued, " + failed + " failed");
            for (JsonNode error : errors) {
                out.println("  line " + error.get("line").asInt() + ": " + error.get("error").asString());
            }
            return failed > 0 ? 1 : 0;
        }

        /** [##########----------]  50%  30/61  (issued 25, failed 5) */
        static String bar(JsonNode progress) {
            int total = Math.max(1, progress.get("total").asInt());
            int finished = progress.get("done").asInt() + progress.get("failed").asInt();
            int width = 30;
            int filled = (int) ((long) finished * width / total);
            return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + String.format("%3d%%", finished * 100 / total)
                    + "  " + finished + "/" + total + "  (issued " + progress.get("done").asInt() + ", failed "
                    + progress.get("failed").asInt() + ")";
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
