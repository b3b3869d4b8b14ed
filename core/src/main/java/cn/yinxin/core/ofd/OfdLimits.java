package cn.yinxin.core.ofd;

/**
 * How large an OFD package may be before it is refused ({@link cn.yinxin.core.Problem#OFD_TOO_LARGE}): a bound on
 * the memory and work one request can cause, checked while the ZIP is inflated, so a zip bomb is stopped at the
 * first byte over the limit rather than after it filled the heap.
 *
 * @param maxEntries          most ZIP entries
 * @param maxEntryBytes       most inflated bytes of one entry
 * @param maxTotalBytes       most inflated bytes of all entries together
 * @param maxRatio            most inflated bytes per compressed byte of one entry (entries under 64 KiB inflated
 *                            are not held to it: tiny XML compresses well and harms no one)
 * @param maxXmlBytes         most bytes of one XML part (OFD.xml, Document.xml, a page...)
 * @param maxPages            most pages of a document
 * @param maxPageSideMm       the longest page side accepted, in millimetres (GB/T 33190 measures in mm)
 * @param maxSignatures       most signatures listed in Signatures.xml
 * @param maxChangesPerSeal   most changes listed one by one in a seal's report; the rest are counted in one more
 *                            change (10,000 one-byte entries must not make a report of 10,000 changes per seal)
 * @param maxParsedXmlBytes   most bytes of XML parsed for one document, all parts together (a part named by many
 *                            pages is parsed once, but the sum still bounds the work one request can cause)
 */
public record OfdLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio, long maxXmlBytes,
                        int maxPages, double maxPageSideMm, int maxSignatures, int maxChangesPerSeal,
                        long maxParsedXmlBytes) {

    /** Below this many inflated bytes an entry is not held to {@link #maxRatio}. */
    public static final long RATIO_FREE_BYTES = 64 * 1024;

    /** The default of {@link #maxChangesPerSeal}: 100 seals x 100 changes bound a report to 10,000 changes. */
    public static final int DEFAULT_CHANGES_PER_SEAL = 100;
    /** The default of {@link #maxParsedXmlBytes}: as much XML as the package may inflate to in all. */
    public static final long DEFAULT_PARSED_XML_BYTES = 256L << 20;

    /**
     * 10,000 entries, 64 MiB per entry, 256 MiB in all, ratio 100, 8 MiB per XML part, 5,000 pages (as PDF), pages up
     * to 5 m a side (A0 is 1189 mm; engineering drawings are longer), 100 signatures, 100 changes listed per seal,
     * 256 MiB of XML parsed per document.
     */
    public static final OfdLimits DEFAULT = new OfdLimits(10_000, 64L << 20, 256L << 20, 100, 8L << 20, 5_000, 5_000,
            100, DEFAULT_CHANGES_PER_SEAL, DEFAULT_PARSED_XML_BYTES);

    public OfdLimits {
        if (maxEntries < 1 || maxEntryBytes < 1 || maxTotalBytes < 1 || maxRatio < 1 || maxXmlBytes < 1
                || maxPages < 1 || !(maxPageSideMm > 0) || maxSignatures < 1 || maxChangesPerSeal < 1
                || maxParsedXmlBytes < 1) {
            throw new IllegalArgumentException("OFD limits must be positive");
        }
    }

    /** The limits as before maxChangesPerSeal and maxParsedXmlBytes, which take their defaults. */
    public OfdLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio, long maxXmlBytes,
                     int maxPages, double maxPageSideMm, int maxSignatures) {
        this(maxEntries, maxEntryBytes, maxTotalBytes, maxRatio, maxXmlBytes, maxPages, maxPageSideMm, maxSignatures,
                DEFAULT_CHANGES_PER_SEAL, DEFAULT_PARSED_XML_BYTES);
    }
}
