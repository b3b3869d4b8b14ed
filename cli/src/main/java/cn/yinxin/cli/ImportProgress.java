package cn.yinxin.cli;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The progress line of a bulk import as the command line shows it: the bar, the rows finished of the total, the
 * rate since the command started watching, and the time left at that rate
 * ({@code [###-------]  10%  100/1000  (issued 98, failed 2)  21.5 rows/s, about 42 s left}). Times come from the
 * caller (its clock), so the rate is tested without waiting.
 */
final class ImportProgress {

    private Instant firstSeen;
    private int finishedThen;

    /** The line for {@code progress} (the service's job JSON: total, done, failed) seen at {@code now}. */
    String line(JsonNode progress, Instant now) {
        int total = Math.max(1, progress.get("total").asInt());
        int finished = progress.get("done").asInt() + progress.get("failed").asInt();
        if (firstSeen == null) {
            firstSeen = now;
            finishedThen = finished;
        }
        String line = LicenceCommand.Import.bar(progress);
        double seconds = Duration.between(firstSeen, now).toMillis() / 1000.0;
        int worked = finished - finishedThen;
        if (seconds < 1 || worked <= 0) {
            return line;
        }
        double rate = worked / seconds;
        line += String.format(Locale.ROOT, "  %.1f rows/s", rate);
        if (finished < total) {
            line += ", about " + left(Math.round((total - finished) / rate)) + " left";
        }
        return line;
    }

    /** 42 s, 3 min 5 s, 2 h 10 min. */
    static String left(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
