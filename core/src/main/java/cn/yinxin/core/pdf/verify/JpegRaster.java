package cn.yinxin.core.pdf.verify;

import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * What a JPEG image (DCTDecode) will cost when it is drawn, judged from its frame header before PDFBox decodes it.
 * The JDK's decoder walks every 8 x 8 block of the frame the JPEG declares, however small the picture is drawn and
 * however little coded data follows (a truncated scan is finished with empty blocks): a 335-byte JPEG declaring
 * 40,000 x 40,000 pixels took 5 s to draw, 65,535 x 65,535 about 15 s, inside one page's drawing where the time limit
 * does not reach.
 */
public final class JpegRaster {

    private JpegRaster() {
    }

    /**
     * What decoding a JPEG costs: the samples its frame declares (width x height x components), and those times its
     * scans (a progressive JPEG's decoder walks the whole image once per scan).
     */
    public record Cost(long samples, long walks) {
        static final Cost NONE = new Cost(0, 0);
    }

    /**
     * The cost of drawing a JPEG image as its markers declare it, {@link Cost#NONE} when the image is no JPEG or its
     * frame header cannot be found (PDFBox then fails on it quickly).
     */
    public static Cost declared(PDImage image) {
        if (!(image.getCOSObject() instanceof COSDictionary entries)) {
            return Cost.NONE;
        }
        List<COSName> filters = DecodeBudget.filters(entries.getDictionaryObject(COSName.FILTER, COSName.F));
        if (!filters.contains(COSName.DCT_DECODE) && !filters.contains(COSName.DCT_DECODE_ABBREVIATION)) {
            return Cost.NONE;
        }
        // the filters before DCTDecode are applied (PDFBox would apply them to draw it); the JPEG is read marker by marker
        try (InputStream jpeg = new BufferedInputStream(image.createInputStream(List.of(COSName.DCT_DECODE.getName(),
                COSName.DCT_DECODE_ABBREVIATION.getName())))) {
            return cost(jpeg);
        } catch (IOException | RuntimeException e) {
            return Cost.NONE;
        }
    }

    /** The frame's samples (SOF0 to SOF15) and its scans (SOS), counted up to {@link #MAX_SCANS}. */
    static Cost cost(InputStream jpeg) throws IOException {
        if (jpeg.read() != 0xff || jpeg.read() != 0xd8) {
            return Cost.NONE;
        }
        long samples = 0;
        int scans = 0;
        int marker = nextMarker(jpeg);
        while (marker >= 0 && marker != 0xd9 && scans < MAX_SCANS) {
            if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd8) {
                marker = nextMarker(jpeg);
                continue;
            }
            int length = (jpeg.read() << 8) | jpeg.read();
            if (length < 2) {
                break;
            }
            if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc && samples == 0) {
                jpeg.read(); // sample precision
                long height = (jpeg.read() << 8) | jpeg.read();
                long width = (jpeg.read() << 8) | jpeg.read();
                samples = width * height * Math.max(1, jpeg.read());
                jpeg.skipNBytes(length - 8);
            } else {
                jpeg.skipNBytes(length - 2);
            }
            if (marker == 0xda) {
                scans++;
            }
            marker = nextMarker(jpeg); // past a scan's entropy-coded data, whose 0xff bytes are stuffed (0xff00)
        }
        return samples == 0 ? Cost.NONE : new Cost(samples, samples * Math.max(1, scans));
    }

    /** More scans are not counted: past the verifier's image-scans limit the document is not drawn at all. */
    static final int MAX_SCANS = 1_000;

    /** The next marker code: the byte after a 0xff that is neither stuffing (0x00) nor a fill (0xff); -1 at the end. */
    private static int nextMarker(InputStream jpeg) throws IOException {
        int b = jpeg.read();
        while (b >= 0) {
            if (b == 0xff) {
                int code = jpeg.read();
                while (code == 0xff) {
                    code = jpeg.read();
                }
                if (code != 0x00 && !(code >= 0xd0 && code <= 0xd7)) {
                    return code;
                }
            }
            b = jpeg.read();
        }
        return -1;
    }
}
