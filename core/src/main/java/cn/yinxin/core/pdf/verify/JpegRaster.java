package cn.yinxin.core.pdf.verify;

import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;

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
     * The samples (width x height x components) the frame of a JPEG image declares, 0 when the image is no JPEG or
     * its frame header cannot be found (PDFBox then fails on it quickly).
     */
    public static long declaredSamples(PDImage image) {
        if (!(image.getCOSObject() instanceof COSDictionary entries)) {
            return 0;
        }
        List<COSName> filters = DecodeBudget.filters(entries.getDictionaryObject(COSName.FILTER, COSName.F));
        if (!filters.contains(COSName.DCT_DECODE) && !filters.contains(COSName.DCT_DECODE_ABBREVIATION)) {
            return 0;
        }
        // the filters before DCTDecode are applied (PDFBox would apply them to draw it); the JPEG is read to its frame
        try (InputStream jpeg = image.createInputStream(List.of(COSName.DCT_DECODE.getName(),
                COSName.DCT_DECODE_ABBREVIATION.getName()))) {
            return frameSamples(jpeg);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The samples of the first frame header (SOF0 to SOF15) of a JPEG, read marker by marker; 0 when there is none. */
    static long frameSamples(InputStream jpeg) throws IOException {
        if (jpeg.read() != 0xff || jpeg.read() != 0xd8) {
            return 0;
        }
        while (true) {
            int b = jpeg.read();
            if (b < 0) {
                return 0;
            }
            if (b != 0xff) {
                continue;
            }
            int marker = jpeg.read();
            while (marker == 0xff) {
                marker = jpeg.read();
            }
            if (marker < 0 || marker == 0xd9 || marker == 0xda) {
                return 0; // EOI, or a scan before any frame
            }
            if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd8) {
                continue;
            }
            int length = (jpeg.read() << 8) | jpeg.read();
            if (length < 2) {
                return 0;
            }
            boolean frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (frame) {
                jpeg.read(); // sample precision
                long height = (jpeg.read() << 8) | jpeg.read();
                long width = (jpeg.read() << 8) | jpeg.read();
                int components = jpeg.read();
                return components < 0 ? 0 : width * height * Math.max(1, components);
            }
            jpeg.skipNBytes(length - 2);
        }
    }
}
