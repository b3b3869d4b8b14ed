package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.MemoryMode;
import cn.yinxin.core.pdf.PdfLimits;
import cn.yinxin.core.pdf.PdfNames;
import cn.yinxin.core.pki.cms.CmsFlavour;
import cn.yinxin.core.pki.cms.TimeStamper;
import cn.yinxin.core.pki.revocation.RevocationSource;
import org.apache.pdfbox.cos.COSName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Seals a PDF with a PAdES-BASELINE-B signature and a visible seal image, written as an incremental update so
 * that everything signed before stays signed. The key only ever sees the bytes to sign (external signing), so it
 * may sit in a PKCS#11 token.
 *
 * <p>Documents come as bytes ({@link #stampAll(byte[], List)}) or as files
 * ({@link #stampAll(Path, Path, List, MemoryMode)}): from file to file, a document of any size is sealed with a
 * bounded heap by streaming its revisions through temporary files ({@link MemoryMode#TEMP_FILES}); which documents
 * are streamed is set by {@link PdfLimits#inMemoryMaxBytes()}. Both run the same steps on the same checks.
 */
public final class PdfSealer {

    /** What the levels above B-B need; either may be null when only lower levels are asked for. */
    private final TimeStamper timeStamper;
    private final RevocationSource revocation;
    private final PdfLimits limits;
    /** The CMS content types written (PKCS#7 unless set); GM/T 0010 is for SM2 seals. */
    private CmsFlavour cmsFlavour = CmsFlavour.PKCS7;
    /** The room each key's signature values need, learnt as this sealer (and its copies) signs. */
    private ContentsRoom rooms = new ContentsRoom();

    /** A sealer for PAdES-BASELINE-B only. */
    public PdfSealer() {
        this(null, null);
    }

    /** A sealer for every level: B-T needs the time-stamper, B-LT and B-LTA the revocation source too. */
    public PdfSealer(TimeStamper timeStamper, RevocationSource revocation) {
        this(timeStamper, revocation, PdfLimits.DEFAULT);
    }

    public PdfSealer(TimeStamper timeStamper, RevocationSource revocation, PdfLimits limits) {
        this.timeStamper = timeStamper;
        this.revocation = revocation;
        this.limits = limits;
    }

    /**
     * A sealer like this one that writes its CMS with the given content types: {@link CmsFlavour#PKCS7} (the
     * default) or {@link CmsFlavour#GMT_0010}, the latter only for SM2 seal keys (a request with another key is
     * refused).
     */
    public PdfSealer withCmsFlavour(CmsFlavour flavour) {
        PdfSealer copy = new PdfSealer(timeStamper, revocation, limits);
        copy.cmsFlavour = Objects.requireNonNull(flavour, "flavour");
        copy.rooms = rooms;
        return copy;
    }

    public CmsFlavour cmsFlavour() {
        return cmsFlavour;
    }

    public static final COSName ETSI_CADES_DETACHED = COSName.getPDFName("ETSI.CAdES.detached");

    /**
     * Seals the document and returns the new bytes: the input unchanged, followed by the incremental updates of
     * the level asked for (one for B-B and B-T, two for B-LT, three for B-LTA).
     *
     * @throws GeneralSecurityException when the level cannot be reached (no TSA answer, no revocation data)
     */
    public byte[] seal(byte[] pdf, SealRequest request) throws GeneralSecurityException {
        return stamp(pdf, request).pdf();
    }

    /** The sealed document and where the seal went (an anchor text resolved to its page and position). */
    public record Sealed(byte[] pdf, SealPlacement placement) {
    }

    /** As {@link #seal}, and says where the seal was put. */
    public Sealed stamp(byte[] pdf, SealRequest request) throws GeneralSecurityException {
        MultiSealed all = stampAll(pdf, List.of(request));
        return new Sealed(all.pdf(), all.placements().get(0));
    }

    /** Several seals on one document and where each went. */
    public record MultiSealed(byte[] pdf, List<SealPlacement> placements) {
    }

    /**
     * Several seals, one signature each, in the order given, all at one level: each is signed (and time-stamped
     * for B-T and up) in its own incremental update; then, once for all of them, the validation data (B-LT) and
     * the document time-stamp (B-LTA).
     */
    public MultiSealed stampAll(byte[] pdf, List<SealRequest> requests) throws GeneralSecurityException {
        SignatureLevel level = checkRequests(requests);
        if (pdf == null) {
            throw new RejectedException(Problem.EMPTY_BODY, "The request carries no PDF bytes.");
        }
        try (Revisions.InMemory revisions = Revisions.inMemory(pdf)) {
            List<SealPlacement> placements = write(revisions, requests, level);
            return new MultiSealed(revisions.bytes(), placements);
        } catch (IOException e) {
            throw new UncheckedIOException("sealing failed while writing the PDF", e);
        }
    }

    /**
     * A sealed file ({@code pdf}, complete and in place), where each seal went, and how it was made.
     *
     * @param size the sealed file's length in bytes: the input's, plus the incremental updates
     */
    public record SealedFile(Path pdf, long size, List<SealPlacement> placements, MemoryMode mode) {
    }

    /**
     * As {@link #stampAll(byte[], List)}, from a file to a file, in the {@link MemoryMode} that
     * {@link PdfLimits#memoryModeFor} of this sealer's limits gives for the input's size: small documents in
     * memory, larger ones through temporary files, so that the heap stays bounded whatever the size.
     *
     * @see #stampAll(Path, Path, List, MemoryMode)
     */
    public SealedFile stampAll(Path input, Path output, List<SealRequest> requests) throws GeneralSecurityException {
        long size;
        try {
            size = Files.size(input);
        } catch (IOException e) {
            throw new UncheckedIOException("the PDF cannot be read: " + e.getMessage(), e);
        }
        return stampAll(input, output, requests, limits.memoryModeFor(size));
    }

    /**
     * Seals the PDF in file {@code input} (which is only read) into file {@code output}, as
     * {@link #stampAll(byte[], List)} does for bytes: the same checks, the same refusals, the same signatures and
     * updates. In {@link MemoryMode#TEMP_FILES} the document is never loaded into the heap: its raw structure is
     * checked by reading it in chunks, PDFBox parses it from the file, every revision is written to a temporary
     * file in {@code output}'s folder (the original bytes copied from the previous revision's file, the increment
     * after them) and the digests to sign and time-stamp are computed while streaming. PDFBox's scratch files go to
     * that folder as well. In {@link MemoryMode#IN_MEMORY} the input is read into memory and sealed as bytes.
     *
     * <p>The output is written under a temporary name in its folder and moved into place (atomically where the
     * file system allows) only once complete; a file already there is replaced. When the sealing fails or is
     * refused ({@link RejectedException}), no output is written and no temporary file is left behind.
     *
     * @param input    the PDF to seal
     * @param output   where the sealed PDF goes; its folder must exist, and it must not be {@code input}
     * @param requests the seals, as for {@link #stampAll(byte[], List)}
     * @param mode     where the revisions are kept while they are written
     * @throws GeneralSecurityException when the level cannot be reached (no TSA answer, no revocation data)
     * @throws java.io.UncheckedIOException when a file cannot be read or written
     */
    public SealedFile stampAll(Path input, Path output, List<SealRequest> requests, MemoryMode mode)
            throws GeneralSecurityException {
        SignatureLevel level = checkRequests(requests);
        Path target = output.toAbsolutePath();
        Path folder = target.getParent();
        String prefix = "." + target.getFileName() + "-";
        try {
            if (Files.exists(target) && Files.isSameFile(input, target)) {
                throw new IllegalArgumentException("the output must not be the input");
            }
            if (mode == MemoryMode.IN_MEMORY) {
                MultiSealed sealed = stampAll(Files.readAllBytes(input), requests);
                Revisions.writeInPlace(sealed.pdf(), target, prefix);
                return new SealedFile(output, sealed.pdf().length, sealed.placements(), mode);
            }
            try (Revisions.InFiles revisions = Revisions.inFiles(input, folder, prefix)) {
                List<SealPlacement> placements = write(revisions, requests, level);
                revisions.moveTo(target);
                return new SealedFile(output, Files.size(target), placements, mode);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sealing failed while writing the PDF: " + e.getMessage(), e);
        }
    }

    /**
     * One step that writes a signature value (a seal, a document time-stamp); when the value outgrew the room learnt
     * from the earlier ones (the increment was then discarded), once more with the room it needed: the key signs
     * twice, and the TSA answers twice.
     */
    private static <T> T fitted(Revisions revisions, Revisions.Step<T> step) throws IOException,
            GeneralSecurityException {
        try {
            return revisions.next(step);
        } catch (ContentsRoom.TooSmall first) {
            try {
                return revisions.next(step);
            } catch (ContentsRoom.TooSmall again) {
                throw again.again();
            }
        }
    }

    /** The level all requests share; refuses what this sealer cannot do. */
    private SignatureLevel checkRequests(List<SealRequest> requests) {
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("no seal to put");
        }
        SignatureLevel level = requests.get(0).level();
        if (requests.stream().anyMatch(r -> r.level() != level)) {
            throw new IllegalArgumentException("the seals of one request share one level");
        }
        if (level.atLeast(SignatureLevel.B_T) && timeStamper == null
                || level.atLeast(SignatureLevel.B_LT) && revocation == null) {
            throw new IllegalStateException("this sealer has no time-stamper or revocation source for " + level.label());
        }
        return level;
    }

    /** The revisions of all requests, in memory or in files alike. */
    private List<SealPlacement> write(Revisions revisions, List<SealRequest> requests, SignatureLevel level)
            throws IOException, GeneralSecurityException {
        try {
            return writeLevels(revisions, requests, level);
        } finally {
            PdfNames.forget(); // the names of the document sealed, its validation data and time-stamp revisions
        }
    }

    private List<SealPlacement> writeLevels(Revisions revisions, List<SealRequest> requests, SignatureLevel level)
            throws IOException, GeneralSecurityException {
        List<SealPlacement> placements = new ArrayList<>();
        List<List<X509Certificate>> chains = new ArrayList<>();
        SealRevision revision = new SealRevision(timeStamper, limits, cmsFlavour, rooms);
        for (SealRequest request : requests) {
            SealRevision.Signed signed = fitted(revisions, (in, out) -> revision.write(in, out, request,
                    revisions.streamCache()));
            placements.add(signed.placement());
            if (level.atLeast(SignatureLevel.B_LT)) {
                chains.add(request.key().chain());
                chains.add(signed.tsaChain());
                if (request.nationalSeal() != null) {
                    chains.add(SignatureValue.makerChain(request));
                }
            }
        }
        if (level.atLeast(SignatureLevel.B_LT)) {
            var data = LongTermValidation.collect(chains, revocation);
            revisions.next((in, out) -> {
                LongTermValidation.addValidationData(in, out, data, revisions.streamCache());
                return null;
            });
        }
        if (level == SignatureLevel.B_LTA) {
            fitted(revisions, (in, out) -> {
                LongTermValidation.addDocumentTimeStamp(in, out, timeStamper, revisions.streamCache(), rooms);
                return null;
            });
        }
        return placements;
    }
}
