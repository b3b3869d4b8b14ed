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
 * The real ca-service, started from its built jar in a process of its own, for tests of the services that call
 * it. Its database lives in the test JVM's embedded PostgreSQL; its key store is a fresh development PKI whose
 * certificates point at this process for CRLs and OCSP.
 */
public final class CaServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path keystores;
    private final Path log;

    private CaServiceProcess(Process process, int port, Path keystores, Path log) {
        this.process = process;
        this.port = port;
        this.keystores = keystores;
        this.log = log;
    }

    /** Starts it and waits until it is healthy (at most 120 s). */
    public static CaServiceProcess start(String database) {
        Path jar = jar();
        int port = Commands.freePort();
        String url = "http://localhost:" + port;
        Path keystores = SampleKeystores.fresh(url, url + "/ocsp");
        try {
            Path log = Files.createTempFile("ca-service", ".log");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-jar", jar.toString(), "--server.port=" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            var env = builder.environment();
            env.put("YINXIN_CA_DB_URL", TestDatabase.jdbcUrl(database));
            env.put("YINXIN_CA_PUBLIC_URL", url);
            env.put("YINXIN_CA_OCSP_PORT", "0");
            env.put("YINXIN_CA_OCSP_URL", url + "/ocsp");
            env.put("YINXIN_CA_KEYSTORE", keystores.resolve("ca/ca.p12").toString());
            env.put("YINXIN_CA_KEYSTORE_PASSWORD", SamplePki.PASSWORD);
            env.put("YINXIN_CA_IMPORT_DIR", keystores.resolve("ca/issued").toString());
            env.put("YINXIN_SEAL_KEYSTORE", keystores.resolve("ca-seal-keys.p12").toString());
            env.put("YINXIN_SEAL_KEYSTORE_PASSWORD", SamplePki.PASSWORD);
            CaServiceProcess ca = new CaServiceProcess(builder.start(), port, keystores, log);
            Runtime.getRuntime().addShutdownHook(new Thread(ca::close));
            ca.awaitHealthy(Duration.ofSeconds(120));
            return ca;
        } catch (IOException e) {
            throw new IllegalStateException("ca-service could not be started", e);
        }
    }

    public String url() {
        return "http://localhost:" + port;
    }

    /** The development PKI it runs on (trust/ holds its root). */
    public Path keystores() {
        return keystores;
    }

    /** Stops the process, as an outage does. */
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
                throw new IllegalStateException("ca-service stopped while starting:\n" + tail());
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
        throw new IllegalStateException("ca-service was not healthy within " + limit.toSeconds() + " s:\n" + tail());
    }

    private String tail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** ca-service/target/ca-service.jar of this checkout, built before the modules that test against it. */
    private static Path jar() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve("ca-service/target/ca-service.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("ca-service/target/ca-service.jar is not built: run the reactor build "
                + "(mvn -B verify) or mvn -pl ca-service -am package first");
    }
}
