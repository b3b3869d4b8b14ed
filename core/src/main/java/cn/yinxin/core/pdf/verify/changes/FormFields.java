package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signatures a document's form shows, found by walking the field tree itself: every field whose type (inherited)
 * is /Sig and whose value is a dictionary, terminal or not. PDFBox's typed view takes a signature field with titled
 * kids for a non-terminal field and lists no signature there; a verifier that trusted it would skip a signature the
 * change analysis counts (or hide an earlier seal).
 */
public final class FormFields {

    private FormFields() {
    }

    /** Each field showing a signature dictionary, by fully qualified name, with that dictionary. */
    public static Map<String, Signed> signatures(PDDocument document) {
        return signatures(RevisionDiff.fields(document));
    }

    /** The signatures among {@code fields} (a revision's fields by fully qualified name). */
    static Map<String, Signed> signatures(Map<String, COSDictionary> fields) {
        Map<String, Signed> signatures = new LinkedHashMap<>();
        for (Map.Entry<String, COSDictionary> entry : fields.entrySet()) {
            COSDictionary field = entry.getValue();
            if (COSName.SIG.equals(RevisionDiff.fieldType(field))
                    && field.getDictionaryObject(COSName.V) instanceof COSDictionary value) {
                signatures.put(entry.getKey(), new Signed(field, value));
            }
        }
        return signatures;
    }

    /** A signature dictionary's /ByteRange: four whole numbers, or null. */
    public static long[] byteRange(COSDictionary signature) {
        if (!(signature.getDictionaryObject(COSName.BYTERANGE) instanceof org.apache.pdfbox.cos.COSArray array)
                || array.size() != 4) {
            return null;
        }
        long[] range = new long[4];
        for (int i = 0; i < 4; i++) {
            if (!(array.getObject(i) instanceof org.apache.pdfbox.cos.COSNumber number)) {
                return null;
            }
            range[i] = number.longValue();
        }
        return range;
    }

    /** A signature field and the signature dictionary it shows. */
    public record Signed(COSDictionary field, COSDictionary signature) {
    }
}
