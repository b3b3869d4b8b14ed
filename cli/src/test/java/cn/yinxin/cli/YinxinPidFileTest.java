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
