package cn.yinxin.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversion larger than one upload may be (issue 19's 1,000,000 rows): the rows go in files of at most the
 * licence service's own limit, all queued at once as an office converting its archive would queue them, and the
 * run is followed minute by minute (rows done, the last minute's rate, the whole run's, the time left, the free
 * disk), so that a run that slows as the registry grows shows where it began to. It stops, failing, when the disk
 * the embedded PostgreSQL writes to has less than {@code yinxin.bench.min-free-gb} (default 4) GB free: a full disk
 * would take the machine's other work down with it.
 */
final class LargeConversion {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private LargeConversion() {
    }

    static void run(String url, String type, String prefix, int rows, int perFile) throws Exception {
        List<String> jobs = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int from = 0; from < rows; from += perFile) {
            int size = Math.min(perFile, rows - from);
            jobs.add(LicenceBenchmark.upload(url, type, prefix, from, size));
            sizes.add(size);
        }
        long minFree = Long.getLong("yinxin.bench.min-free-gb", 4) << 30;
        Path disk = Path.of(System.getProperty("java.io.tmpdir"));
        long start = System.nanoTime();
        long lastTime = start;
        long lastDone = 0;
        System.out.printf("large conversion: %,d rows in %d files queued%n", rows, jobs.size());
        while (true) {
            Thread.sleep(MINUTE_NANOS / 1_000_000);
            long done = 0;
            int finished = 0;
            for (int j = 0; j < jobs.size(); j++) {
                String progress = LicenceBenchmark.progress(url, jobs.get(j));
                long jobDone = Long.parseLong(LicenceBenchmark.field(progress, "done"));
                done += jobDone;
                if (progress.contains("\"status\":\"FINISHED\"")) {
                    if (jobDone != sizes.get(j)) {
                        throw new IllegalStateException("import " + jobs.get(j) + " did not issue every row: " + progress);
                    }
                    finished++;
                }
            }
            long now = System.nanoTime();
            double overall = done / ((now - start) / 1e9);
            long free = Files.getFileStore(disk).getUsableSpace();
            System.out.printf("  %5.1f min: %,9d rows done, last minute %6.1f rows/s, overall %6.1f rows/s, %5.1f min "
                            + "left, %5.1f GB free%n", (now - start) / 6e10, done, (done - lastDone) / ((now - lastTime) / 1e9),
                    overall, overall > 0 ? (rows - done) / overall / 60 : Double.NaN, free / 1e9);
            if (finished == jobs.size()) {
                return;
            }
            if (free < minFree) {
                throw new IOException("stopped at " + done + " rows: less than " + (minFree >> 30) + " GB free on " + disk);
            }
            lastTime = now;
            lastDone = done;
        }
    }
}
