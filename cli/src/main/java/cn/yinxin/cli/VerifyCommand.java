package cn.yinxin.cli;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.VerificationLimits;
import cn.yinxin.core.pdf.verify.longterm.RevocationFreshness;
import cn.yinxin.core.pdf.verify.report.ReportMaps;
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
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code yinxin verify FILE.pdf} or {@code FILE.ofd}: asks the verifier, or with {@code --trust DIR} checks offline
 * against the root certificates in DIR. An OFD is told by its name or by its ZIP magic ({@code PK\3\4}); anything
 * else is sent as a PDF. Exit code 0 valid, 1 invalid, 2 cannot tell.
 */
@Command(name = "verify", description = "Verify the seals and signatures of a PDF or an OFD. Exit code 0 valid, "
        + "1 invalid, 2 cannot tell.")
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.pdf|FILE.ofd")
    Path file;
    @Option(names = "--json", description = "print the full JSON report (the verifier's; a failure without a "
            + "report as a problem document)")
    boolean json;
    @Option(names = "--trust", paramLabel = "DIR",
            description = "verify offline, trusting the root certificates (PEM or DER) in DIR (for an OFD, put the "
                    + "seal's CA certificates there too: an OFD seal does not carry them)")
    Path trust;
    @Option(names = "--seal-maker", paramLabel = "FILE",
            description = "with --trust: also believe GB/T 38540 seals made by the seal maker whose certificate (PEM or "
                    + "DER) is in FILE, though it carries no Yinxin seal-making key purpose (another product's or "
                    + "province's maker, as a trust list's SEAL_MAKING entry); may be given more than once")
    List<Path> sealMakers = List.of();
    @Option(names = "--url", description = "verifier (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:YINXIN_VERIFIER_URL:-http://localhost:8080}")
    URI url;

    /** The certificates of the --seal-maker files; null (and the reason printed) when one cannot be read. */
    private List<X509Certificate> sealMakers() throws java.io.IOException {
        List<X509Certificate> makers = new ArrayList<>();
        for (Path maker : sealMakers) {
            List<X509Certificate> read;
            try {
                read = Files.isRegularFile(maker) ? Pem.readCertificates(Files.readAllBytes(maker)) : List.of();
            } catch (java.security.GeneralSecurityException e) {
                read = List.of();
            }
            if (read.isEmpty()) {
                failed("no-such-file", "No seal maker certificate", "No certificate in " + maker + ".");
                return null;
            }
            makers.addAll(read);
        }
        return makers;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            return failed("no-such-file", "No such file", "No such file: " + file);
        }
        byte[] pdf = Files.readAllBytes(file);
        boolean ofd = isOfd(file, pdf);
        JsonNode report;
        if (trust != null) {
            if (!Files.isDirectory(trust)) {
                return failed("no-such-file", "No trust folder", "No trust folder: " + trust);
            }
            try {
                // the verifier's limits, from the same settings (YINXIN_VERIFY_MAX_*): the same answer offline
                var roots = Pem.readFolder(trust);
                List<X509Certificate> makers = sealMakers();
                if (makers == null) {
                    return 2;
                }
                report = Json.read(Json.pretty(ReportMaps.toMap(offline(roots, makers, pdf, ofd))));
            } catch (RejectedException e) {
                if (json) {
                    var problem = Json.MAPPER.createObjectNode();
                    problem.put("type", e.problem().type()).put("title", e.problem().title()).put("detail", e.getMessage());
                    System.out.println(Json.pretty(problem));
                }
                System.err.println("Not verifiable: " + e.getMessage());
                return 1;
            }
        } else {
            HttpResponse<String> response;
            try {
                response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                url.resolve(ofd ? "/api/v1/verify/ofd" : "/api/v1/verify/pdf"))
                        .header("Content-Type", ofd ? "application/ofd" : "application/pdf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(pdf)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                return failed("unreachable", "The verifier does not answer", "The verifier does not answer at " + url
                        + " (start it with ./yinxin up, or verify offline with --trust DIR).");
            }
            if (response.statusCode() != 200) {
                if (json) {
                    System.out.println(Json.refusal(response.statusCode(), response.body()));
                }
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

    /** The report of an offline check against {@code roots} (and the named seal makers). */
    private static cn.yinxin.core.pdf.verify.report.VerificationReport offline(List<X509Certificate> roots,
            List<X509Certificate> makers, byte[] file, boolean ofd) {
        return ofd
                // offline: no revocation source, so a seal whose chain names OCSP or a CRL is INDETERMINATE
                ? new OfdVerifier(roots, List.of(), null).withKnownSealMakers(makers).verify(file)
                : new PdfVerifier(roots).withKnownSealMakers(makers)
                .withLimits(VerificationLimits.fromEnvironment())
                .withRevocationFreshness(RevocationFreshness.fromSettings(System::getenv))
                .verify(file);
    }

    /** An OFD by its name, or by the local-file-header magic of a ZIP package (a PDF starts "%PDF"). */
    static boolean isOfd(Path file, byte[] content) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".ofd")
                || content.length >= 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4;
    }

    /** No report: said on standard error, and with --json as a problem document on standard output. Exit 2. */
    private int failed(String slug, String title, String why) {
        System.err.println(why);
        if (json) {
            System.out.println(Json.cliProblem(slug, title, why));
        }
        return 2;
    }
}
