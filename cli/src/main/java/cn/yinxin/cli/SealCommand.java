package cn.yinxin.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code yinxin seal IN.pdf OUT.pdf}: has the seal service stamp a PDF. */
@Command(name = "seal", description = "Stamp IN.pdf with a seal through the seal service and write OUT.pdf.")
final class SealCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN.pdf")
    Path in;
    @Parameters(index = "1", paramLabel = "OUT.pdf")
    Path out;
    @Option(names = "--seal", description = "seal id (default: ${DEFAULT-VALUE})", defaultValue = "sample-agency-seal")
    String seal;
    @Option(names = "--page", description = "page, from 1 (default: ${DEFAULT-VALUE})", defaultValue = "1")
    int page;
    @Option(names = "--x", description = "seal centre, mm from the left edge (default: ${DEFAULT-VALUE})",
            defaultValue = "150")
    double x;
    @Option(names = "--y", description = "seal centre, mm from the top edge (default: ${DEFAULT-VALUE})",
            defaultValue = "240")
    double y;
    @Option(names = "--reason", description = "reason written into the signature")
    String reason;
    @Option(names = "--level", description = "B-B, B-T, B-LT or B-LTA (default: the seal's own default level)")
    String level;
    @Option(names = "--json", description = "print what was done as JSON: in, out, seal, level, stampId (a refusal: "
            + "the service's problem document)")
    boolean json;
    @Option(names = "--url", description = "seal service (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:YINXIN_SEAL_URL:-http://localhost:8082}")
    URI url;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(in)) {
            System.err.println("No such file: " + in);
            if (json) {
                System.out.println(Json.cliProblem("no-such-file", "No such file", "No such file: " + in));
            }
            return 1;
        }
        String boundary = "yinxin-" + UUID.randomUUID();
        HttpRequest request = SignedIn.with(HttpRequest.newBuilder(url.resolve("/api/v1/stamp"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                // named in the seal service's signing record of this stamp
                .header("X-Yinxin-Source", "cli")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form(boundary)))).build();
        HttpResponse<byte[]> response;
        try {
            response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            System.err.println("The seal service does not answer at " + url + " (start it with ./yinxin up).");
            if (json) {
                System.out.println(Json.cliProblem("unreachable", "The seal service does not answer",
                        "The seal service does not answer at " + url));
            }
            return 3;
        }
        if (response.statusCode() != 200) {
            String problem = new String(response.body(), StandardCharsets.UTF_8);
            System.err.println("Refused: " + Json.problem(problem));
            if (json) {
                System.out.println(Json.refusal(response.statusCode(), problem));
            }
            return 1;
        }
        Files.write(out, response.body());
        if (json) {
            var done = Json.MAPPER.createObjectNode();
            done.put("in", in.toString()).put("out", out.toString()).put("seal", seal)
                    .put("level", response.headers().firstValue("X-Signature-Level").orElse(null))
                    .put("stampId", response.headers().firstValue("X-Stamp-Id").orElse(null));
            System.out.println(Json.pretty(done));
            return 0;
        }
        System.out.println("Sealed " + in + " -> " + out + " with seal '" + seal + "' ("
                + response.headers().firstValue("X-Signature-Level").orElse("?") + ", stamp record "
                + response.headers().firstValue("X-Stamp-Id").orElse("?") + ")");
        return 0;
    }

    /** The multipart form the seal service's stamp endpoint reads: the options, then the PDF. */
    private byte[] form(String boundary) throws IOException {
        var body = new ByteArrayOutputStream();
        part(body, boundary, "sealId", seal);
        part(body, boundary, "page", String.valueOf(page));
        part(body, boundary, "x", String.valueOf(x));
        part(body, boundary, "y", String.valueOf(y));
        if (reason != null) {
            part(body, boundary, "reason", reason);
        }
        if (level != null) {
            part(body, boundary, "level", level);
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName(in) + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(in));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /**
     * The file's name as the form's filename parameter: a quote, backslash or line break in it would end the
     * header line or the quoted string early (RFC 7578 names no escape that every server reads), so each becomes _.
     */
    static String fileName(Path file) {
        return file.getFileName().toString().replaceAll("[\"\\\\\r\n]", "_");
    }

    private static void part(ByteArrayOutputStream body, String boundary, String name, String value) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                + value + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
}
