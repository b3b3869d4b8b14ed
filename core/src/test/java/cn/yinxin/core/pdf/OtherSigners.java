package cn.yinxin.core.pdf;

import cn.yinxin.core.pki.keys.SealKey;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Signers that are programs of their own, run at test time: poppler's {@code pdfsig -add-signature} / {@code -sign}
 * (its own incremental update and signature dictionary, the key in an NSS database made with libnss3-tools'
 * certutil and pk12util) and node-signpdf (@signpdf/placeholder-plain writes its incremental update by hand,
 * @signpdf/signer-p12 makes the CMS with node-forge; installed with {@code npm ci} from src/test/node/signpdf into
 * {@code ~/.cache/yinxin/foreign-producers}, never into the repository).
 */
final class OtherSigners {

    static final String NICK = "signer";
    private static final String PASSWORD = "foreign";
    private static final Path SIGNPDF = Path.of("src/test/node/signpdf");

    private OtherSigners() {
    }

    /** Whether {@code tool} is on the PATH. */
    static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** {@code key} with its chain in a PKCS#12 file (alias {@link #NICK}, password {@code foreign}). */
    static Path pkcs12(SealKey key) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(NICK, key.privateKey(), PASSWORD.toCharArray(), key.chain().toArray(new Certificate[0]));
        Path file = Files.createTempFile("foreign", ".p12");
        try (var out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    // ---- poppler -------------------------------------------------------------------------------------------------

    /** A new NSS database (no password) holding {@code key} under the nickname {@link #NICK}. */
    static Path nssDatabase(SealKey key) throws Exception {
        Path dir = Files.createTempDirectory("foreign-nss");
        Path p12 = pkcs12(key);
        try {
            run(List.of("certutil", "-N", "-d", "sql:" + dir, "--empty-password"), 60);
            run(List.of("pk12util", "-i", p12.toString(), "-d", "sql:" + dir, "-W", PASSWORD, "-K", ""), 60);
        } finally {
            Files.deleteIfExists(p12);
        }
        return dir;
    }

    /**
     * poppler's pdfsig signs {@code pdf} with the key of {@code nss}: {@code options} are "-add-signature" (a new
     * invisible field) or "-sign", field name, optionally "-etsi". pdfsig 22.12 reserves /Contents for the length of a
     * trial signature and fails (exit 3, "unable update signature", the file left with a digest mismatch) when the real
     * ECDSA signature comes out a byte or two longer, about every second time: the signing is tried until it succeeds,
     * as a user of pdfsig would retry.
     */
    static byte[] pdfsig(Path nss, byte[] pdf, String... options) throws Exception {
        Path in = Files.createTempFile("foreign", ".pdf");
        Path out = Files.createTempFile("foreign", ".pdf");
        try {
            Files.write(in, pdf);
            List<String> command = new ArrayList<>(List.of("pdfsig", "-nssdir", "sql:" + nss, "-nick", NICK,
                    "-reason", "Approved with pdfsig"));
            command.addAll(List.of(options));
            command.addAll(List.of(in.toString(), out.toString()));
            String said = "";
            for (int attempt = 0; attempt < 20; attempt++) {
                Files.deleteIfExists(out);
                Result result = start(command, 120);
                if (result.exit == 0) {
                    return Files.readAllBytes(out);
                }
                said = result.output;
            }
            throw new AssertionError(String.join(" ", command) + " failed 20 times:\n" + said);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    // ---- node-signpdf ----------------------------------------------------------------------------------------------

    /**
     * node-signpdf signs {@code pdf} (invisibly) with {@code key}. Its placeholder reads classic cross-reference tables
     * only ("Expected xref at NaN" on a cross-reference stream): give it {@link #classic} documents.
     */
    static byte[] nodeSignpdf(byte[] pdf, SealKey key) throws Exception {
        Path modules = signpdfModules();
        Path in = Files.createTempFile("foreign", ".pdf");
        Path out = Files.createTempFile("foreign", ".pdf");
        Path p12 = pkcs12(key);
        try {
            Files.write(in, pdf);
            Path script = modules.resolve("sign.mjs");
            Files.copy(SIGNPDF.resolve("sign.mjs"), script, StandardCopyOption.REPLACE_EXISTING);
            Result result = start(List.of("node", script.toString(), in.toString(), out.toString(), p12.toString(),
                    PASSWORD), 120);
            if (result.exit != 0) {
                throw new AssertionError("node-signpdf failed (" + result.exit + "):\n" + result.output);
            }
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(p12);
        }
    }

    /** {@code pdf} saved whole by PDFBox without object or cross-reference streams (nothing signed in it yet). */
    static byte[] classic(byte[] pdf) throws IOException {
        try (var document = Loader.loadPDF(pdf)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out, CompressParameters.NO_COMPRESSION);
            return out.toByteArray();
        }
    }

    /** The folder holding node_modules/@signpdf, installed once with npm ci from src/test/node/signpdf's lock file. */
    private static synchronized Path signpdfModules() throws Exception {
        byte[] lock = Files.readAllBytes(SIGNPDF.resolve("package-lock.json"));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lock)).substring(0, 12);
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "yinxin", "foreign-producers", "signpdf-" + hash);
        if (!Files.isRegularFile(dir.resolve(".installed"))) {
            Files.createDirectories(dir);
            Files.copy(SIGNPDF.resolve("package.json"), dir.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
            Files.write(dir.resolve("package-lock.json"), lock);
            Result result = start(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), 300, dir);
            if (result.exit != 0) {
                throw new AssertionError("npm ci of node-signpdf failed in " + dir + ":\n" + result.output);
            }
            Files.writeString(dir.resolve(".installed"), hash); // a half-finished install is redone
        }
        return dir;
    }

    // ---- processes -------------------------------------------------------------------------------------------------

    private record Result(int exit, String output) {
    }

    private static void run(List<String> command, int seconds) throws Exception {
        Result result = start(command, seconds);
        if (result.exit != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + result.exit + "):\n" + result.output);
        }
    }

    private static Result start(List<String> command, int seconds) throws Exception {
        return start(command, seconds, Path.of("."));
    }

    private static Result start(List<String> command, int seconds, Path directory) throws Exception {
        Path log = Files.createTempFile("foreign", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s");
            }
            return new Result(process.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
