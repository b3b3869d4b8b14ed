package cn.yinxin.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code yinxin db} on a port something else holds says so in one line and ends at once (it waited 120 s for a
 * listener that never answered, and the launcher could only say "did not become ready"); nothing is written.
 */
class DatabaseCommandTest {

    @RegisterExtension
    final Console console = new Console();

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)   // without the check it waits for good
    void aTakenPortEndsTheCommandAtOnceWithTheReason(@TempDir Path home) throws Exception {
        try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path data = home.resolve("pgdata");
            long start = System.nanoTime();
            int exit = new CommandLine(new Yinxin()).execute("db", "--data", data.toString(),
                    "--port", String.valueOf(holder.getLocalPort()));
            assertThat(exit).isEqualTo(1);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
            assertThat(console.err()).contains("yinxin db: port " + holder.getLocalPort() + " is taken (")
                    .contains("choose another with YINXIN_DB_PORT");
            assertThat(data).doesNotExist();
            assertThat(Files.list(home)).isEmpty();
        }
    }

    @Test
    void aFreePortIsNotTaken() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        assertThat(DatabaseCommand.taken(port)).isNull();
    }
}
