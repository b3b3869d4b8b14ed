package cn.yinxin.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The import's progress line: the rate since watching began and the time left at that rate. */
class ImportProgressTest {

    private static tools.jackson.databind.JsonNode job(int total, int done, int failed) {
        return Json.read("{\"total\":" + total + ",\"done\":" + done + ",\"failed\":" + failed + "}");
    }

    @Test
    void showsTheRateSinceWatchingBeganAndTheTimeLeftAtThatRate() {
        ImportProgress watch = new ImportProgress();
        Instant start = Instant.parse("2026-12-06T10:00:00Z");
        // rows finished before the command watched do not count towards the rate
        assertThat(watch.line(job(100_000, 5_000, 0), start)).endsWith("(issued 5000, failed 0)");
        String later = watch.line(job(100_000, 7_400, 100), start.plusSeconds(100));
        assertThat(later).contains("7500/100000").contains("25.0 rows/s").endsWith("about 1 h 1 min left");
        String done = watch.line(job(100_000, 99_900, 100), start.plusSeconds(3_800));
        assertThat(done).contains("100%").contains("25.0 rows/s").doesNotContain("left");
    }

    @Test
    void timeLeftIsWrittenInSecondsMinutesOrHours() {
        assertThat(ImportProgress.left(42)).isEqualTo("42 s");
        assertThat(ImportProgress.left(185)).isEqualTo("3 min 5 s");
        assertThat(ImportProgress.left(7_800)).isEqualTo("2 h 10 min");
    }
}
