package cn.yinxin.core.pdf.sign;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SigningSupport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HexFormat;
import java.util.TimeZone;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The increment of a signature written with the placeholder as one block is the increment PDFBox writes itself,
 * byte for byte (but the second /ID string, which PDFBox makes from the clock), and so is the document once the
 * signature is set.
 */
class SignatureIncrementTest {

    private static final int ROOM = 9_000;
    private static final Pattern SECOND_ID = Pattern.compile("(/ID ?\\[ ?<[0-9A-F]+> ?<)([0-9A-F]+)(>)");

    @Test
    void theIncrementIsWhatPdfBoxWrites() throws IOException {
        byte[] original = onePage();
        byte[] cms = new byte[1234];
        for (int i = 0; i < cms.length; i++) {
            cms[i] = (byte) (i * 37 + 11); // every hex digit, upper and lower half of the byte
        }

        Written ours = write(original, cms, true);
        Written pdfBox = write(original, cms, false);

        assertThat(withoutSecondId(ours.content)).isEqualTo(withoutSecondId(pdfBox.content));
        assertThat(withoutSecondId(ours.document)).isEqualTo(withoutSecondId(pdfBox.document));
        // the placeholder itself: '<', two uppercase digits a byte, '>' between the two ranges
        String text = new String(ours.document, StandardCharsets.ISO_8859_1);
        int start = text.lastIndexOf("/Contents <") + "/Contents ".length();
        assertThat(text.substring(start + 1, start + 1 + 2 * cms.length))
                .isEqualTo(HexFormat.of().withUpperCase().formatHex(cms));
        assertThat(text.charAt(start + 1 + 2 * ROOM)).isEqualTo('>');
    }

    private record Written(byte[] content, byte[] document) {
    }

    private static Written write(byte[] original, byte[] cms, boolean ours) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RandomAccessReadBuffer source = new RandomAccessReadBuffer(original);
        byte[] content;
        try (PDDocument document = Loader.loadPDF(source); SignatureOptions options = new SignatureOptions()) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(COSName.getPDFName("ETSI.CAdES.detached"));
            Calendar time = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
            time.setTimeInMillis(1_780_000_000_000L);
            signature.setSignDate(time);
            options.setPreferredSignatureSize(ROOM);
            document.addSignature(signature, options);
            SigningSupport external = ours ? SignatureIncrement.write(document, source, signature, out)
                    : (SigningSupport) document.saveIncrementalForExternalSigning(out);
            try (external; InputStream in = external.getContent()) {
                content = in.readAllBytes();
                external.setSignature(cms);
            }
        }
        return new Written(content, out.toByteArray());
    }

    private static byte[] onePage() throws IOException {
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    private static String withoutSecondId(byte[] pdf) {
        return SECOND_ID.matcher(new String(pdf, StandardCharsets.ISO_8859_1)).replaceAll("$1-$3");
    }
}
