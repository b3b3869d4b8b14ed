package cn.yinxin.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real licence-service, started in a process of its own (from the classes of the running JVM's class path
 * when they are on it, as in the licence service's tests, else from its built jar): several of them share one
 * database to work bulk imports together, and a test may kill one ({@link #kill}, like kill -9).
 */
public final class LicenceServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private LicenceServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param database the test database (shared with the test's own licence service)
     * @param sealUrl  the seal service
     * @param settings more Spring settings (name -> value), e.g. yinxin.licence.import.workers
     */
    public static LicenceServiceProcess start(String database, String sealUrl, Map<String, String> settings) {
        int port = Commands.freePort();
        try {
            Path log = Files.createTempFile("licence-service", ".log");
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-Xmx320m"));
            if (onClassPath()) {
                // the licence service's own tests: its classes as compiled now (the jar is made after the tests)
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN));
            } else {
                command.addAll(List.of("-jar", jar().toString()));
            }
            command.add("--server.port=" + port);
            settings.forEach((name, value) -> command.add("--" + name + "=" + value));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            var env = builder.environment();
            env.put("YINXIN_LICENCE_DB_URL", TestDatabase.jdbcUrl(database));
            env.put("YINXIN_SEAL_URL", sealUrl);
            env.put("YINXIN_AUDIT_KEY_STORE", Files.createTempDirectory("licence-audit").resolve("licence-service.p12").toString());
            LicenceServiceProcess licence = new LicenceServiceProcess(builder.start(), port, log);
            Runtime.getRuntime().addShutdownHook(new Thread(licence::close));
            licence.awaitHealthy(Duration.ofSeconds(120));
            return licence;
        } catch (IOException e) {
            throw new IllegalStateException("licence-service could not be started", e);
        }
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the process at once (SIGKILL): no shutdown hooks, no transaction finished. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String tail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void awaitHealthy(Duration limit) {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("licence-service stopped while starting:\n" + tail());
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("UP")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("licence-service was not healthy within " + limit.toSeconds() + " s:\n" + tail());
    }

    private static final String MAIN = "cn.yinxin.licence.LicenceServiceApplication";

    private static boolean onClassPath() {
        try {
            Class.forName(MAIN, false, LicenceServiceProcess.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Path jar() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve("licence-service/target/licence-service.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("licence-service/target/licence-service.jar is not built: run the reactor "
                + "build (mvn -B verify) or mvn -pl licence-service -am package -DskipTests first");
    }
}
