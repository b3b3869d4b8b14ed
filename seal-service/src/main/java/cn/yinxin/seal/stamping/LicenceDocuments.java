package cn.yinxin.seal.stamping;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.Roles;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.IOException;

/**
 * Signing by purpose on the stamping path: a sealed PDF that names a licence (PDF Info {@value PdfVerifier#LICENCE_IDENTIFIER})
 * or says it issues one (reason {@value PdfVerifier#LICENCE_ISSUANCE_REASON}) is what the verifier takes for that
 * licence, answering with the licence's live status. Only the licence service issues licences, so only its client
 * ({@link Roles#LICENCE_SERVICE_CLIENT}) has such documents stamped; an approval system listed on a seal that also
 * issues licences (the sample seal) would otherwise stamp a forged licence PDF naming a genuine, valid licence.
 * Refused with 403 {@code signing-not-permitted} (audited by the stamp as {@code stamp.refused}).
 */
final class LicenceDocuments {

    private LicenceDocuments() {
    }

    static void check(Caller caller, String reason, Pdf pdf) {
        if (caller.has(Roles.LICENCE_SERVICE_CLIENT)) {
            return;
        }
        if (reason != null && reason.strip().startsWith(PdfVerifier.LICENCE_ISSUANCE_REASON)) {
            throw refused("The reason '" + PdfVerifier.LICENCE_ISSUANCE_REASON + "' (licence issuance) is stamped for "
                    + "the licence service only.");
        }
        String identifier = licenceNamed(pdf);
        if (identifier != null) {
            throw refused("The document names licence " + identifier + " (" + PdfVerifier.LICENCE_IDENTIFIER + "): "
                    + "licence documents are stamped for the licence service only.");
        }
    }

    /** The licence the document's Info names, or null (also when it cannot be read: the sealing refuses it then). */
    private static String licenceNamed(Pdf pdf) {
        try (PDDocument document = pdf instanceof Pdf.InMemory bytes
                ? Loader.loadPDF(new RandomAccessReadBuffer(bytes.bytes()))
                : Loader.loadPDF(new RandomAccessReadBufferedFile(((Pdf.InFile) pdf).file()))) {
            // the trailer's Info itself: PDFBox's getDocumentInformation() would add an empty one
            COSDictionary info = document.getDocument().getTrailer().getCOSDictionary(COSName.INFO);
            String identifier = info == null ? null : info.getString(COSName.getPDFName(PdfVerifier.LICENCE_IDENTIFIER));
            return identifier == null || identifier.isBlank() ? null : identifier;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static RejectedException refused(String message) {
        return new RejectedException(Problem.SIGNING_NOT_PERMITTED, message);
    }
}
