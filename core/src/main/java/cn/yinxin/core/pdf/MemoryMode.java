package cn.yinxin.core.pdf;

/**
 * Where a sealing keeps the document while it writes its revisions (see
 * {@link PdfSealer#stampAll(java.nio.file.Path, java.nio.file.Path, java.util.List, MemoryMode)}).
 */
public enum MemoryMode {

    /**
     * The document and every revision are byte arrays: the fastest for small documents, but the heap needs about
     * four times the document's size (the input, the revision being written, its copy, the next revision).
     */
    IN_MEMORY,

    /**
     * The document is read from its file and every revision is written to a temporary file beside the output; the
     * heap holds a few buffers, the parsed objects PDFBox touches and the increment being written, whatever the
     * document's size (a 200 MB document is sealed with 512 MB of heap: docs/benchmarks.md). The temporary files
     * are deleted in every case; the output appears only once complete.
     */
    TEMP_FILES
}
