package cn.yinxin.cli;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.core.qr.QrVerifier;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
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
     * Reads the code (the text, or an image decoded here with ZXing), checks its signature against the seal
     * certificates of {@code --trust} (QrVerifier), and asks the licence service for the licence's live status.
     * Exit code 0 valid, 1 invalid, revoked, suspended or ended, 2 cannot tell.
     */
    @Command(name = "verify", description = "Verify a licence's signed QR code offline against the seal certificates "
            + "in --trust, and its live status at the licence service. Exit code 0 valid, 1 invalid or revoked, "
            + "2 cannot tell.")
    static final class Verify implements Callable<Integer> {

        static final class Input {
            @Option(names = "--text", paramLabel = "PAYLOAD", description = "the code's text (YX1:...)")
            String text;
            @Option(names = "--image", paramLabel = "FILE", description = "a picture of the code (PNG, JPEG)")
            Path image;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Input input;
        @Option(names = "--trust", required = true, paramLabel = "DIR",
                description = "the certificates (PEM or DER) of the seals that may have signed")
        Path trust;
        @Option(names = "--licence-url", description = "licence service for the live status (default: ${DEFAULT-VALUE})",
                defaultValue = LicenceCommand.DEFAULT_URL)
        URI licenceUrl;
        @Option(names = "--offline", description = "do not ask for the live status (signature and dates only)")
        boolean offline;

        PrintStream out = System.out;
        PrintStream err = System.err;
        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() throws Exception {
            String text = input.text;
            if (input.image != null) {
                try {
                    text = decode(input.image);
                } catch (IOException | NotFoundException e) {
                    err.println("No QR code could be read in " + input.image + ": " + e.getMessage());
                    return 2;
                }
            }
            if (!Files.isDirectory(trust)) {
                err.println("No trust folder: " + trust);
                return 2;
            }
            LicenceQr licence;
            try {
                var verified = new QrVerifier(Pem.readFolder(trust), clock).verify(text.strip());
                licence = LicenceQr.from(verified.claims());
                out.println("Signature: valid (signed by " + verified.signer().getSubjectX500Principal().getName() + ")");
            } catch (RejectedException e) {
                out.println("INVALID: " + e.getMessage() + " (" + e.problem().type() + ")");
                return 1;
            }
            out.println("Licence:   " + licence.identifier());
            out.println("Holder:    " + licence.holderName() + " (" + licence.maskedHolderNumber() + ")");
            out.println("Valid:     " + licence.validFrom() + " .. " + (licence.validUntil() == null ? "no end" : licence.validUntil()));
            LocalDate today = LocalDate.now(clock.withZone(java.time.ZoneId.of("Asia/Shanghai")));
            if (licence.validUntil() != null && licence.validUntil().isBefore(today)) {
                out.println("INVALID: the licence's validity ended on " + licence.validUntil());
                return 1;
            }
            if (offline) {
                out.println("Status:    not asked (--offline)");
                out.println("VALID (signature and dates; live status not checked)");
                return 0;
            }
            HttpResponse<String> response;
            try {
                response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(HttpRequest.newBuilder(
                                licenceUrl.resolve("/api/v1/licences/" + licence.identifier() + "/status"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                out.println("Status:    unknown: the licence service does not answer at " + licenceUrl);
                out.println("CANNOT TELL (the signature is valid; whether the licence was revoked is not known)");
                return 2;
            }
            if (response.statusCode() == 404) {
                out.println("INVALID: the licence service does not know " + licence.identifier());
                return 1;
            }
            if (response.statusCode() != 200) {
                out.println("Status:    unknown: " + Json.problem(response.body()));
                out.println("CANNOT TELL");
                return 2;
            }
            JsonNode status = Json.read(response.body());
            String value = status.path("status").asString("");
            out.println("Status:    " + value + " since " + status.path("since").asString("?")
                    + (status.hasNonNull("supersededBy") ? " (replaced by " + status.get("supersededBy").asString() + ")" : ""));
            if ("VALID".equals(value)) {
                out.println("VALID");
                return 0;
            }
            out.println("INVALID: the licence is " + value);
            return 1;
        }

        static String decode(Path image) throws IOException, NotFoundException {
            var picture = ImageIO.read(image.toFile());
            if (picture == null) {
                throw new IOException("not an image ImageIO reads");
            }
            try {
                return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(picture))),
                        Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
            } catch (com.google.zxing.ChecksumException | com.google.zxing.FormatException e) {
                throw new IOException("the QR code is damaged: " + e);
            }
        }
    }
}
