package cn.yinxin.seal.stamping;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.MemoryMode;
import cn.yinxin.core.pdf.PdfDocuments;
import cn.yinxin.core.pdf.PdfLimits;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Where the PDFs of stamp requests are kept: the one place that decides between memory and a temporary file
 * ({@link #receive}: above {@code yinxin.stamp.in-memory-max-size} a document goes to a file, so the heap stays
 * bounded whatever its size), and the folder of results. Everything after follows the {@link Pdf}'s kind: a document
 * in memory is sealed in memory, one in a file is sealed through temporary files into a file of the results folder
 * ({@link MemoryMode#TEMP_FILES}). The limits ({@code yinxin.stamp.max-pages}, {@code max-objects}) are core's
 * {@link PdfLimits}, the same ones the sealer applies.
 */
@Component
public class StampDocuments {

    private static final Logger log = LoggerFactory.getLogger(StampDocuments.class);

    private final PdfLimits limits;
    private final Path results;

    public StampDocuments(@Value("${yinxin.stamp.in-memory-max-size:16MB}") DataSize inMemoryMaxSize,
                          @Value("${yinxin.stamp.results-dir:var/seal-service/results}") Path results,
                          @Value("${yinxin.stamp.max-pages:5000}") int maxPages,
                          @Value("${yinxin.stamp.max-objects:2000000}") int maxObjects) throws IOException {
        this.limits = new PdfLimits(maxPages, maxObjects, inMemoryMaxSize.toBytes());
        this.results = Files.createDirectories(results);
    }

    /** The limits the sealer applies to every document. */
    public PdfLimits limits() {
        return limits;
    }

    /** The uploaded PDF, in memory or (large) in a temporary file of the results folder; {@link #release} it after. */
    public Pdf receive(MultipartFile file) throws IOException {
        if (limits.memoryModeFor(file.getSize()) == MemoryMode.IN_MEMORY) {
            return new Pdf.InMemory(file.getBytes());
        }
        Path upload = Files.createTempFile(results, "upload-", ".pdf");
        file.transferTo(upload);
        return new Pdf.InFile(upload);
    }

    /** Deletes an upload's temporary file, if it has one. */
    public void release(Pdf upload) throws IOException {
        if (upload instanceof Pdf.InFile file) {
            Files.deleteIfExists(file.file());
        }
    }

    /** Where the sealed large document of {@code documentId} is written. */
    Path resultFile(UUID documentId) {
        return results.resolve(documentId + ".pdf");
    }

    /** A stored first answer (IdempotentResults): its bytes, or the file a large one was kept in. */
    static Pdf stored(IdempotentResults.Stored stored) {
        return stored.result() != null ? new Pdf.InMemory(stored.result()) : new Pdf.InFile(Path.of(stored.resultFile()));
    }

    /** Deletes a result file that will not be answered (a refused or superseded request). */
    public static void discard(Pdf pdf) {
        if (pdf instanceof Pdf.InFile file) {
            try {
                Files.deleteIfExists(file.file());
            } catch (IOException e) {
                log.warn("Could not delete {}: {}", file.file(), e.getMessage());
            }
        }
    }

    /**
     * How many pages the document has (for {@code crossPages=all}), read as the sealer reads it: opened by core within
     * the limits, with the same checks and refusals (a document in a file with its streams in temporary files).
     */
    public int pages(Pdf pdf) {
        try (PDDocument document = pdf instanceof Pdf.InMemory bytes ? PdfDocuments.openForChange(bytes.bytes(), limits)
                : PdfDocuments.openForChange(new RandomAccessReadBufferedFile(((Pdf.InFile) pdf).file()), limits,
                        IOUtils.createTempFileOnlyStreamCache())) {
            return document.getNumberOfPages();
        } catch (IOException e) {
            throw new RejectedException(Problem.DAMAGED_PDF, "The PDF cannot be read.");
        }
    }
}
