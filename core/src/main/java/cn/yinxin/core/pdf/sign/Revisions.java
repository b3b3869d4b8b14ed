package cn.yinxin.core.pdf.sign;

import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.io.ScratchFile;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;

/**
 * The revisions one sealing writes, one after the other: each step reads the current revision and writes the next
 * (the same bytes followed by an incremental update). The same steps run {@linkplain #inMemory in memory} (byte
 * arrays) or {@linkplain #inFiles through temporary files}, where the heap holds a few buffers and the increment
 * being written, whatever the document's size.
 */
abstract sealed class Revisions implements Closeable permits Revisions.InMemory, Revisions.InFiles {

    /** Writes the next revision from the current one. */
    @FunctionalInterface
    interface Step<T> {
        /**
         * @param current the current revision; the step may hand it to PDFBox, which closes it
         * @param next    where the next revision goes, whole (the current bytes first)
         */
        T write(RandomAccessRead current, OutputStream next) throws IOException, GeneralSecurityException;
    }

    /** Where PDFBox keeps the streams a step adds (an appearance, a DSS entry). */
    abstract StreamCacheCreateFunction streamCache();

    /** Runs {@code step}; its output becomes the current revision. When it fails, the current one stays. */
    abstract <T> T next(Step<T> step) throws IOException, GeneralSecurityException;

    /**
     * Writes a document sealed in memory to {@code target} under a temporary name in its folder (starting with
     * {@code prefix}) and moves it into place once complete: no half-written output, no temporary file left.
     */
    static void writeInPlace(byte[] pdf, Path target, String prefix) throws IOException {
        Path part = Files.createTempFile(target.getParent(), prefix, ".part");
        try {
            Files.write(part, pdf);
            moveIntoPlace(part, target);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Moves a complete file into place, atomically where the file system allows, replacing a file there. */
    static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static InMemory inMemory(byte[] pdf) {
        return new InMemory(pdf);
    }

    /**
     * @param input  the document; read, never changed
     * @param folder where the revisions are written (the output's folder, so the last one can be moved into place)
     */
    static InFiles inFiles(Path input, Path folder, String prefix) {
        return new InFiles(input, folder, prefix);
    }

    static final class InMemory extends Revisions {
        private byte[] current;

        private InMemory(byte[] pdf) {
            this.current = pdf;
        }

        byte[] bytes() {
            return current;
        }

        @Override
        StreamCacheCreateFunction streamCache() {
            return IOUtils.createMemoryOnlyStreamCache();
        }

        @Override
        <T> T next(Step<T> step) throws IOException, GeneralSecurityException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(current.length + 128 * 1024);
            T result;
            try (RandomAccessRead in = new RandomAccessReadBuffer(current)) {
                result = step.write(in, out);
            }
            current = out.toByteArray();
            return result;
        }

        @Override
        public void close() {
            // nothing to clean up
        }
    }

    /**
     * Revisions in temporary files in one folder; every one is deleted when it has been read, when a step fails and
     * at {@link #close()}, except the last once it was {@linkplain #moveTo moved} to its destination.
     */
    static final class InFiles extends Revisions {
        private static final int BUFFER = 256 * 1024;
        private final Path input;
        private final Path folder;
        private final String prefix;
        private Path current;

        private InFiles(Path input, Path folder, String prefix) {
            this.input = input;
            this.folder = folder;
            this.prefix = prefix;
            this.current = input;
        }

        @Override
        StreamCacheCreateFunction streamCache() {
            // PDFBox's scratch file goes beside the revisions, and is deleted when the document closes
            return () -> new ScratchFile(MemoryUsageSetting.setupTempFileOnly().setTempDir(folder.toFile()));
        }

        @Override
        <T> T next(Step<T> step) throws IOException, GeneralSecurityException {
            Path next = Files.createTempFile(folder, prefix, ".part");
            T result;
            try {
                try (RandomAccessRead in = new RandomAccessReadBufferedFile(current.toFile());
                     OutputStream out = new BufferedOutputStream(Files.newOutputStream(next), BUFFER)) {
                    result = step.write(in, out);
                }
            } catch (IOException | GeneralSecurityException | RuntimeException | Error e) {
                deleteQuietly(next, e);
                throw e;
            }
            dropCurrent();
            current = next;
            return result;
        }

        /** Moves the current revision to {@code destination} in one step (replacing a file there). */
        void moveTo(Path destination) throws IOException {
            if (current.equals(input)) {
                throw new IllegalStateException("no revision was written");
            }
            moveIntoPlace(current, destination);
            current = input;
        }

        @Override
        public void close() throws IOException {
            dropCurrent();
            current = input;
        }

        private void dropCurrent() throws IOException {
            if (!current.equals(input)) {
                Files.deleteIfExists(current);
            }
        }

        private static void deleteQuietly(Path file, Throwable cause) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
