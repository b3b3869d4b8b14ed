package cn.yinxin.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a service's time goes, from a JFR recording (e.g. {@code StampBenchmark --jfr}): the share of execution
 * samples per method on top of the stack (self) and anywhere on it (inclusive, once per sample), for samples whose
 * stack holds {@code --filter} if given; and the exceptions thrown, by class, message and the first frames outside
 * the exception's constructors. Reads the file with {@code jdk.jfr.consumer} (the whole stack: {@code jfr print}
 * cuts stacks at 5 frames unless told {@code --stack-depth}, and its JSON of a minute of samples at depth 512
 * runs to gigabytes).
 *
 * <pre>java -cp bench/target/bench.jar cn.yinxin.bench.JfrHotMethods rec.jfr [--top 40] [--filter text] [--exclude text] [--children method]
 *     [--callers method]</pre>
 */
public final class JfrHotMethods {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int top = Integer.parseInt(Runs.option(args, "--top", "40"));
        String filter = Runs.option(args, "--filter", null);
        String exclude = Runs.option(args, "--exclude", null);
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> exceptions = new HashMap<>();
        // --children M: what M calls directly, among the samples with M on the stack
        String parent = Runs.option(args, "--children", null);
        Map<String, Integer> children = new HashMap<>();
        // --callers M: who calls M, among the samples with M on top of the stack (where its self time comes from)
        String callee = Runs.option(args, "--callers", null);
        Map<String, Integer> callers = new HashMap<>();
        int samples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                if (type.equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
                    List<RecordedFrame> frames = event.getStackTrace().getFrames();
                    List<String> names = frames.stream().map(JfrHotMethods::name).toList();
                    if (filter != null && names.stream().noneMatch(n -> n.contains(filter))
                            || exclude != null && names.stream().anyMatch(n -> n.contains(exclude))) {
                        continue;
                    }
                    samples++;
                    count(names, self, inclusive, parent, children, callee, callers);
                } else if (type.equals("jdk.JavaExceptionThrow") && event.getStackTrace() != null) {
                    String thrown = event.getClass("thrownClass").getName();
                    List<String> where = event.getStackTrace().getFrames().stream().map(JfrHotMethods::line)
                            .filter(n -> !n.contains(".<init>") && !n.startsWith("java.lang.Throwable"))
                            .limit(6).toList();
                    String message = event.getString("message");
                    exceptions.merge(thrown + " \"" + (message == null ? "" : message.substring(0, Math.min(60,
                            message.length()))) + "\"\n      " + String.join("\n      ", where), 1, Integer::sum);
                }
            }
        }
        System.out.println(samples + " execution samples" + (filter == null ? "" : " with " + filter + " on the stack"));
        print("self", self, samples, top);
        print("inclusive", inclusive, samples, top * 2);
        if (parent != null) {
            print("called by " + parent, children, samples, top);
        }
        if (callee != null) {
            print("callers of " + callee + " (three frames)", callers, samples, top);
        }
        System.out.println("\n-- exceptions thrown --");
        sorted(exceptions).entrySet().stream().limit(8).forEach(e -> System.out.println(e.getValue() + "  " + e.getKey()));
    }

    /** One sample's stack (innermost first) counted: self, inclusive, and --children / --callers if asked. */
    private static void count(List<String> names, Map<String, Integer> self, Map<String, Integer> inclusive,
                              String parent, Map<String, Integer> children, String callee,
                              Map<String, Integer> callers) {
        if (!names.isEmpty()) {
            self.merge(names.get(0), 1, Integer::sum);
        }
        if (parent != null) {
            // the outermost call of the parent, and the frame it called (itself on top: "(self)")
            int at = -1;
            for (int i = names.size() - 1; i >= 0 && at < 0; i--) {
                at = names.get(i).equals(parent) ? i : -1;
            }
            if (at >= 0) {
                children.merge(at == 0 ? "(self)" : names.get(at - 1), 1, Integer::sum);
            }
        }
        if (callee != null && names.size() > 1 && names.get(0).equals(callee)) {
            callers.merge(String.join(" < ", names.subList(1, Math.min(names.size(), 4))), 1, Integer::sum);
        }
        new HashSet<>(names).forEach(n -> inclusive.merge(n, 1, Integer::sum));
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("\n-- " + title + " --");
        sorted(counts).entrySet().stream().limit(top).forEach(e ->
                System.out.printf("%5.1f %%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }

    private static Map<String, Integer> sorted(Map<String, Integer> counts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String line(RecordedFrame frame) {
        return name(frame) + ":" + frame.getLineNumber();
    }
}
