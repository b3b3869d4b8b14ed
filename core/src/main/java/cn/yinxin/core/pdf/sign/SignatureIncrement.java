package cn.yinxin.core.pdf.sign;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.pdfwriter.COSWriter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SigningSupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The incremental update of a signature, written as {@link PDDocument#saveIncrementalForExternalSigning} writes it,
 * byte for byte, but with the signature's /Contents placeholder written in one block.
 *
 * <p>Why: PDFBox writes a hex string one digit at a time, and in an incremental save each digit is a synchronized
 * {@code ByteArrayOutputStream.write(int)} into the writer's buffer; the placeholder holds the whole CMS to come
 * (10-20 KB of zeros, 20-40 K digits). A profile of the seal service (JFR, 2026-12-07) put a fifth of a stamp's
 * request-thread CPU there. Only the placeholder is written differently (same characters: '&lt;', two uppercase hex
 * digits a byte, '&gt;'), so the positions PDFBox records around it, the /ByteRange and the signature written into
 * it later are PDFBox's own; an encrypted document (refused for sealing anyway) is left to PDFBox entirely.
 */
final class SignatureIncrement {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private SignatureIncrement() {
    }

    /**
     * Writes the increment of {@code document} (read from {@code source}, with {@code signature} added by
     * {@code addSignature}) to {@code out}; the caller signs its content, sets the signature and closes it before
     * the document (which closes {@code out}, as PDFBox's own does when the document is closed).
     */
    static SigningSupport write(PDDocument document, RandomAccessRead source, PDSignature signature, OutputStream out)
            throws IOException {
        COSString placeholder = signature.getCOSObject().getItem(COSName.CONTENTS) instanceof COSString s ? s : null;
        if (document.isEncrypted() || placeholder == null || !placeholder.getForceHexForm()) {
            ExternalSigningSupport own = document.saveIncrementalForExternalSigning(out);
            if (own instanceof SigningSupport support) {
                return support; // closed again by the document: closing its streams twice does nothing
            }
            throw new IllegalStateException("PDFBox answered " + own.getClass().getName() + " for external signing");
        }
        Writer writer = new Writer(out, source, placeholder);
        writer.write(document);
        return new SigningSupport(writer);
    }

    /** PDFBox's writer for an incremental update; the one placeholder string written as a block. */
    private static final class Writer extends COSWriter {

        private final COSString placeholder;

        Writer(OutputStream out, RandomAccessRead source, COSString placeholder) throws IOException {
            super(out, source);
            this.placeholder = placeholder;
        }

        @Override
        public void visitFromString(COSString string) throws IOException {
            if (string != placeholder) {
                super.visitFromString(string);
                return;
            }
            byte[] bytes = string.getBytes();
            byte[] hex = new byte[2 * bytes.length + 2];
            hex[0] = '<';
            for (int i = 0; i < bytes.length; i++) {
                hex[1 + 2 * i] = HEX[(bytes[i] >> 4) & 0xf];
                hex[2 + 2 * i] = HEX[bytes[i] & 0xf];
            }
            hex[hex.length - 1] = '>';
            getStandardOutput().write(hex, 0, hex.length);
        }
    }
}
