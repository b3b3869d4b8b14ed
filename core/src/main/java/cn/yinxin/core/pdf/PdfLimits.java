package cn.yinxin.core.pdf;

/**
 * How large a document may be in pages and objects before it is refused: a bound on the work and memory one
 * request can cause. The byte size is bounded at the HTTP edge.
 *
 * <p>{@code inMemoryMaxBytes} chooses the {@link MemoryMode} of the file API of {@link PdfSealer}: documents up to
 * that many bytes are sealed {@linkplain MemoryMode#IN_MEMORY in memory}, larger ones are streamed
 * {@linkplain MemoryMode#TEMP_FILES through temporary files} so that the heap stays bounded whatever their size.
 * The default, {@value #DEFAULT_IN_MEMORY_MAX_BYTES} bytes (16 MiB), keeps one request under about 64 MB of heap;
 * 0 streams every document.
 *
 * @param maxPages         most pages accepted
 * @param maxObjects       most objects (cross-reference entries) accepted
 * @param inMemoryMaxBytes the largest document, in bytes, that the file API seals in memory
 */
public record PdfLimits(int maxPages, int maxObjects, long inMemoryMaxBytes) {

    public static final long DEFAULT_IN_MEMORY_MAX_BYTES = 16L * 1024 * 1024;

    public static final PdfLimits DEFAULT = new PdfLimits(5_000, 2_000_000, DEFAULT_IN_MEMORY_MAX_BYTES);

    public PdfLimits {
        if (maxPages < 1 || maxObjects < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (inMemoryMaxBytes < 0) {
            throw new IllegalArgumentException("the in-memory threshold must not be negative");
        }
    }

    /** Page and object limits, with the default in-memory threshold. */
    public PdfLimits(int maxPages, int maxObjects) {
        this(maxPages, maxObjects, DEFAULT_IN_MEMORY_MAX_BYTES);
    }

    /** These limits with another in-memory threshold (0: every document goes through temporary files). */
    public PdfLimits withInMemoryMaxBytes(long bytes) {
        return new PdfLimits(maxPages, maxObjects, bytes);
    }

    /** The mode for a document of {@code size} bytes. */
    public MemoryMode memoryModeFor(long size) {
        return size > inMemoryMaxBytes ? MemoryMode.TEMP_FILES : MemoryMode.IN_MEMORY;
    }
}
