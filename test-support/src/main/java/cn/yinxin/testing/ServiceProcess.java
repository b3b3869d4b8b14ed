package cn.yinxin.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of our Spring services started from its built jar in a process of its own (for tests of the services that
 * call it, or that must survive its death): a free port, the given environment, its log in a temporary file, and
 * a wait until /actuator/health says UP. Stopped when closed or when the test JVM exits.
 */
public class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;
    /** The system property that sets every service process's -Xmx (see {@link #heap}). */
    public static final String HEAP_PROPERTY = "yinxin.test.service-heap";

    private final Path log;

    protected ServiceProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code <module>/target/<module>.jar} of this checkout with {@code env}, healthy within 120 s. */
    public static ServiceProcess start(String module, Map<String, String> env) {
        return start(module, Commands.freePort(), env);
    }

    public static ServiceProcess start(String module, int port, Map<String, String> env) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return start(module, List.of(java, "-Xmx" + heap("384m"), "-jar", jar(module).toString()), port, env);
    }

    /**
     * The heap a service process gets: {@code forTests} (less than the product's 512m, so that the processes of
     * parallel test classes fit), or the system property {@value #HEAP_PROPERTY} when set: the benchmarks measure
     * the services with the heap the launcher gives them ({@code YINXIN_SERVICE_HEAP}, 512m).
     */
    public static String heap(String forTests) {
        return System.getProperty(HEAP_PROPERTY, forTests);
    }

    /**
     * Starts {@code command} (a java command line without the port; {@code --server.port} is added) with
     * {@code env}, healthy within 120 s; {@code name} names it in failure messages.
     */
    public static ServiceProcess start(String name, List<String> command, int port, Map<String, String> env) {
        try {
            Path log = Files.createTempFile(name, ".log");
            List<String> line = new java.util.ArrayList<>(command);
            line.add("--server.port=" + port);
            ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            ServiceProcess service = new ServiceProcess(name, builder.start(), port, log);
            Runtime.getRuntime().addShutdownHook(new Thread(service::close));
            service.awaitHealthy(Duration.ofSeconds(120));
            return service;
        } catch (IOException e) {
            throw new IllegalStateException(name + " could not be started", e);
        }
    }

    /** How a process that was expected not to start ended: its exit code and its log. */
    public record Refusal(int exitCode, String log) {
    }

    /**
     * Runs {@code command} with {@code env} (and without an inherited {@code YINXIN_SECURITY_MODE}) until it exits
     * by itself, within 120 s: for tests of settings a service must refuse to start with.
     */
    public static Refusal refusedStart(String name, List<String> command, Map<String, String> env) {
        try {
            Path log = Files.createTempFile(name, ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().remove("YINXIN_SECURITY_MODE");
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " kept running for 120 s; it was expected to refuse to start:\n"
                        + Files.readString(log));
            }
            return new Refusal(process.exitValue(), Files.readString(log));
        } catch (IOException e) {
            throw new IllegalStateException(name + " could not be run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
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

    /** Kills the process at once (kill -9, no shutdown hook, no transaction finished), as a crash does. */
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

    private void awaitHealthy(Duration limit) {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " stopped while starting:\n" + tail());
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
        throw new IllegalStateException(name + " was not healthy within " + limit.toSeconds() + " s:\n" + tail());
    }

    /** The whole log of the process so far (tests of what it logs, e.g. request ids, and what it must not). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The end of the process's log, for failure messages. */
    public String tail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** {@code <module>/target/<module>.jar} of this checkout, built before the modules that test against it. */
    static Path jar(String module) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve(module + "/target/" + module + ".jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException(module + "/target/" + module + ".jar is not built: run the reactor build "
                + "(mvn -B verify) or mvn -pl " + module + " -am package first");
    }
}
