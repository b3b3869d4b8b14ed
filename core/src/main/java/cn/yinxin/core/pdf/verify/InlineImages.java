package cn.yinxin.core.pdf.verify;

import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * What an inline image (BI ... ID ... EI in a content stream) costs before PDFBox makes it. PDFBox's PDInlineImage
 * decodes every filter of the image when it is made, before anything is drawn and without any limit: a fax image
 * declaring 65,535 x 65,535 pixels allocated its 537 MB raster, a JPEG its whole frame (no subsampling), a few hundred
 * KB of Flate data the gigabytes they inflate to. The raw scan of the file sees only the content stream around them.
 */
public final class InlineImages {

    /** The cost of one inline image: why it is not to be made (null when it may be), and its JPEG frame's cost. */
    public record Cost(String refusal, JpegRaster.Cost jpeg) {
    }

    private InlineImages() {
    }

    /**
     * @param limit the most bytes the image may decode to (its filters up to an image filter; a fax raster as declared)
     */
    public static Cost of(COSDictionary parameters, byte[] data, long limit) {
        long fax = FaxRaster.declaredBytes(parameters);
        if (fax > limit) {
            return new Cost("an inline fax image of " + fax + " bytes", JpegRaster.Cost.NONE);
        }
        List<COSName> filters = DecodeBudget.filters(parameters.getDictionaryObject(COSName.FILTER, COSName.F));
        byte[] decoded;
        // the filters before an image filter, counted as they decode (what PDFBox would keep whole)
        try (DecodeBudget budget = new DecodeBudget(VerificationLimits.DEFAULT.withStreamBytes(limit, limit),
                Clock.systemUTC())) {
            decoded = budget.decode(new ByteArrayInputStream(data), filters, parameters, true, limit);
        } catch (LimitExceededException e) {
            return new Cost("an inline image decoding to more than " + limit + " bytes", JpegRaster.Cost.NONE);
        } catch (IOException | RuntimeException e) {
            return new Cost(null, JpegRaster.Cost.NONE); // PDFBox fails on it as quickly
        }
        if (!filters.contains(COSName.DCT_DECODE) && !filters.contains(COSName.DCT_DECODE_ABBREVIATION)) {
            return new Cost(null, JpegRaster.Cost.NONE);
        }
        try {
            return new Cost(null, JpegRaster.cost(new ByteArrayInputStream(decoded == null ? data : decoded)));
        } catch (IOException e) {
            return new Cost(null, JpegRaster.Cost.NONE);
        }
    }
}
