package cn.yinxin.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ./yinxin trusts a pid file only while the process is ours: after a reboot or a crash its number may name another
 * process, which must be reported as stopped (so up starts the service again) and never killed by down. Fast: no
 * service is started, only {@code sleep} processes whose pids are written into the pid files on purpose.
 */
class YinxinPidFileTest {

    private static final Path ROOT = Path.of(System.getProperty("yinxin.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path home;
    private final List<Process> started = new ArrayList<>();

    record Result(int exit, String output) {
    }

    @BeforeEach
    void runFolder() throws IOException {
        Files.createDirectories(home.resolve("run"));
    }

    @AfterEach
    void stopOurSleeps() {
        started.forEach(Process::destroyForcibly);
    }

    /** A {@code sleep 300} whose command line is {@code argv0} followed by nothing else. */
    private Process sleep(String argv0) throws IOException {
        Process process = new ProcessBuilder("bash", "-c", "exec -a \"$0\" sleep 300", argv0).start();
        started.add(process);
        return process;
    }

    private Result yinxin(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("yinxin").toString(), command)
                .redirectErrorStream(true);
        builder.environment().put("YINXIN_HOME", home.toString());
        // ports nothing listens on, so no health check can pass by chance
        builder.environment().put("YINXIN_VERIFIER_PORT", "48080");
        builder.environment().put("YINXIN_SEAL_PORT", "48082");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private void pidFile(String service, long pid) throws IOException {
        Files.writeString(home.resolve("run/" + service + ".pid"), pid + "\n");
    }

    @Test
    void aPidReusedByAnotherProcessIsNeitherRunningNorKilled() throws Exception {
        Process stranger = sleep("sleep");
        pidFile("verifier", stranger.pid());
        pidFile("db", stranger.pid());

        Result status = yinxin("status");
        assertThat(status.output()).as(status.output()).containsPattern("verifier\\s+stopped")
                .containsPattern("db\\s+stopped").doesNotContain("NOT healthy");
        assertThat(status.exit()).as("nothing of ours runs").isEqualTo(1);

        Result down = yinxin("down");
        assertThat(down.exit()).as(down.output()).isZero();
        assertThat(down.output()).doesNotContain("stopped verifier").doesNotContain("stopped db");
        assertThat(stranger.isAlive()).as("the unrelated process survives ./yinxin down").isTrue();
        assertThat(home.resolve("run/verifier.pid")).as("the stale pid file is gone").doesNotExist();
    }

    @Test
    void ourOwnProcessIsRunningAndStoppedByDown() throws Exception {
        Process ours = sleep("java -jar " + ROOT.resolve("verifier/target/verifier.jar"));
        pidFile("verifier", ours.pid());

        Result status = yinxin("status");
        assertThat(status.output()).as(status.output()).containsPattern("verifier\\s+running, NOT healthy")
                .contains("pid " + ours.pid());
        assertThat(status.exit()).isZero();

        assertThat(yinxin("down").output()).contains("stopped verifier");
        assertThat(ours.waitFor(30, TimeUnit.SECONDS)).as("ours is stopped").isTrue();
    }

    /**
     * A command while Yinxin runs does not rebuild: a build rewrote the jars the running services load classes from,
     * and they failed at their next new class. A copy of the launcher in a folder of its own, every jar there and a
     * source newer than them (stale), its database process running (a sleep named as ./yinxin starts it).
     */
    @Test
    void aCommandWhileYinxinRunsDoesNotRebuildTheJarsUnderIt(@TempDir Path root) throws Exception {
        Files.copy(ROOT.resolve("yinxin"), root.resolve("yinxin"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        for (String jar : List.of("ca-service/target/ca-service.jar", "seal-service/target/seal-service.jar",
                "licence-service/target/licence-service.jar", "verifier/target/verifier.jar", "cli/target/yinxin-cli.jar",
                "keystores-sample/target/keystores-sample.jar")) {
            Files.createDirectories(root.resolve(jar).getParent());
            Files.writeString(root.resolve(jar), "not a jar");
            Files.setLastModifiedTime(root.resolve(jar), java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        }
        Files.createDirectories(root.resolve("core/src/main"));
        Files.writeString(root.resolve("core/src/main/Changed.java"), "class Changed {}");
        Process db = sleep("java -jar " + root.resolve("cli/target/yinxin-cli.jar") + " db");
        pidFile("db", db.pid());

        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("yinxin").toString(), "verify", "x.pdf")
                .redirectErrorStream(true);
        builder.environment().put("YINXIN_HOME", home.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as(output).contains("not rebuilding").doesNotContain("Building Yinxin");
        assertThat(Files.readString(root.resolve("seal-service/target/seal-service.jar"))).isEqualTo("not a jar");
    }

    @Test
    void aProcessNamingOurJarThatStartedAtAnotherTimeIsNotOurs() throws Exception {
        Process lookalike = sleep("java -jar " + ROOT.resolve("seal-service/target/seal-service.jar"));
        pidFile("seal-service", lookalike.pid());
        // the start time (in clock ticks since boot) that ./yinxin up wrote for the process it started
        Files.writeString(home.resolve("run/seal-service.pid.started"), "1\n");

        assertThat(yinxin("status").output()).containsPattern("seal-service\\s+stopped");
        yinxin("down");
        assertThat(lookalike.isAlive()).isTrue();
    }
}
