package cn.yinxin.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fresh SoftHSM2 tokens for tests, in a token folder of their own under the file SOFTHSM2_CONF names (each module's
 * surefire sets it). SoftHSM2 reads its token folder when a library is initialised, so make every token a test
 * needs before the first key store opens one.
 */
public final class SoftHsmTokens {

    /** Debian's SoftHSM2: no SM2 mechanism. */
    public static final Path PLAIN_LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    /** SoftHSM2 with SM3withSM2 (CKM_VENDOR_SM3_SM2), built by .ci/softhsm-sm2/build. */
    public static final Path SM2_LIBRARY = Path.of("/usr/local/lib/yinxin-softhsm-sm2/libsofthsm2.so");
    public static final String SO_PIN = "87654321";

    private SoftHsmTokens() {
    }

    /** Points SOFTHSM2_CONF's file at a new, empty token folder; fails with how to get the SM2 library when absent. */
    public static void newTokenFolder() throws IOException {
        if (!Files.exists(SM2_LIBRARY)) {
            throw new IllegalStateException("the SM2 token must be built: bash .ci/softhsm-sm2/build");
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set (the module's surefire configuration sets it)");
        }
        Path config = Path.of(conf);
        Path tokens = Files.createDirectories(config.getParent().resolve("tokens-" + System.nanoTime()));
        Files.writeString(config, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    }

    /** Initialises a token in the next free slot with softhsm2-util; its slot id. */
    public static long initToken(String label, String pin) throws IOException, InterruptedException {
        Process init = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", label,
                "--pin", pin, "--so-pin", SO_PIN).redirectErrorStream(true).start();
        String output = new String(init.getInputStream().readAllBytes());
        if (!init.waitFor(30, TimeUnit.SECONDS) || init.exitValue() != 0) {
            throw new IllegalStateException("softhsm2-util --init-token failed: " + output);
        }
        Matcher m = Pattern.compile("slot (\\d+)").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("softhsm2-util named no slot: " + output);
        }
        return Long.parseLong(m.group(1));
    }
}
