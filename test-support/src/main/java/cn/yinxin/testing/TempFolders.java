package cn.yinxin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Temporary folders of the test fixtures (keystores, a service's results and audit key store), removed when the
 * test JVM ends: each run of the suite left some two thousand of them in /tmp. Removed at the end, not after the
 * test, because the service processes that use them live as long as their extension.
 */
public final class TempFolders {

    private static final List<Path> MADE = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> MADE.forEach(TempFolders::deleteQuietly),
                "temp-folders"));
    }

    private TempFolders() {
    }

    /** A new folder in the system's temporary folder, removed with all in it when this JVM ends. */
    public static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            MADE.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} with everything in it (what cannot be deleted, a file still open, is left). */
    public static void delete(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            delete(dir);
        } catch (IOException | UncheckedIOException e) {
            // a folder a process still writes to is left behind; nothing else depends on it
        }
    }
}
