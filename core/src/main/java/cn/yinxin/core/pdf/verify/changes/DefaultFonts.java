package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;

import java.util.Set;
import java.util.TreeSet;

/**
 * The interactive form's default fonts (/DR /Font, an object of its own) given new names after signing: PDFBox adds
 * /Helv and /ZaDb to them whenever a program opens the form (its AcroForm default fix-up), so EU DSS signing a second
 * field of a form redefined the object and failed the first signature. A new name changes nothing already drawn:
 * every name the signed form had keeps its font, and no /DA of the signed form (the form's own, a field's, a
 * widget's) names a new one, so no viewer that draws a value from the defaults finds a font it lacked when signed.
 * The new fonts must be standard Type 1 fonts (one of the 14 every viewer has, no font program, a standard encoding),
 * as PDFBox writes them: the dictionary is often also the resources of a field's appearance (PDFBox copies /DR
 * there), and a content stream naming a font its resources lacked is drawn with a substitute font by viewers (PDFBox
 * uses Helvetica), which a standard font at most replaces by another standard shape, while the visual proof still
 * compares the pages. A font of another kind (poppler's pdfsig adds /popplerfont, a Type0 font with a program, for
 * the widget of the signature it adds) is cleared only when no stream the signed revision draws with this dictionary
 * names it ({@link SignedDrawing}). Where viewers draw fields from the defaults (/NeedAppearances, a widget without
 * an appearance) nothing is cleared.
 */
final class DefaultFonts {

    private static final Set<String> STANDARD_14 = Set.of("Times-Roman", "Times-Bold", "Times-Italic",
            "Times-BoldItalic", "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier",
            "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Symbol", "ZapfDingbats");
    private static final Set<String> STANDARD_ENCODINGS = Set.of("WinAnsiEncoding", "StandardEncoding",
            "MacRomanEncoding");
    private static final Set<COSName> FONT_KEYS = Set.of(COSName.TYPE, COSName.SUBTYPE, COSName.BASE_FONT,
            COSName.ENCODING, COSName.NAME);

    private DefaultFonts() {
    }

    /**
     * Clears the default font dictionary of {@code after} (at {@link ModificationLevel#LTA_UPDATES}) when it is the
     * same object as in {@code before}, draws nothing on a page, and only gained names no signed /DA uses.
     */
    static void clearAddedNames(RevisionDiff diff, Clearance clearance, COSDictionary before, COSDictionary after) {
        if (!(before.getDictionaryObject(COSName.DR) instanceof COSDictionary resourcesBefore)
                || !(after.getDictionaryObject(COSName.DR) instanceof COSDictionary resourcesAfter)) {
            return;
        }
        COSBase itemAfter = resourcesAfter.getItem(COSName.FONT);
        COSObjectKey key = RevisionDiff.key(itemAfter);
        if (key == null || !key.equals(RevisionDiff.key(resourcesBefore.getItem(COSName.FONT)))
                || !diff.isRedefined(key)
                || !(diff.oldObject(key) instanceof COSDictionary was)
                || !(RevisionDiff.resolve(itemAfter) instanceof COSDictionary is)) {
            return;
        }
        Set<String> added = new TreeSet<>();
        Set<String> programs = new TreeSet<>();
        for (COSName name : RevisionDiff.changedKeys(was, is)) {
            if (was.getItem(name) != null || !(is.getDictionaryObject(name) instanceof COSDictionary font)) {
                return; // a font the signed form had was replaced or removed
            }
            added.add(name.getName());
            if (!standardType1(font)) {
                programs.add(name.getName());
            }
        }
        if (added.isEmpty() || named(before.getString(COSName.DA), added) || anyNodeNames(before, added)
                || !programs.isEmpty() && !SignedDrawing.namesNone(diff, key, programs)) {
            return;
        }
        clearance.clear(key, ModificationLevel.LTA_UPDATES);
        clearance.report(Finding.of("FORM_CHANGED", null, ModificationLevel.LTA_UPDATES, "fonts the signed form "
                + "does not use were added to its default resources (/DR /Font): /" + String.join(", /", added)));
    }

    /** Whether a field or widget of the form's tree has a /DA naming one of {@code names} (or the tree is too large). */
    private static boolean anyNodeNames(COSDictionary form, Set<String> names) {
        return FormFields.anyNode(form, node -> named(node.getString(COSName.DA), names));
    }

    /** One of the 14 standard Type 1 fonts, without a font program or glyph widths of its own, standard encoded. */
    static boolean standardType1(COSDictionary font) {
        COSBase encoding = font.getItem(COSName.ENCODING);
        return COSName.TYPE1.equals(font.getCOSName(COSName.SUBTYPE)) && font.getCOSName(COSName.BASE_FONT) != null
                && STANDARD_14.contains(font.getCOSName(COSName.BASE_FONT).getName())
                && FONT_KEYS.containsAll(font.keySet())
                && (encoding == null
                || encoding instanceof COSName name && STANDARD_ENCODINGS.contains(name.getName()));
    }

    private static boolean named(String appearance, Set<String> names) {
        return appearance != null && names.stream().anyMatch(name -> appearance.contains("/" + name));
    }
}
