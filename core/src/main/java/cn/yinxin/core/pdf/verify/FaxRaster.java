package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pdf.verify.VerificationLimits.Limit;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;

import java.util.List;

/** What a CCITT fax image will cost when it is drawn, judged from its dictionary before PDFBox decodes it. */
public final class FaxRaster {

    private FaxRaster() {
    }

    /**
     * The raster of a CCITT fax image (CCITTFaxDecode) within the per-stream limit. Decoding stops before the image
     * filter, so the raw scan sees only the coded rows (a white row is one bit); PDFBox's fax decoder then allocates
     * the whole declared raster at once ((Columns + 7) / 8 bytes a row, Rows or Height rows): a 20 KB file declaring
     * 40,000 x 40,000 took 1.2 GB of heap. The declared raster counts as the stream's decoded bytes.
     */
    static void check(COSDictionary dictionary, DecodeBudget budget) {
        long limit = budget.limits().maxStreamBytes();
        if (declaredBytes(dictionary) > limit) {
            throw new LimitExceededException(Limit.STREAM_BYTES, "a stream of the document decodes to more than "
                    + limit + " bytes (the most this verifier decodes for one stream): a compression bomb, or a "
                    + "document too large to verify here");
        }
    }

    /**
     * The bytes PDFBox's fax decoder allocates for an image with this dictionary (an image XObject's, or an inline
     * image's with its abbreviations), 0 when it is no CCITT fax image, Long.MAX_VALUE when absurd.
     */
    public static long declaredBytes(COSDictionary dictionary) {
        if (dictionary == null) {
            return 0;
        }
        List<COSName> filters = DecodeBudget.filters(dictionary.getDictionaryObject(COSName.FILTER, COSName.F));
        int fax = Math.max(filters.indexOf(COSName.CCITTFAX_DECODE), filters.indexOf(COSName.CCITTFAX_DECODE_ABBREVIATION));
        if (fax < 0) {
            return 0;
        }
        COSBase parms = dictionary.getDictionaryObject(COSName.DECODE_PARMS, COSName.DP);
        if (parms instanceof COSArray array) {
            parms = fax < array.size() ? array.getObject(fax) : null;
        }
        COSDictionary fields = parms instanceof COSDictionary d ? d : new COSDictionary();
        long columns = Math.max(1, fields.getLong(COSName.COLUMNS, 1728));
        long rows = Math.max(Math.max(0, fields.getLong(COSName.ROWS, 0)),
                Math.max(0, dictionary.getLong(COSName.HEIGHT, dictionary.getLong(COSName.H, 0))));
        if (columns > Integer.MAX_VALUE || rows > Integer.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return (columns + 7) / 8 * rows;
    }
}
