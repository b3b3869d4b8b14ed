package cn.yinxin.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * What {@link StampBenchmark} reads of a seal service process from outside while wrk loads it: the stamp records
 * and audit entries once they settle, the process's CPU time and its threads' by kind (/proc), the embedded
 * PostgreSQL's CPU time, and jcmd for a JFR recording.
 */
final class ServiceProbes {

    private ServiceProbes() {
    }

    /** The stamp records and "stamp" audit entries, once two looks 300 ms apart agree. */
    static long[] settled(DataSource database) throws Exception {
        String both = "SELECT (SELECT count(*) FROM stamp_record), "
                + "(SELECT count(*) FROM audit_event WHERE action = 'stamp')";
        long[] last = null;
        while (true) {
            try (var c = database.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(both)) {
                rs.next();
                long[] now = {rs.getLong(1), rs.getLong(2)};
                if (last != null && Arrays.equals(last, now)) {
                    return now;
                }
                last = now;
            }
            Thread.sleep(300);
        }
    }

    static void jcmd(String pid, String... command) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> line = new ArrayList<>(List.of(Path.of(java).resolveSibling("jcmd").toString(), pid));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed:\n" + output);
        }
    }

    /** The CPU time (user and system) of another process, from /proc. */
    static long pidCpuNanos(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L; // USER_HZ is 100
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e.getMessage(), e);
        }
    }

    /**
     * The CPU time of another process's threads from /proc, summed by kind (request threads, JIT compiler, GC,
     * the rest of the process): a service still compiling or collecting is told apart from one that works slowly.
     */
    static Map<String, Long> threadCpuNanos(String pid) {
        Map<String, Long> kinds = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long nanos = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
                    String kind = name.startsWith("http-nio") ? "requests" : name.contains("Compiler") ? "JIT"
                            : name.startsWith("G1") || name.startsWith("GC") ? "GC" : "other";
                    kinds.merge(kind, nanos, Long::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // "other" from the process's total, which keeps the time of threads that ended (a pool's idle threads end,
        // and their CPU would leave the sum: other went negative between two readings)
        long named = kinds.getOrDefault("requests", 0L) + kinds.getOrDefault("JIT", 0L) + kinds.getOrDefault("GC", 0L);
        kinds.put("other", Math.max(0, pidCpuNanos(pid) - named));
        return kinds;
    }

    /** The CPU time of the embedded PostgreSQL on {@code port}: its postmaster and every process it started. */
    static long postgresCpuNanos(int port) {
        String postmaster = null;
        Map<String, String> parents = new HashMap<>();
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(process.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    parents.put(process.getFileName().toString(), fields[1]);
                    String command = Files.readString(process.resolve("cmdline")).replace('\0', ' ');
                    if (command.contains("postgres") && command.contains("-p " + port + " ")) {
                        postmaster = process.getFileName().toString();
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (postmaster == null) {
            return 0;
        }
        long nanos = 0;
        for (var entry : parents.entrySet()) {
            if (entry.getKey().equals(postmaster) || entry.getValue().equals(postmaster)) {
                try {
                    nanos += pidCpuNanos(entry.getKey());
                } catch (IllegalStateException e) {
                    // gone meanwhile
                }
            }
        }
        return nanos;
    }
}
