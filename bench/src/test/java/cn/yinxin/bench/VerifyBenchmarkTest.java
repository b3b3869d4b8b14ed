package cn.yinxin.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verification benchmark still runs end to end (Yinxin and EU DSS agree on TOTAL_PASSED before timing, every
 * timed validation passes) and prints its tables; no timing is asserted.
 */
@cn.yinxin.testing.Slow("timed benchmark rounds, in process and with wrk")
class VerifyBenchmarkTest {

    @Test
    void runsAShortRoundAndPrintsBothTables() throws Exception {
        String output = run("--rounds", "1", "--seconds", "0.3", "--warm-up-factor", "0", "--wrk-seconds", "1",
                "--wrk-script", Path.of("wrk/verify-qr.lua").toAbsolutePath().toString());
        assertThat(output).contains("B-LT offline: Yinxin VALID (PAdES-BASELINE-LT), EU DSS TOTAL_PASSED")
                .contains("B-B online: Yinxin VALID (PAdES-BASELINE-B), EU DSS TOTAL_PASSED")
                .containsPattern("\\| B-LT, offline \\(embedded OCSP\\) \\| \\d+ bytes \\| 2 \\| \\d+\\.\\d \\| \\d+\\.\\d \\|")
                .containsPattern("\\| B-B, online OCSP on loopback \\| \\d+ bytes \\| 1 \\| \\d+\\.\\d \\| \\d+\\.\\d \\|")
                .containsPattern("\\| in-process, 2 thread\\(s\\) \\| \\d+ \\| \\d+ \\|");
    }

    @Test
    void writesACodeForWrk() throws Exception {
        Path keystores = Files.createTempDirectory("yinxin-bench-keystores");
        cn.yinxin.keystores.SamplePki.create(keystores);
        Path code = keystores.resolve("code.txt");
        run("--write-qr-code", code.toString(), "--keystores", keystores.toString());
        assertThat(Files.readString(code)).startsWith("YX1:");
    }

    private static String run(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            VerifyBenchmark.main(args);
        } finally {
            System.setOut(original);
        }
        return captured.toString();
    }
}
