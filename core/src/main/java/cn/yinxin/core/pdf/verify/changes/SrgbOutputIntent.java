package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.verify.DecodeBudget;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * The sRGB output intent EU DSS adds to a document's catalog when it draws a visible signature into a document that
 * has none (a PDF/A habit: /S /GTS_PDFA1 with the sRGB profile Java ships): its second signer's visible signature made
 * the first signature fail. An output intent can change colours where a viewer takes its profile for the device
 * colours (Acrobat's "output intent overrides working spaces"), so only one that states what every viewer assumes
 * already is cleared: the first output intent of the document, one entry, whose profile is byte for byte a known sRGB
 * profile. Any other profile, a CMYK one, a second intent, or an intent that replaces one the signer saw is not.
 */
final class SrgbOutputIntent {

    static final COSName OUTPUT_INTENTS = COSName.getPDFName("OutputIntents");
    private static final COSName GTS_PDFA1 = COSName.getPDFName("GTS_PDFA1");
    private static final COSName DEST_OUTPUT_PROFILE = COSName.getPDFName("DestOutputProfile");
    private static final COSName DEST_OUTPUT_PROFILE_REF = COSName.getPDFName("DestOutputProfileRef");
    /** A profile larger than this is none of the known ones (sRGB profiles are 3-7 KB); it is not read further. */
    private static final int MAX_PROFILE = 64 * 1024;
    /** SHA-256 of the decoded profiles known to be sRGB: the JDK's (lcms, 6,876 bytes), which EU DSS 6 embeds. */
    private static final Set<String> KNOWN_SRGB = Set.of(
            "87e382b9336e6a0417a4d860173109ab319a029cf2972e19833a3327c65bd7e4");

    private SrgbOutputIntent() {
    }

    /**
     * Whether the catalog's /OutputIntents went from none ({@code before}) to one known sRGB intent ({@code after}).
     */
    static boolean added(COSBase before, COSBase after, DecodeBudget budget) {
        if (before != null || !(after instanceof COSArray intents) || intents.size() != 1
                || !(intents.getObject(0) instanceof COSDictionary intent)
                || !GTS_PDFA1.equals(intent.getCOSName(COSName.S))
                || intent.getItem(DEST_OUTPUT_PROFILE_REF) != null
                || !(intent.getDictionaryObject(DEST_OUTPUT_PROFILE) instanceof COSStream profile)) {
            return false;
        }
        return profile.getInt(COSName.N) == 3 && profile.getItem(COSName.DECODE_PARMS) == null
                && flateOrPlain(profile.getDictionaryObject(COSName.FILTER)) && knownSrgb(profile, budget);
    }

    private static boolean flateOrPlain(COSBase filter) {
        return filter == null || COSName.FLATE_DECODE.equals(filter) || filter instanceof COSArray filters
                && filters.size() == 1 && COSName.FLATE_DECODE.equals(filters.getObject(0));
    }

    /**
     * Decoded through the verification's budget (PDFBox's own decoding would inflate a bomb whole in memory): measured
     * first, read only when no larger than a profile; past the budget's limits the verification stops as for any
     * stream.
     */
    private static boolean knownSrgb(COSStream profile, DecodeBudget budget) {
        byte[] data;
        try {
            if (budget.measure(profile) > MAX_PROFILE) {
                return false;
            }
            data = budget.decode(profile);
        } catch (IOException e) {
            return false;
        }
        try {
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            return KNOWN_SRGB.contains(digest)
                    || Arrays.equals(data, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
