package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.pdf.sign.appearance.EncodedImage;
import cn.yinxin.core.pdf.handwriting.Handwriting;
import cn.yinxin.core.pdf.handwriting.HandwritingAppearance;
import cn.yinxin.core.pdf.MemoryMode;
import cn.yinxin.core.pdf.sign.appearance.PdfA;
import cn.yinxin.core.pdf.PdfDocuments;
import cn.yinxin.core.pdf.PdfLimits;
import cn.yinxin.core.pdf.national.PdfSesSignature;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.cms.CadesSigner;
import cn.yinxin.core.pki.cms.CmsFlavour;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.pki.cms.TimeStamper;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.apache.pdfbox.util.Matrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;

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
        copy.cmsFlavour = java.util.Objects.requireNonNull(flavour, "flavour");
        return copy;
    }

    public CmsFlavour cmsFlavour() {
        return cmsFlavour;
    }

    public static final COSName ETSI_CADES_DETACHED = COSName.getPDFName("ETSI.CAdES.detached");
    private static final double POINTS_PER_MM = 72 / 25.4;
    /** Room for the signature value, signed attributes and CMS framing, on top of the certificates. */
    private static final int SIGNATURE_OVERHEAD = 4096;
    /** Room for a signature time-stamp token: its CMS, the TSA's chain, a little slack. */
    private static final int TIMESTAMP_ROOM = 10 * 1024;

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
                Path part = Files.createTempFile(folder, prefix, ".part");
                try {
                    Files.write(part, sealed.pdf());
                    moveIntoPlace(part, target);
                } finally {
                    Files.deleteIfExists(part);
                }
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

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
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
        List<SealPlacement> placements = new ArrayList<>();
        List<List<X509Certificate>> chains = new ArrayList<>();
        for (SealRequest request : requests) {
            Signed signed = revisions.next((in, out) -> sign(in, out, request, revisions.streamCache()));
            placements.add(signed.placement());
            if (level.atLeast(SignatureLevel.B_LT)) {
                chains.add(request.key().chain());
                chains.add(signed.tsaChain());
                if (request.nationalSeal() != null) {
                    chains.add(makerChain(request));
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
            revisions.next((in, out) -> {
                LongTermValidation.addDocumentTimeStamp(in, out, timeStamper, revisions.streamCache());
                return null;
            });
        }
        return placements;
    }

    /** One signature written, and the TSA's chain when it was time-stamped (empty otherwise). */
    private record Signed(SealPlacement placement, List<X509Certificate> tsaChain) {
    }

    /** Reads the document from {@code source} and writes it, with one more signature, to {@code out}. */
    private Signed sign(RandomAccessRead source, OutputStream out, SealRequest request, StreamCacheCreateFunction cache)
            throws GeneralSecurityException {
        CadesSigner signer = new CadesSigner(request.key(), cmsFlavour);
        TimeStamper stamper = request.level().atLeast(SignatureLevel.B_T) ? timeStamper : null;
        Handwriting handwriting = request.appearance().handwriting();
        if (handwriting != null) {
            refuseIfCapturedForAnotherDocument(source, handwriting);
        }
        try (PDDocument document = PdfDocuments.openForChange(source, limits, cache)) {
            refuseIfCertifiedWithoutChanges(document);
            if (request.certification() != null && !document.getSignatureDictionaries().isEmpty()) {
                throw new RejectedException(Problem.ALREADY_SIGNED, "The document carries signatures already; a "
                        + "certification (DocMDP) must be the first signature of a document.");
            }
            SealPlacement placement = request.placement().anchor() == null ? request.placement()
                    : TextAnchors.find(document, request.placement().page() == 0 ? null : request.placement().page(),
                            request.placement().anchor());
            EmptyField emptyField = null;
            if (placement.field() != null) {
                emptyField = emptyField(document, placement.field());
                placement = emptyField.placement();
                if (handwriting != null) {
                    // a handwritten signature takes the size of the field the author prepared for it
                    request = new SealRequest(request.key(), SealAppearance.handwritten(handwriting,
                            emptyField.widthMm(), emptyField.heightMm()), request.placement(), request.sealName(),
                            request.reason(), request.signingTime(), request.level(), request.certification(),
                            request.qr());
                }
            }
            PDPage page = page(document, placement.page());

            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(ETSI_CADES_DETACHED);
            signature.setName(request.sealName());
            if (request.reason() != null) {
                signature.setReason(request.reason());
            }
            Calendar time = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
            time.setTimeInMillis(request.signingTime().toEpochMilli());
            signature.setSignDate(time);

            if (request.certification() != null) {
                certify(document, signature, request.certification());
            }
            List<PDPage> crossPages = crossPages(document, placement);
            if (crossPages != null && handwriting != null) {
                throw new RejectedException(Problem.INVALID_REQUEST, "A handwritten signature is not cut across pages.");
            }
            PDAnnotationWidget widget = emptyField != null ? fill(emptyField, page, signature)
                    : addSignatureField(document, crossPages == null ? page : crossPages.get(0), signature);
            List<PDAnnotation> strips = new ArrayList<>();
            strips.add(widget);
            if (crossPages != null) {
                crossPages.subList(1, crossPages.size()).forEach(p -> strips.add(addStrip(p)));
            }
            try (SignatureOptions options = new SignatureOptions()) {
                options.setPreferredSignatureSize(signatureSize(request) + (stamper == null ? 0 : TIMESTAMP_ROOM)
                        + nationalRoom(request));
                // PDFBox treats a signature without a visual template as invisible and blanks the widget,
                // so the appearance is drawn after addSignature.
                document.addSignature(signature, options);
                if (crossPages == null) {
                    drawSeal(document, page, widget, request, placement, 0, 1);
                } else {
                    for (int i = 0; i < strips.size(); i++) {
                        drawSeal(document, crossPages.get(i), strips.get(i), request, placement, i, strips.size());
                    }
                }
                if (request.qr() != null) {
                    addQrCode(document, page, placement.page(), request.qr());
                }

                // PDFBox copies the document from source to out and keeps only the increment in memory; the
                // bytes to sign are streamed from both into the digest
                var external = document.saveIncrementalForExternalSigning(out);
                byte[] cms;
                java.security.MessageDigest sm3 = request.nationalSeal() == null ? null
                        : java.security.MessageDigest.getInstance("SM3", cn.yinxin.core.pki.Providers.bouncyCastle());
                try (InputStream content = sm3 == null ? external.getContent()
                        : new java.security.DigestInputStream(external.getContent(), sm3)) {
                    cms = signer.sign(content, stamper);
                }
                if (sm3 != null) {
                    // national mode: the GB/T 38540 seal signature over the same bytes, time-stamped when a TSA is set
                    var ses = cn.yinxin.core.ses.SesSigner.signDigest(request.nationalSeal(), request.key(),
                            sm3.digest(), PdfSesSignature.propertyInfo(signature.getByteRange()),
                            request.signingTime(), timeStamper);
                    cms = PdfSesSignature.attach(cms, ses.der());
                }
                external.setSignature(cms);
                return new Signed(placement,
                        stamper == null ? List.of() : LongTermValidation.tokenCertificates(signatureTimeStamp(cms)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sealing failed while writing the PDF", e);
        }
    }

    /** The signature time-stamp token inside a CMS signature just made (read from its bytes, not the PDF again). */
    private static byte[] signatureTimeStamp(byte[] cmsSignature) throws GeneralSecurityException {
        try {
            var cms = new org.bouncycastle.cms.CMSSignedData(cmsSignature);
            var signer = cms.getSignerInfos().getSigners().iterator().next();
            var attribute = signer.getUnsignedAttributes().get(
                    org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
            return attribute.getAttrValues().getObjectAt(0).toASN1Primitive().getEncoded();
        } catch (IOException | org.bouncycastle.cms.CMSException e) {
            throw new GeneralSecurityException("the signature time-stamp cannot be read back: " + e.getMessage(), e);
        }
    }

    /** A DocMDP certification signature (ISO 32000-1 12.8.2.2): the author says which later changes are allowed. */
    private static void certify(PDDocument document, PDSignature signature, int permissions) {
        COSDictionary parameters = new COSDictionary();
        parameters.setItem(COSName.TYPE, COSName.getPDFName("TransformParams"));
        parameters.setInt(COSName.P, permissions);
        parameters.setName(COSName.V, "1.2");
        COSDictionary reference = new COSDictionary();
        reference.setItem(COSName.TYPE, COSName.getPDFName("SigRef"));
        reference.setItem(COSName.getPDFName("TransformMethod"), COSName.DOCMDP);
        reference.setItem(COSName.getPDFName("DigestMethod"), COSName.getPDFName("SHA256"));
        reference.setItem(COSName.getPDFName("TransformParams"), parameters);
        COSArray references = new COSArray();
        references.add(reference);
        signature.getCOSObject().setItem(COSName.getPDFName("Reference"), references);
        COSDictionary perms = new COSDictionary();
        perms.setItem(COSName.DOCMDP, signature);
        document.getDocumentCatalog().getCOSObject().setItem(COSName.PERMS, perms);
    }

    private static PDPage page(PDDocument document, int number) {
        int count = document.getNumberOfPages();
        if (number < 1 || number > count) {
            throw new RejectedException(Problem.PAGE_OUT_OF_RANGE,
                    "Page " + number + " was asked for; the document has " + count + " page(s).");
        }
        return document.getPage(number - 1);
    }

    /** A document certified with DocMDP P=1 allows no change at all, not even another signature. */
    private static void refuseIfCertifiedWithoutChanges(PDDocument document) {
        COSDictionary perms = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.PERMS);
        if (perms == null) {
            return;
        }
        COSDictionary docMdp = perms.getCOSDictionary(COSName.DOCMDP);
        COSArray references = docMdp == null ? null : docMdp.getCOSArray(COSName.getPDFName("Reference"));
        if (references == null) {
            return;
        }
        for (int i = 0; i < references.size(); i++) {
            // getObject dereferences: writers often make each reference an indirect object
            if (references.getObject(i) instanceof COSDictionary ref
                    && ref.getCOSDictionary(COSName.getPDFName("TransformParams")) != null
                    && ref.getCOSDictionary(COSName.getPDFName("TransformParams")).getInt(COSName.P, 2) == 1) {
                throw new RejectedException(Problem.CERTIFIED_NO_CHANGES,
                        "The document was certified by its author with no changes allowed (DocMDP P=1); "
                                + "another seal would invalidate that certification.");
            }
        }
    }

    private static List<PDPage> crossPages(PDDocument document, SealPlacement placement) {
        if (placement.crossPages() == null) {
            return null;
        }
        List<PDPage> pages = new ArrayList<>();
        for (int number : placement.crossPages()) {
            pages.add(page(document, number));
        }
        return pages;
    }

    /** An empty signature field found by name: the field, its widget, where its centre is, and its visible size. */
    private record EmptyField(PDSignatureField field, PDAnnotationWidget widget, SealPlacement placement,
                              double widthMm, double heightMm) {
    }

    /**
     * The unsigned signature field of this name, with the page its widget lies on and the widget's centre and size
     * as a reader measures them (after /Rotate); anything else is refused.
     */
    private static EmptyField emptyField(PDDocument document, String name) {
        PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
        PDField field = form == null ? null : form.getField(name);
        if (!(field instanceof PDSignatureField signatureField) || signatureField.getCOSObject().getDictionaryObject(COSName.V) != null
                || signatureField.getWidgets().isEmpty()) {
            throw new RejectedException(Problem.SIGNATURE_FIELD_NOT_FOUND, "The document has no empty signature field \""
                    + name + "\".");
        }
        PDAnnotationWidget widget = signatureField.getWidgets().get(0);
        int number = 0;
        for (int i = 0; i < document.getNumberOfPages() && number == 0; i++) {
            try {
                for (PDAnnotation annotation : document.getPage(i).getAnnotations()) {
                    if (annotation.getCOSObject() == widget.getCOSObject()) {
                        number = i + 1;
                        break;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        PDRectangle rect = widget.getRectangle();
        if (number == 0 || rect == null || rect.getWidth() <= 0 || rect.getHeight() <= 0) {
            throw new RejectedException(Problem.SIGNATURE_FIELD_NOT_FOUND, "The signature field \"" + name
                    + "\" is not shown on any page, so nothing can be signed into it.");
        }
        PDPage page = document.getPage(number - 1);
        PDRectangle crop = page.getCropBox();
        int rotation = ((page.getRotation() % 360) + 360) % 360;
        float cx = rect.getLowerLeftX() + rect.getWidth() / 2;
        float cy = rect.getLowerLeftY() + rect.getHeight() / 2;
        // the inverse of rectangleOnPage: from user space to millimetres from the visible top-left
        double dx;
        double dy;
        switch (rotation) {
            case 90 -> {
                dy = cx - crop.getLowerLeftX();
                dx = cy - crop.getLowerLeftY();
            }
            case 180 -> {
                dx = crop.getUpperRightX() - cx;
                dy = cy - crop.getLowerLeftY();
            }
            case 270 -> {
                dy = crop.getUpperRightX() - cx;
                dx = crop.getUpperRightY() - cy;
            }
            default -> {
                dx = cx - crop.getLowerLeftX();
                dy = crop.getUpperRightY() - cy;
            }
        }
        boolean sideways = rotation == 90 || rotation == 270;
        double width = (sideways ? rect.getHeight() : rect.getWidth()) / POINTS_PER_MM;
        double height = (sideways ? rect.getWidth() : rect.getHeight()) / POINTS_PER_MM;
        return new EmptyField(signatureField, widget, new SealPlacement(number, dx / POINTS_PER_MM, dy / POINTS_PER_MM,
                null, null, name), width, height);
    }

    /** Signs into the prepared field: its value becomes this signature, its widget shows it. */
    private static PDAnnotationWidget fill(EmptyField empty, PDPage page, PDSignature signature) {
        empty.field().getCOSObject().setItem(COSName.V, signature);
        PDAnnotationWidget widget = empty.widget();
        widget.setPage(page);
        widget.setPrinted(true);
        widget.setLocked(true);
        return widget;
    }

    private static PDAnnotationWidget addSignatureField(PDDocument document, PDPage page, PDSignature signature)
            throws IOException {
        PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
        if (form == null) {
            form = new PDAcroForm(document);
            document.getDocumentCatalog().setAcroForm(form);
        }
        PDSignatureField field = new PDSignatureField(form);
        field.getCOSObject().setItem(COSName.V, signature);
        PDAnnotationWidget widget = field.getWidgets().get(0);
        widget.setPage(page);
        widget.setPrinted(true);
        widget.setLocked(true);

        List<PDField> fields = new ArrayList<>(form.getFields());
        fields.add(field);
        form.setFields(fields);
        addAnnotation(page, widget);
        return widget;
    }

    /**
     * A strip of a cross-page seal on a page other than the signature's own: a locked stamp annotation, written in
     * the same revision as the signature, so the signature covers it like the rest of the document.
     */
    private static PDAnnotation addStrip(PDPage page) {
        PDAnnotation strip = new PDAnnotationRubberStamp();
        strip.setPrinted(true);
        strip.setLocked(true);
        strip.setReadOnly(true);
        strip.setPage(page);
        addAnnotation(page, strip);
        return strip;
    }

    private static void addAnnotation(PDPage page, PDAnnotation annotation) {
        try {
            List<PDAnnotation> annotations = new ArrayList<>(page.getAnnotations());
            annotations.add(annotation);
            page.setAnnotations(annotations);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Draws strip {@code strip} of {@code strips} of the seal (the whole seal when there is one strip). */
    private static void drawSeal(PDDocument document, PDPage page, PDAnnotation widget, SealRequest request,
                                 SealPlacement placement, int strip, int strips) throws IOException {
        SealAppearance look = request.appearance();
        float fullWidth = (float) (look.widthMm() * POINTS_PER_MM);
        float width = fullWidth / strips;
        float height = (float) (look.heightMm() * POINTS_PER_MM);
        int rotation = ((page.getRotation() % 360) + 360) % 360;
        SealPlacement where = placement;
        if (strips > 1) {
            // the strip's centre sits half a strip in from the outer (right) edge of the page as displayed
            PDRectangle crop = page.getCropBox();
            float visibleWidth = rotation == 90 || rotation == 270 ? crop.getHeight() : crop.getWidth();
            where = new SealPlacement(placement.page(), (visibleWidth - width / 2) / POINTS_PER_MM, placement.yMm());
        }
        widget.setRectangle(rectangleOnPage(page, rotation, where, width, height));
        if (look.handwriting() != null) {
            drawHandwriting(document, widget, look.handwriting(), width, height, rotation);
            return;
        }

        PDImageXObject image;
        try {
            image = EncodedImage.into(document, look.image());
        } catch (IOException | IllegalArgumentException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, "The seal image cannot be read: " + e.getMessage());
        }
        int pdfaPart = PdfA.part(document);
        if (pdfaPart == 1) {
            // PDF/A-1 forbids the soft mask that carries the PNG's transparency: a sealed PDF/A-1 would stop being
            // PDF/A. A 1-bit mask keeps the seal's shape within the rules (PDF/A-2 and later allow soft masks).
            PdfA.replaceSoftMask(document, image);
        }
        PDAppearanceStream stream = new PDAppearanceStream(document);
        stream.setResources(new PDResources());
        if (pdfaPart > 0 && PdfA.needsDefaultRgb(document)) {
            // the seal image is DeviceRGB, which PDF/A allows only with an RGB output intent (e.g. not with CMYK)
            PdfA.defaultRgbIsSrgb(document, stream.getResources());
        }
        stream.setBBox(new PDRectangle(width, height));
        // The page turns the annotation with it; turn the drawing back so the seal stands upright for the reader.
        if (rotation != 0) {
            Matrix matrix = Matrix.getRotateInstance(Math.toRadians(rotation), 0, 0);
            stream.setMatrix(matrix.createAffineTransform());
        }
        try (PDPageContentStream content = new PDPageContentStream(document, stream)) {
            // the bounding box shows only this strip of the whole image
            content.drawImage(image, -strip * width, 0, fullWidth, height);
        }
        PDAppearanceDictionary appearance = new PDAppearanceDictionary();
        appearance.setNormalAppearance(stream);
        widget.setAppearance(appearance);
    }

    /**
     * A handwritten signature: vector paths, with the capture kept in the appearance form (so the signature of this
     * revision covers it), turned back against the page's rotation like a seal.
     */
    private static void drawHandwriting(PDDocument document, PDAnnotation widget, Handwriting capture, float width,
                                        float height, int rotation) throws IOException {
        PDAppearanceStream stream = new PDAppearanceStream(
                HandwritingAppearance.form(document, capture, width, height).getCOSObject());
        if (rotation != 0) {
            stream.setMatrix(Matrix.getRotateInstance(Math.toRadians(rotation), 0, 0).createAffineTransform());
        }
        PDAppearanceDictionary appearance = new PDAppearanceDictionary();
        appearance.setNormalAppearance(stream);
        widget.setAppearance(appearance);
    }

    /**
     * A capture names the document it was made for (its SHA-256 and length); the revision is written onto exactly
     * those bytes or not at all, so the capture cannot be put on another document.
     */
    private static void refuseIfCapturedForAnotherDocument(RandomAccessRead source, Handwriting capture) {
        try {
            long length = source.length();
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            source.seek(0);
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = source.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            source.seek(0);
            String sha256 = java.util.HexFormat.of().formatHex(digest.digest());
            if (length != capture.documentLength() || !sha256.equals(capture.documentSha256())) {
                throw new RejectedException(Problem.CAPTURE_FOR_ANOTHER_DOCUMENT, "The handwritten signature was "
                        + "captured for document " + capture.documentSha256() + ", not for this one (" + sha256 + ").");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the PDF cannot be read: " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The QR code at its natural size (module size of {@link cn.yinxin.core.qr.QrOptions#DEFAULT}), centred where
     * asked or in the bottom-left corner, as a locked stamp annotation of this revision.
     */
    private static void addQrCode(PDDocument document, PDPage page, int pageNumber, QrCode qr) throws IOException {
        cn.yinxin.core.qr.QrSymbol symbol;
        try {
            symbol = cn.yinxin.core.qr.QrSymbol.encode(qr.text());
        } catch (RuntimeException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, "The QR code cannot be made: " + e.getMessage());
        }
        PDRectangle natural = cn.yinxin.core.qr.QrStamp.naturalRectangle(symbol, qr.caption(), 0, 0);
        int rotation = ((page.getRotation() % 360) + 360) % 360;
        double x = qr.xMm() != null ? qr.xMm() : QrCode.MARGIN_MM + natural.getWidth() / POINTS_PER_MM / 2;
        double y;
        if (qr.yMm() != null) {
            y = qr.yMm();
        } else {
            PDRectangle crop = page.getCropBox();
            float visibleHeight = rotation == 90 || rotation == 270 ? crop.getWidth() : crop.getHeight();
            y = visibleHeight / POINTS_PER_MM - QrCode.MARGIN_MM - natural.getHeight() / POINTS_PER_MM / 2;
        }
        PDRectangle where = rectangleOnPage(page, rotation, new SealPlacement(pageNumber, x, y),
                natural.getWidth(), natural.getHeight());
        cn.yinxin.core.qr.QrStamp.addTo(document, page, symbol, where, qr.caption());
    }

    /** The widget rectangle in unrotated user space for a centre given in millimetres from the visible top-left. */
    static PDRectangle rectangleOnPage(PDPage page, int rotation, SealPlacement placement, float width, float height) {
        PDRectangle crop = page.getCropBox();
        boolean sideways = rotation == 90 || rotation == 270;
        float visibleWidth = sideways ? crop.getHeight() : crop.getWidth();
        float visibleHeight = sideways ? crop.getWidth() : crop.getHeight();
        float dx = (float) (placement.xMm() * POINTS_PER_MM);
        float dy = (float) (placement.yMm() * POINTS_PER_MM);
        if (dx < 0 || dy < 0 || dx > visibleWidth || dy > visibleHeight) {
            throw new RejectedException(Problem.PLACEMENT_OUTSIDE_PAGE, String.format(
                    "The seal centre (%.1f mm, %.1f mm) is outside the page, which is %.1f mm x %.1f mm.",
                    placement.xMm(), placement.yMm(), visibleWidth / POINTS_PER_MM, visibleHeight / POINTS_PER_MM));
        }
        float cx;
        float cy;
        switch (rotation) {
            case 90 -> {
                cx = crop.getLowerLeftX() + dy;
                cy = crop.getLowerLeftY() + dx;
            }
            case 180 -> {
                cx = crop.getUpperRightX() - dx;
                cy = crop.getLowerLeftY() + dy;
            }
            case 270 -> {
                cx = crop.getUpperRightX() - dy;
                cy = crop.getUpperRightY() - dx;
            }
            default -> {
                cx = crop.getLowerLeftX() + dx;
                cy = crop.getUpperRightY() - dy;
            }
        }
        float w = sideways ? height : width;
        float h = sideways ? width : height;
        return new PDRectangle(cx - w / 2, cy - h / 2, w, h);
    }

    /**
     * The seal maker's chain, for the validation data of a national-mode stamp: its certificate (from the SESeal)
     * and the signer's chain from the CA that issued it (Yinxin's seal maker is certified by the seal CA); only the
     * maker's certificate when that CA is not in the signer's chain.
     */
    private static List<X509Certificate> makerChain(SealRequest request) throws GeneralSecurityException {
        X509Certificate maker = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509",
                cn.yinxin.core.pki.Providers.bouncyCastle()).generateCertificate(
                new java.io.ByteArrayInputStream(request.nationalSeal().makerCertificate()));
        List<X509Certificate> chain = new ArrayList<>(List.of(maker));
        List<X509Certificate> signer = request.key().chain();
        for (int i = 0; i < signer.size(); i++) {
            if (signer.get(i).getSubjectX500Principal().equals(maker.getIssuerX500Principal())) {
                chain.addAll(signer.subList(i, signer.size()));
                break;
            }
        }
        return chain;
    }

    /** Room for a national-mode SES_Signature: its seal (image included), the signer's certificate, a time-stamp. */
    private static int nationalRoom(SealRequest request) {
        if (request.nationalSeal() == null) {
            return 0;
        }
        try {
            return request.nationalSeal().der().length + request.key().certificate().getEncoded().length
                    + TIMESTAMP_ROOM + 1024;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }

    private static int signatureSize(SealRequest request) {
        int size = SIGNATURE_OVERHEAD;
        try {
            for (X509Certificate certificate : request.key().chain()) {
                size += certificate.getEncoded().length;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
        return size;
    }
}
