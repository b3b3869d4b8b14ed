package cn.yinxin.cli;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.PdfVerifier;
import cn.yinxin.core.pdf.ReportMaps;
import cn.yinxin.core.pki.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code yinxin verify FILE.pdf}: asks the verifier, or with {@code --trust DIR} checks offline against the root
 * certificates in DIR. Exit code 0 valid, 1 invalid, 2 cannot tell.
 */
@Command(name = "verify", description = "Verify the seals and signatures of a PDF. Exit code 0 valid, 1 invalid, "
        + "2 cannot tell.")
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.pdf")
    Path file;
    @Option(names = "--json", description = "print the full JSON report")
    boolean json;
    @Option(names = "--trust", paramLabel = "DIR",
            description = "verify offline, trusting the root certificates (PEM or DER) in DIR")
    Path trust;
    @Option(names = "--url", description = "verifier (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:YINXIN_VERIFIER_URL:-http://localhost:8080}")
    URI url;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            System.err.println("No such file: " + file);
            return 2;
        }
        byte[] pdf = Files.readAllBytes(file);
        JsonNode report;
        if (trust != null) {
            if (!Files.isDirectory(trust)) {
                System.err.println("No trust folder: " + trust);
                return 2;
            }
            try {
                // the verifier's limits, from the same settings (YINXIN_VERIFY_MAX_*): the same answer offline
                var verifier = new PdfVerifier(Pem.readFolder(trust))
                        .withLimits(cn.yinxin.core.pdf.VerificationLimits.fromEnvironment())
                        .withRevocationFreshness(cn.yinxin.core.pdf.RevocationFreshness.fromSettings(System::getenv));
                report = Json.read(Json.pretty(ReportMaps.toMap(verifier.verify(pdf))));
            } catch (RejectedException e) {
                System.err.println("Not verifiable: " + e.getMessage());
                return 1;
            }
        } else {
            HttpResponse<String> response;
            try {
                response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/api/v1/verify/pdf"))
                        .header("Content-Type", "application/pdf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(pdf)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                System.err.println("The verifier does not answer at " + url
                        + " (start it with ./yinxin up, or verify offline with --trust DIR).");
                return 2;
            }
            if (response.statusCode() != 200) {
                System.err.println("Not verifiable: " + Json.problem(response.body()));
                return response.statusCode() >= 500 ? 2 : 1;
            }
            report = Json.read(response.body());
        }
        System.out.println(json ? Json.pretty(report) : HumanReport.render(report));
        return switch (report.path("verdict").asString("")) {
            case "VALID" -> 0;
            case "INDETERMINATE" -> 2;
            default -> 1;
        };
    }
}
