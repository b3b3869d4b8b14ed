package cn.yinxin.seal.administration;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Draws an SVG seal image within a deadline that really stops the work. jsvg and Java2D cannot be interrupted
 * (a dashed stroke of 0.001 units spends seconds inside one drawing call, a stack of blur filters minutes), so
 * the drawing runs in a short-lived JVM of its own ({@link SvgRaster}) with a small heap and one processor, and
 * is killed when {@code yinxin.seals.image.svg-render-timeout} has passed: the request is refused with
 * {@code seal-image-too-complex}, nothing is stored. At most {@code svg-concurrent-renders} such processes run
 * at once; a request that finds them all taken is refused at once with {@code seal-images-busy}.
 */
final class SvgRendering {

    /** What the child drew: the SVG's own size (its user units) and the PNG at the pixel size asked for. */
    record Drawn(double width, double height, byte[] png) {
    }

    private static final Logger log = LoggerFactory.getLogger(SvgRendering.class);
    private static final Set<String> KEPT_ENVIRONMENT = Set.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
            "FONTCONFIG_FILE", "FONTCONFIG_PATH");
    private static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";
    /** One gate per configuration (in practice one per service). */
    private static final Map<SealImageLimits, Semaphore> GATES = new ConcurrentHashMap<>();

    private SvgRendering() {
    }

    static Drawn draw(byte[] svg, int width, int height, SealImageLimits limits) {
        Semaphore gate = GATES.computeIfAbsent(limits, l -> new Semaphore(l.svgConcurrentRenders()));
        // no queue: a seal administrator's upload is rare, and waiting requests would hold threads for minutes
        if (!gate.tryAcquire()) {
            throw new RejectedException(Problem.SEAL_IMAGES_BUSY, limits.svgConcurrentRenders() + " seal image(s) are "
                    + "being drawn, as many as this service draws at once; try again in a few seconds.");
        }
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            Drawn drawn = run(svg, width, height, limits, start + limits.svgRenderTimeout().toNanos());
            outcome = "drawn";
            return drawn;
        } catch (RejectedException e) {
            outcome = e.problem().type();
            throw e;
        } finally {
            gate.release();
            log.info("SVG seal image of {} bytes at {} x {} px: {} in {} ms", svg.length, width, height, outcome,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static Drawn run(byte[] svg, int width, int height, SealImageLimits limits, long deadline) {
        ProcessBuilder builder = new ProcessBuilder(command(width, height, limits));
        // none of the service's environment (database and key store passwords live there), only what drawing needs
        Map<String, String> environment = builder.environment();
        environment.keySet().retainAll(KEPT_ENVIRONMENT);
        environment.put("CLASSPATH", classPath());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the SVG renderer", e);
        }
        try {
            long maxOutput = (long) width * height * 4 + (1 << 20);
            FutureTask<byte[]> output = reader(process.getInputStream(), maxOutput);
            FutureTask<byte[]> errors = tail(process.getErrorStream(), 1 << 14);
            Thread.ofVirtual().start(() -> feed(process.getOutputStream(), svg));
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                throw tooComplex(limits);
            }
            return answer(process.exitValue(), result(output), new String(result(errors), StandardCharsets.UTF_8), limits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while drawing an SVG", e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static Drawn answer(int exit, byte[] output, String errors, SealImageLimits limits) {
        String message = lastLine(errors);
        switch (exit) {
            case 0 -> {
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(output))) {
                    float width = in.readFloat();
                    float height = in.readFloat();
                    return new Drawn(width, height, Arrays.copyOfRange(output, 8, output.length));
                } catch (IOException e) {
                    throw new IllegalStateException("the SVG renderer's answer is cut short", e);
                }
            }
            case SvgRaster.UNREADABLE -> throw SealImages.invalid("The SVG cannot be read" + (message.isEmpty() ? "." : ": " + message));
            case SvgRaster.NO_SIZE -> throw SealImages.invalid("The SVG has no size: give it a viewBox or width and height.");
            case SvgRaster.UNDRAWABLE -> throw SealImages.invalid("The SVG cannot be drawn: " + message);
            case SvgRaster.TOO_DEEP -> throw new RejectedException(Problem.SEAL_IMAGE_TOO_COMPLEX, "The SVG's elements "
                    + "are nested too deeply to be drawn; a seal image is a simple drawing.");
            case SvgRaster.OUT_OF_MEMORY -> throw new RejectedException(Problem.SEAL_IMAGE_TOO_COMPLEX, "The SVG needs more "
                    + "than " + limits.svgRenderHeapMb() + " MB to be drawn; a seal image is a simple drawing.");
            default -> throw new IllegalStateException("the SVG renderer failed (exit " + exit + "): " + message);
        }
    }

    private static RejectedException tooComplex(SealImageLimits limits) {
        return new RejectedException(Problem.SEAL_IMAGE_TOO_COMPLEX, "The SVG took more than "
                + limits.svgRenderTimeout().toMillis() + " ms to draw and was stopped; a seal image is a simple drawing "
                + "(filters, masks, thousands of shapes and fine dashes cost the most).");
    }

    /** The child JVM: small heap, one processor, no JIT beyond C1 (a short job), headless. */
    static List<String> command(int width, int height, SealImageLimits limits) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + limits.svgRenderHeapMb() + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:ActiveProcessorCount=1", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData",
                "-Djava.awt.headless=true"));
        ClassLoader system = ClassLoader.getSystemClassLoader();
        String raster = SvgRaster.class.getName();
        if (system.getResource(raster.replace('.', '/') + ".class") != null) {
            command.add(raster); // a plain class path (tests, an unpacked installation)
        } else if (system.getResource(LAUNCHER.replace('.', '/') + ".class") != null) {
            command.add("-Dloader.main=" + raster); // java -jar seal-service.jar: the same jar, another main class
            command.add(LAUNCHER);
        } else {
            throw new IllegalStateException("cannot find how to start " + raster + " from class path "
                    + System.getProperty("java.class.path"));
        }
        command.add(Integer.toString(width));
        command.add(Integer.toString(height));
        return command;
    }

    /** This JVM's class path with every entry absolute (java -jar seal-service.jar names the jar as given). */
    private static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static void feed(OutputStream in, byte[] svg) {
        try (in) {
            in.write(svg);
        } catch (IOException e) {
            // the child stopped reading (killed or failed): its exit code tells why
        }
    }

    private static FutureTask<byte[]> reader(InputStream stream, long max) {
        FutureTask<byte[]> task = new FutureTask<>(() -> {
            try (stream) {
                byte[] read = stream.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, max + 1));
                if (read.length > max) {
                    throw new IOException("the SVG renderer wrote more than " + max + " bytes");
                }
                return read;
            }
        });
        Thread.ofVirtual().start(task);
        return task;
    }

    /** Drains a stream to its end (jsvg may log much on it: a full pipe would stall the child) and keeps its end. */
    private static FutureTask<byte[]> tail(InputStream stream, int keep) {
        FutureTask<byte[]> task = new FutureTask<>(() -> {
            byte[] kept = new byte[0];
            byte[] chunk = new byte[8192];
            try (stream) {
                for (int n; (n = stream.read(chunk)) >= 0; ) {
                    byte[] joined = Arrays.copyOf(kept, kept.length + n);
                    System.arraycopy(chunk, 0, joined, kept.length, n);
                    kept = joined.length > keep ? Arrays.copyOfRange(joined, joined.length - keep, joined.length) : joined;
                }
            }
            return kept;
        });
        Thread.ofVirtual().start(task);
        return task;
    }

    private static byte[] result(FutureTask<byte[]> task) throws InterruptedException {
        try {
            return task.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the SVG renderer's output cannot be read", e);
        }
    }

    private static String lastLine(String errors) {
        String[] lines = errors.strip().split("\\R");
        String last = lines[lines.length - 1].strip();
        return last.length() > 300 ? last.substring(0, 300) + "..." : last;
    }
}
