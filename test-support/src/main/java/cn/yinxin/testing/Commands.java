package cn.yinxin.testing;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs outside judges (openssl, pdfsig, ...) and returns what they said. */
public final class Commands {

    public record Result(int exit, String output) {
    }

    private Commands() {
    }

    public static Result run(Path directory, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish");
            }
            return new Result(process.exitValue(), output);
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs and insists on exit code 0. */
    public static String ok(Path directory, String... command) {
        Result result = run(directory, command);
        if (result.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + result.exit() + "):\n" + result.output());
        }
        return result.output();
    }

    /**
     * A port free now, for a service a test starts a little later, taken from 20000-27999: below the kernel's range
     * for outgoing connections (32768-60999 here), so that a connection opened meanwhile (a database pool filling
     * up) cannot take it, as one did in a CI run ("the OCSP responder cannot listen on port 36885: Address already
     * in use", a port ServerSocket(0) had handed out); and apart from the fixed ports of YinxinUpIT (18080-18083)
     * and the Keycloak tests (28xxx).
     */
    public static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20000 + random.nextInt(8000);
            try (var socket = new java.net.ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (java.io.IOException e) {
                // taken: try another
            }
        }
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
