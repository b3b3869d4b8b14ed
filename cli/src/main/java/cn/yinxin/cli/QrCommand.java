package cn.yinxin.cli;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.core.qr.QrImages;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.qr.QrVerifier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.security.GeneralSecurityException;
import java.time.ZoneId;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.Callable;

/** {@code yinxin qr verify}: checks a licence's signed QR code. */
@Command(name = "qr", description = "Signed QR codes.", subcommands = QrCommand.Verify.class)
final class QrCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("Say what to do: verify (yinxin qr --help).");
        return 2;
    }

    /**
     * Reads the code (the text, or a picture) and asks the verifier (POST /api/v1/verify/qr or /verify/qr-image),
     * which checks the signature against its trust anchors, the seal's revocation and the licence's status list, as
     * {@code yinxin verify} asks it about a PDF. With {@code --trust DIR} it checks offline instead: the signature
     * against the seal certificates in DIR (QrVerifier, the picture decoded here with ZXing), and the licence's live
     * status at the licence service unless {@code --offline}. Exit code 0 valid, 1 invalid, revoked, suspended or
     * ended, 2 cannot tell.
     */
    @Command(name = "verify", description = "Verify a signed QR code (a licence's or a document's): asks the verifier, "
            + "or with --trust DIR checks the signature offline against the seal certificates in DIR and the live "
            + "status at the licence service. Exit code 0 valid, 1 invalid or revoked, 2 cannot tell.")
    static final class Verify implements Callable<Integer> {

        static final class Input {
            @Option(names = "--text", paramLabel = "PAYLOAD", description = "the code's text (YX1:...)")
            String text;
            @Option(names = "--image", paramLabel = "FILE", description = "a picture of the code (PNG, JPEG)")
            Path image;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Input input;
        @Option(names = "--trust", paramLabel = "DIR",
                description = "verify offline: the certificates (PEM or DER) of the seals that may have signed")
        Path trust;
        @Option(names = "--url", description = "verifier (default: ${DEFAULT-VALUE})",
                defaultValue = "${env:YINXIN_VERIFIER_URL:-http://localhost:8080}")
        URI url;
        @Option(names = "--licence-url", description = "with --trust: licence service for the live status "
                + "(default: ${DEFAULT-VALUE})", defaultValue = LicenceCommand.DEFAULT_URL)
        URI licenceUrl;
        @Option(names = "--offline", description = "with --trust: do not ask for the live status (signature and "
                + "dates only)")
        boolean offline;
        @Option(names = "--json", description = "print the verdict as JSON (the verifier's QrVerdict; offline the "
                + "same fields the check has: verdict, problem, summary, reasons, kind, claims, signer, status)")
        boolean json;

        PrintStream out = System.out;
        PrintStream err = System.err;
        Clock clock = Clock.systemUTC();
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        @Override
        public Integer call() throws Exception {
            if (trust == null) {
                if (offline) {
                    err.println("--offline checks against the seal certificates of --trust DIR; without --trust the "
                            + "verifier is asked.");
                    return 2;
                }
                return askTheVerifier();
            }
            String text = input.text;
            if (input.image != null) {
                try {
                    text = decode(input.image);
                } catch (IOException | RejectedException e) {
                    return cannotRead("No QR code could be read in " + input.image + ": " + e.getMessage());
                }
            }
            if (!Files.isDirectory(trust)) {
                return cannotRead("No trust folder: " + trust);
            }
            return new Offline().check(text.strip());
        }

        private int cannotRead(String why) {
            err.println(why);
            if (json) {
                out.println(Json.cliProblem("unreadable", "Nothing to verify", why));
            }
            return 2;
        }

        /** The verifier's verdict: 0 VALID, 1 INVALID, 2 INDETERMINATE or no verdict. */
        private int askTheVerifier() throws InterruptedException {
            HttpRequest.Builder request;
            if (input.image != null) {
                byte[] picture;
                try {
                    picture = Files.readAllBytes(input.image);
                } catch (IOException e) {
                    return cannotRead("No such picture: " + input.image);
                }
                String type = pictureType(picture);
                if (type == null) {
                    return cannotRead(input.image + " is not a PNG or JPEG picture.");
                }
                request = HttpRequest.newBuilder(url.resolve("/api/v1/verify/qr-image")).header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(picture));
            } else {
                request = HttpRequest.newBuilder(url.resolve("/api/v1/verify/qr"))
                        .header("Content-Type", "text/plain; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(input.text.strip(), StandardCharsets.UTF_8));
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                String why = "The verifier does not answer at " + url
                        + " (start it with ./yinxin up, or verify offline with --trust DIR).";
                err.println(why);
                if (json) {
                    out.println(Json.cliProblem("unreachable", "The verifier does not answer", why));
                }
                return 2;
            }
            if (response.statusCode() != 200) {
                if (json) {
                    out.println(Json.refusal(response.statusCode(), response.body()));
                }
                err.println("Not verifiable: " + Json.problem(response.body()));
                // no code in the picture: there is nothing to give a verdict about, as offline
                return response.statusCode() >= 500 || response.body().contains("no-qr-code") ? 2 : 1;
            }
            JsonNode verdict = Json.read(response.body());
            out.println(json ? Json.pretty(verdict) : render(verdict));
            return exitCode(verdict.path("verdict").asString(""));
        }

        static int exitCode(String verdict) {
            return switch (verdict) {
                case "VALID" -> 0;
                case "INVALID" -> 1;
                default -> 2;
            };
        }

        static String pictureType(byte[] picture) {
            if (picture.length > 8 && (picture[0] & 0xff) == 0x89 && picture[1] == 'P' && picture[2] == 'N' && picture[3] == 'G') {
                return "image/png";
            }
            if (picture.length > 3 && (picture[0] & 0xff) == 0xff && (picture[1] & 0xff) == 0xd8) {
                return "image/jpeg";
            }
            return null;
        }

        /** The verifier's QR verdict as a clerk reads it in a terminal. */
        static String render(JsonNode verdict) {
            StringBuilder text = new StringBuilder();
            // every text is the verifier's answer about a code anyone may have made: no terminal controls pass
            text.append(HumanReport.shown(verdict.path("verdict").asString())).append("  ")
                    .append(HumanReport.shown(verdict.path("summary").asString())).append('\n');
            JsonNode claims = verdict.path("claims");
            if (claims.has("identifier")) {
                text.append("Licence:   ").append(HumanReport.shown(claims.path("identifier").asString())).append('\n');
                text.append("Holder:    ").append(HumanReport.shown(claims.path("holderName").asString())).append(" (")
                        .append(HumanReport.shown(claims.path("maskedHolderNumber").asString())).append(")\n");
                text.append("Valid:     ").append(HumanReport.shown(claims.path("validFrom").asString())).append(" .. ")
                        .append(claims.path("validUntil").isNull() ? "no end" : claims.path("validUntil").asString()).append('\n');
            } else if (claims.has("documentId")) {
                text.append("Document:  ").append(HumanReport.shown(claims.path("documentId").asString())).append("  ")
                        .append(HumanReport.shown(claims.path("verificationUrl").asString())).append('\n');
            }
            if (verdict.path("signer").isObject()) {
                text.append("Signer:    ").append(HumanReport.shown(verdict.path("signer").path("subject").asString())).append('\n');
            }
            for (JsonNode reason : verdict.path("reasons")) {
                text.append("  - ").append(HumanReport.shown(reason.asString())).append('\n');
            }
            if (!verdict.path("problem").isNull() && verdict.has("problem")) {
                text.append("  (").append(HumanReport.shown(verdict.path("problem").asString())).append(")\n");
            }
            return text.toString().stripTrailing();
        }

        /** The offline check (--trust): what it found, said line by line, or as one JSON object at the end. */
        private final class Offline {
            private final ObjectNode answer = Json.MAPPER.createObjectNode();
            private final ArrayNode reasons = Json.MAPPER.createArrayNode();

            private void say(String line) {
                if (!json) {
                    out.println(line);
                }
            }

            private int verdict(String verdict, String problem, String summary, String line) {
                say(line);
                if (!"VALID".equals(verdict)) {
                    reasons.add(summary);
                }
                answer.put("verdict", verdict);
                answer.put("problem", problem);
                answer.put("summary", summary);
                answer.set("reasons", reasons);
                answer.put("checkedBy", "offline");
                if (json) {
                    out.println(Json.pretty(answer));
                }
                return exitCode(verdict);
            }

            int check(String text) throws InterruptedException {
                answer.put("verdict", "");
                answer.put("kind", "licence");
                LicenceQr licence;
                try {
                    var verified = new QrVerifier(Pem.readFolder(trust), clock).verify(text);
                    licence = LicenceQr.from(verified.claims());
                    String signer = cn.yinxin.core.pki.ReadableNames.of(verified.signer().getSubjectX500Principal());
                    say("Signature: valid (signed by " + signer + ")");
                    answer.putObject("signer").put("subject", signer);
                } catch (RejectedException e) {
                    answer.putNull("claims");
                    answer.putNull("signer");
                    return verdict("INVALID", e.problem().type(), e.getMessage(),
                            "INVALID: " + e.getMessage() + " (" + e.problem().type() + ")");
                } catch (IOException | GeneralSecurityException e) {
                    return cannotRead("The trust folder " + trust + " cannot be read: " + e.getMessage());
                }
                showClaims(licence);
                LocalDate today = LocalDate.now(clock.withZone(ZoneId.of("Asia/Shanghai")));
                if (licence.validUntil() != null && licence.validUntil().isBefore(today)) {
                    return verdict("INVALID", "urn:yinxin:problem:qr-expired", "the licence's validity ended on "
                            + licence.validUntil(), "INVALID: the licence's validity ended on " + licence.validUntil());
                }
                // issued ahead of its start (any validFrom may be signed): genuine, but not in force before it
                if (licence.validFrom().isAfter(today)) {
                    return verdict("INDETERMINATE", "urn:yinxin:problem:qr-not-yet-valid", "the licence is valid from "
                            + licence.validFrom() + ", not yet", "CANNOT TELL: the licence is valid from "
                            + licence.validFrom() + ", not yet");
                }
                if (offline) {
                    say("Status:    not asked (--offline)");
                    answer.putNull("status");
                    return verdict("VALID", null, "signature and dates valid; live status not checked",
                            "VALID (signature and dates; live status not checked)");
                }
                return liveStatus(licence);
            }

            private void showClaims(LicenceQr licence) {
                ObjectNode claims = answer.putObject("claims");
                claims.put("identifier", licence.identifier()).put("typeCode", licence.typeCode())
                        .put("holderName", licence.holderName()).put("maskedHolderNumber", licence.maskedHolderNumber())
                        .put("validFrom", licence.validFrom().toString())
                        .put("validUntil", licence.validUntil() == null ? null : licence.validUntil().toString());
                say("Licence:   " + HumanReport.shown(licence.identifier()));
                say("Holder:    " + HumanReport.shown(licence.holderName()) + " ("
                        + HumanReport.shown(licence.maskedHolderNumber()) + ")");
                say("Valid:     " + licence.validFrom() + " .. " + (licence.validUntil() == null ? "no end" : licence.validUntil()));
            }

            /** The licence service's live status of a licence whose code verified: the verdict then follows it. */
            private int liveStatus(LicenceQr licence) throws InterruptedException {
                HttpResponse<String> response;
                try {
                    response = http.send(HttpRequest.newBuilder(
                                    licenceUrl.resolve("/api/v1/licences/" + licence.identifier() + "/status"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    say("Status:    unknown: the licence service does not answer at " + licenceUrl);
                    answer.putNull("status");
                    return verdict("INDETERMINATE", "urn:yinxin:problem:licence-status-unchecked",
                            "the signature is valid; whether the licence was revoked is not known (the licence service "
                                    + "does not answer at " + licenceUrl + ")",
                            "CANNOT TELL (the signature is valid; whether the licence was revoked is not known)");
                }
                if (response.statusCode() == 404) {
                    answer.putNull("status");
                    return verdict("INVALID", "urn:yinxin:problem:unknown-licence", "the licence service does not know "
                            + licence.identifier(), "INVALID: the licence service does not know " + licence.identifier());
                }
                if (response.statusCode() != 200) {
                    say("Status:    unknown: " + Json.problem(response.body()));
                    answer.putNull("status");
                    return verdict("INDETERMINATE", "urn:yinxin:problem:licence-status-unchecked",
                            "the live status is not known: " + Json.problem(response.body()), "CANNOT TELL");
                }
                JsonNode status = Json.read(response.body());
                String value = status.path("status").asString("");
                say("Status:    " + value + " since " + status.path("since").asString("?")
                        + (status.hasNonNull("supersededBy") ? " (replaced by " + status.get("supersededBy").asString() + ")" : ""));
                answer.set("status", status);
                if ("VALID".equals(value)) {
                    return verdict("VALID", null, "signature, dates and live status valid", "VALID");
                }
                return switch (value) {
                    // the issuer's word that it is not in force yet is no withdrawal: a clerk would turn the holder away
                    case "NOT_YET_VALID" -> verdict("INDETERMINATE", "urn:yinxin:problem:qr-not-yet-valid",
                            "the licence is not in force yet (valid from " + licence.validFrom() + ")",
                            "CANNOT TELL: the licence is not in force yet (valid from " + licence.validFrom() + ")");
                    case "SUSPENDED" -> verdict("INVALID", "urn:yinxin:problem:licence-suspended",
                            "the licence is SUSPENDED", "INVALID: the licence is SUSPENDED");
                    case "REVOKED", "CANCELLED", "EXPIRED", "SUPERSEDED" -> verdict("INVALID",
                            "urn:yinxin:problem:licence-withdrawn", "the licence is " + value,
                            "INVALID: the licence is " + value);
                    // a status this CLI does not know names no reason a clerk could act on
                    default -> verdict("INDETERMINATE", "urn:yinxin:problem:licence-status-unchecked",
                            "the licence service answered a status this CLI does not know: " + value,
                            "CANNOT TELL: the licence service answered a status this CLI does not know: " + value);
                };
            }
        }

        /** Pictures larger than this many pixels are refused before any pixel is decoded (as the verifier's default). */
        static final long MAX_IMAGE_PIXELS = 40_000_000;

        /**
         * The code's text, read by core's {@link QrImages} as the verifier's photo route reads it (turned, scaled,
         * both thresholds), so a picture the verifier reads is read here too.
         *
         * @throws RejectedException no code found, not a PNG or JPEG, too large or undecodable
         */
        static String decode(Path image) throws IOException {
            return new QrImages(MAX_IMAGE_PIXELS, QrSigner.DEFAULT_PREFIX).read(Files.readAllBytes(image)).text();
        }
    }
}
