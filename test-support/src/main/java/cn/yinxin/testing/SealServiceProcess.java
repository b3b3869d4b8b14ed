package cn.yinxin.testing;

import cn.yinxin.keystores.SamplePki;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real seal-service, started from its built jar in a process of its own, for tests of the services that call
 * it (the licence service). It imports the sample seal of {@code keystores} and time-stamps with {@code tsaUrl}.
 */
public final class SealServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private SealServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static SealServiceProcess start(String database, Path keystores, String tsaUrl) {
        Path jar = jar();
        int port = Commands.freePort();
        try {
            Path log = Files.createTempFile("seal-service", ".log");
            Path results = Files.createTempDirectory("seal-results");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-jar", jar.toString(), "--server.port=" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            var env = builder.environment();
            env.put("YINXIN_SEAL_DB_URL", TestDatabase.jdbcUrl(database));
            env.put("YINXIN_SEALS_DIR", keystores.resolve("seals").toString());
            env.put("YINXIN_SEALS_PASSWORD", SamplePki.PASSWORD);
            env.put("YINXIN_SEAL_SERVICE_KEYSTORE", keystores.resolve("seal-service/keys.p12").toString());
            env.put("YINXIN_TSA_URL", tsaUrl);
            env.put("YINXIN_STAMP_RESULTS_DIR", results.toString());
            SealServiceProcess seal = new SealServiceProcess(builder.start(), port, log);
            Runtime.getRuntime().addShutdownHook(new Thread(seal::close));
            seal.awaitHealthy(Duration.ofSeconds(120));
            return seal;
        } catch (IOException e) {
            throw new IllegalStateException("seal-service could not be started", e);
        }
    }

    public String url() {
        return "http://localhost:" + port;
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

    private void awaitHealthy(Duration limit) {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("seal-service stopped while starting:\n" + tail());
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
        throw new IllegalStateException("seal-service was not healthy within " + limit.toSeconds() + " s:\n" + tail());
    }

    private String tail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static Path jar() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve("seal-service/target/seal-service.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("seal-service/target/seal-service.jar is not built: run the reactor build "
                + "(mvn -B verify) or mvn -pl seal-service -am package first");
    }
}
