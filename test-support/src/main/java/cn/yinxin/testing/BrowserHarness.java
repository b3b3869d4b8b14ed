package cn.yinxin.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the browser tests share: Debian's chromium, headless, driven by playwright-core (npm), which is installed
 * once with {@code npm ci} from this module's lock file ({@code cn/yinxin/testing/browser/package-lock.json}) into a
 * cache folder outside the repository ({@code ~/.cache/yinxin/browser-test}, or {@code YINXIN_BROWSER_CACHE}).
 * A test writes its page script in its own module and runs it with {@link #node}.
 *
 * <p>Nothing is skipped: without chromium, node or npm the test fails and says what to install.
 */
public final class BrowserHarness {

    private static final String RESOURCES = "/cn/yinxin/testing/browser/";

    private BrowserHarness() {
    }

    /** Debian's chromium (or YINXIN_CHROMIUM). */
    public static Path chromium() {
        String configured = System.getenv("YINXIN_CHROMIUM");
        Path chromium = Path.of(configured != null ? configured : "/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            throw new AssertionError("The browser test needs Chromium at " + chromium + ": apt-get install -y chromium "
                    + "(.ci/run installs it), or set YINXIN_CHROMIUM to a Chromium executable.");
        }
        return chromium;
    }

    /** The folder holding node_modules/playwright-core, installed on first use. */
    public static Path playwrightCore() throws IOException {
        for (String tool : new String[] {"node", "npm"}) {
            try {
                run(List.of(tool, "--version"), Path.of("."), 60);
            } catch (AssertionError | IOException e) {
                throw new AssertionError("The browser test needs " + tool + " (Node.js 18 or later): apt-get install -y "
                        + "nodejs npm (.ci/run installs them). " + e.getMessage());
            }
        }
        byte[] lock = resource("package-lock.json");
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lock)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String configured = System.getenv("YINXIN_BROWSER_CACHE");
        Path base = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "yinxin", "browser-test");
        Path dir = base.resolve("playwright-" + hash);
        if (!Files.isRegularFile(dir.resolve("node_modules/playwright-core/package.json"))) {
            Files.createDirectories(dir);
            try (InputStream in = new java.io.ByteArrayInputStream(resource("package.json"))) {
                Files.copy(in, dir.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.write(dir.resolve("package-lock.json"), lock);
            run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), dir, 300);
        }
        return dir;
    }

    /**
     * The folder holding the node_modules of {@code packageFolder}'s package.json and package-lock.json (a test's own
     * npm packages, e.g. an outside judge's browser build), installed once with {@code npm ci} into the cache folder
     * beside playwright-core's, under {@code name} and the lock file's hash.
     */
    public static Path npmPackages(String name, Path packageFolder) throws IOException {
        byte[] lock = Files.readAllBytes(packageFolder.resolve("package-lock.json"));
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lock)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String configured = System.getenv("YINXIN_BROWSER_CACHE");
        Path base = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "yinxin", "browser-test");
        Path dir = base.resolve(name + "-" + hash);
        if (!Files.isRegularFile(dir.resolve(".installed"))) {
            Files.createDirectories(dir);
            Files.copy(packageFolder.resolve("package.json"), dir.resolve("package.json"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.write(dir.resolve("package-lock.json"), lock);
            run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), dir, 300);
            Files.writeString(dir.resolve(".installed"), hash); // a half-finished install is redone
        }
        return dir;
    }

    /** Runs a page script with node ({@code node script caseFile}); its standard output (JSON by convention). */
    public static String node(Path script, Path caseFile, int seconds) throws IOException {
        return run(List.of("node", script.toAbsolutePath().toString(), caseFile.toString()), playwrightCore(), seconds);
    }

    /** Runs a command and returns its standard output; a failure or a time-out is an AssertionError with the output. */
    public static String run(List<String> command, Path directory, int seconds) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Path errors = Files.createTempFile("browser-test", ".log");
        builder.redirectError(errors.toFile());
        Process process = builder.start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        String stderr = Files.readString(errors);
        Files.deleteIfExists(errors);
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output + stderr);
        }
        return output.trim();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = BrowserHarness.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("test-support lacks " + RESOURCES + name);
            }
            return in.readAllBytes();
        }
    }
}
