package cn.yinxin.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark still runs end to end (both sealers' output verifies) and prints its table; no timing is asserted. */
@cn.yinxin.testing.Slow("timed benchmark rounds against EU DSS")
class SealBenchmarkTest {

    @Test
    void runsAShortRoundAndPrintsBothRatesAndTheRatio() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            SealBenchmark.main(new String[] {"--rounds", "1", "--seconds", "0.2"});
        } finally {
            System.setOut(original);
        }
        String output = captured.toString();
        assertThat(output).contains("| level | document | threads | Yinxin docs/s | EU DSS 6.3 docs/s | ratio |")
                .containsPattern("\\| B-B \\| 1 page \\(\\d+ bytes\\) \\| 1 \\| \\d+\\.\\d \\| \\d+\\.\\d \\| \\d+\\.\\d \\|")
                .containsPattern("\\| B-T \\| 1 page \\(\\d+ bytes\\) \\| 2 \\| \\d+\\.\\d \\| \\d+\\.\\d \\| \\d+\\.\\d \\|")
                .containsPattern("\\| B-B \\| 100 pages \\(\\d+ bytes\\) \\| 1 \\|");
    }
}
