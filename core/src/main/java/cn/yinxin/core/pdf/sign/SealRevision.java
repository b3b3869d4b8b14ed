package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.PdfDocuments;
import cn.yinxin.core.pdf.PdfLimits;
import cn.yinxin.core.pdf.handwriting.CaptureBinding;
import cn.yinxin.core.pdf.handwriting.Handwriting;
import cn.yinxin.core.pdf.sign.appearance.QrCodeDrawing;
import cn.yinxin.core.pdf.sign.appearance.SealDrawing;
import cn.yinxin.core.pki.cms.CadesSigner;
import cn.yinxin.core.pki.cms.CmsFlavour;
import cn.yinxin.core.pki.cms.TimeStamper;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SigningSupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;

/**
 * One seal's incremental update: the document read from its source, the checks a new signature must pass (DocMDP,
 * the capture's document, the field), the signature dictionary, its field and widgets, the drawing, and the
 * signature value written into the reserved /Contents.
 */
final class SealRevision {

    /** One signature written, and the TSA's chain when it was time-stamped (empty otherwise). */
    record Signed(SealPlacement placement, List<X509Certificate> tsaChain) {
    }

    /** Where the seal goes once anchors and fields are resolved, and the request as it is drawn. */
    private record Target(SealRequest request, SealPlacement placement, SignatureFields.EmptyField emptyField) {
    }

    private final TimeStamper timeStamper;
    private final PdfLimits limits;
    private final CmsFlavour cmsFlavour;
    private final ContentsRoom rooms;

    SealRevision(TimeStamper timeStamper, PdfLimits limits, CmsFlavour cmsFlavour, ContentsRoom rooms) {
        this.timeStamper = timeStamper;
        this.limits = limits;
        this.cmsFlavour = cmsFlavour;
        this.rooms = rooms;
    }

    /** Reads the document from {@code source} and writes it, with one more signature, to {@code out}. */
    Signed write(RandomAccessRead source, OutputStream out, SealRequest request, StreamCacheCreateFunction cache)
            throws GeneralSecurityException {
        CadesSigner signer = new CadesSigner(request.key(), cmsFlavour);
        TimeStamper stamper = request.level().atLeast(SignatureLevel.B_T) ? timeStamper : null;
        Handwriting handwriting = request.appearance().handwriting();
        if (handwriting != null) {
            CaptureBinding.refuseIfCapturedForAnotherDocument(source, handwriting);
        }
        try (PDDocument document = PdfDocuments.openForChange(source, limits, cache)) {
            DocMdp.refuseIfCertifiedWithoutChanges(document);
            if (request.certification() != null) {
                DocMdp.refuseIfAlreadySigned(document);
            }
            Target target = target(document, request);
            request = target.request();
            SealPlacement placement = target.placement();
            PDPage page = SignatureFields.page(document, placement.page());
            PDSignature signature = signatureDictionary(request);
            if (request.certification() != null) {
                DocMdp.certify(document, signature, request.certification());
            }
            List<PDPage> crossPages = SignatureFields.crossPages(document, placement);
            if (crossPages != null && handwriting != null) {
                throw new RejectedException(Problem.INVALID_REQUEST, "A handwritten signature is not cut across pages.");
            }
            PDAnnotationWidget widget = target.emptyField() != null
                    ? SignatureFields.fill(target.emptyField(), page, signature)
                    : SignatureFields.addSignatureField(document, crossPages == null ? page : crossPages.get(0),
                    signature);
            List<PDAnnotation> strips = strips(widget, crossPages);
            try (SignatureOptions options = new SignatureOptions()) {
                int room = rooms.room(request, stamper != null);
                options.setPreferredSignatureSize(room);
                // PDFBox treats a signature without a visual template as invisible and blanks the widget,
                // so the appearance is drawn after addSignature.
                document.addSignature(signature, options);
                draw(document, page, request, placement, crossPages, strips);
                try (SigningSupport external = SignatureIncrement.write(document, source, signature, out)) {
                    byte[] cms = SignatureValue.sign(external, signature, request, signer, stamper, timeStamper);
                    rooms.wrote(request, stamper != null, cms.length, room);
                    external.setSignature(cms);
                    return new Signed(placement, stamper == null ? List.of()
                            : LongTermValidation.tokenCertificates(SignatureValue.signatureTimeStamp(cms)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sealing failed while writing the PDF", e);
        }
    }

    /**
     * The placement with its anchor text resolved, or the prepared field's place; a handwritten signature takes the
     * size of the field the author prepared for it.
     */
    private static Target target(PDDocument document, SealRequest request) {
        SealPlacement placement = request.placement().anchor() == null ? request.placement()
                : TextAnchors.find(document, request.placement().page() == 0 ? null : request.placement().page(),
                        request.placement().anchor());
        if (placement.field() == null) {
            return new Target(request, placement, null);
        }
        SignatureFields.EmptyField emptyField = SignatureFields.emptyField(document, placement.field());
        Handwriting handwriting = request.appearance().handwriting();
        if (handwriting != null) {
            request = new SealRequest(request.key(), SealAppearance.handwritten(handwriting,
                    emptyField.widthMm(), emptyField.heightMm()), request.placement(), request.sealName(),
                    request.reason(), request.signingTime(), request.level(), request.certification(),
                    request.qr());
        }
        return new Target(request, emptyField.placement(), emptyField);
    }

    /** The signature dictionary: PAdES (ETSI.CAdES.detached), the seal's name, the reason, the signing time. */
    private static PDSignature signatureDictionary(SealRequest request) {
        PDSignature signature = new PDSignature();
        signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
        signature.setSubFilter(PdfSealer.ETSI_CADES_DETACHED);
        signature.setName(request.sealName());
        if (request.reason() != null) {
            signature.setReason(request.reason());
        }
        Calendar time = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        time.setTimeInMillis(request.signingTime().toEpochMilli());
        signature.setSignDate(time);
        return signature;
    }

    /** The widget, then one locked stamp annotation per further page of a cross-page seal. */
    private static List<PDAnnotation> strips(PDAnnotationWidget widget, List<PDPage> crossPages) {
        List<PDAnnotation> strips = new ArrayList<>();
        strips.add(widget);
        if (crossPages != null) {
            crossPages.subList(1, crossPages.size()).forEach(p -> strips.add(SignatureFields.addStrip(p)));
        }
        return strips;
    }

    /** The seal (whole, or one strip per page) and the QR code, all in this revision. */
    private static void draw(PDDocument document, PDPage page, SealRequest request, SealPlacement placement,
                             List<PDPage> crossPages, List<PDAnnotation> strips) throws IOException {
        if (crossPages == null) {
            SealDrawing.drawSeal(document, page, strips.get(0), request.appearance(), placement, 0, 1);
        } else {
            for (int i = 0; i < strips.size(); i++) {
                SealDrawing.drawSeal(document, crossPages.get(i), strips.get(i), request.appearance(), placement, i,
                        strips.size());
            }
        }
        if (request.qr() != null) {
            QrCodeDrawing.addQrCode(document, page, placement.page(), request.qr());
        }
    }
}
