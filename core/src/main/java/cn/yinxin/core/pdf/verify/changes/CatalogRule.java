package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.verify.DecodeBudget;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The document catalog and the trailer. The trailer must name the same catalog and add no encryption. In the
 * catalog, the entries real extending tools rewrite are cleared when they cannot change what is shown: the form,
 * the validation data, the XMP metadata, the logical structure (tags), the declared version and extensions, an
 * /OpenAction that only opens a page, /Perms losing its usage rights (never its DocMDP), and a first output intent
 * that is exactly sRGB ({@link SrgbOutputIntent}: EU DSS adds one with a visible signature). Each of those values
 * is judged further by its own rule. Everything else (/Pages, /OCProperties, /Names, /AA, /PageLabels...) is not
 * allowed.
 */
final class CatalogRule implements ChangeRule {

    static final COSName DSS = COSName.getPDFName("DSS");
    private static final COSName EXTENSIONS = COSName.getPDFName("Extensions");
    private static final COSName OC_PROPERTIES = COSName.getPDFName("OCProperties");
    private static final COSName UR = COSName.getPDFName("UR");
    private static final COSName UR3 = COSName.getPDFName("UR3");
    /** Entries whose value another rule judges, or which only describe the file. */
    private static final Set<COSName> HOUSEKEEPING = Set.of(COSName.ACRO_FORM, DSS, COSName.METADATA,
            COSName.STRUCT_TREE_ROOT, COSName.MARK_INFO, COSName.LANG, COSName.VERSION, EXTENSIONS, COSName.TYPE);

    /** Where an output intent's profile is decoded (within the verification's limits). */
    private final DecodeBudget budget;

    CatalogRule(DecodeBudget budget) {
        this.budget = budget;
    }

    @Override
    public void apply(RevisionDiff diff, Clearance clearance) {
        COSBase rootBefore = diff.before().getDocument().getTrailer().getItem(COSName.ROOT);
        COSBase rootAfter = diff.after().getDocument().getTrailer().getItem(COSName.ROOT);
        COSObjectKey keyBefore = RevisionDiff.key(rootBefore);
        COSObjectKey keyAfter = RevisionDiff.key(rootAfter);
        if (!Objects.equals(keyBefore, keyAfter)) {
            clearance.report(Finding.of("CATALOG_CHANGED", null, ModificationLevel.OTHER, "the trailer names "
                    + "another catalog (object " + keyAfter + " instead of " + keyBefore + ")"), keyBefore);
            return;
        }
        if (diff.before().getDocument().getTrailer().getItem(COSName.ENCRYPT) == null
                && diff.after().getDocument().getTrailer().getItem(COSName.ENCRYPT) != null) {
            clearance.report(Finding.of("CATALOG_CHANGED", null, ModificationLevel.OTHER,
                    "encryption was added to the document after signing"));
        }
        if (!diff.isRedefined(keyAfter)) {
            return;
        }
        COSDictionary before = diff.oldCatalog();
        COSDictionary after = diff.newCatalog();
        List<String> forbidden = new ArrayList<>();
        for (COSName key : RevisionDiff.changedKeys(before, after)) {
            if (HOUSEKEEPING.contains(key)) {
                housekeeping(key, after, clearance, forbidden);
            } else if (COSName.OPEN_ACTION.equals(key) && opensAPageOnly(after.getDictionaryObject(key))) {
                clearance.report(Finding.of("CATALOG_CHANGED", null, ModificationLevel.LTA_UPDATES,
                        "the page the document opens at (/OpenAction) changed"));
            } else if (SrgbOutputIntent.OUTPUT_INTENTS.equals(key)
                    && SrgbOutputIntent.added(before.getItem(key), after.getDictionaryObject(key), budget)) {
                clearance.report(Finding.of("CATALOG_CHANGED", null, ModificationLevel.FORM_FILLING,
                        "an sRGB output intent (/OutputIntents) was added: it states the colours viewers assume "
                                + "already"));
            } else if (COSName.PERMS.equals(key) && onlyUsageRightsRemoved(before.getCOSDictionary(COSName.PERMS),
                    after.getCOSDictionary(COSName.PERMS))) {
                clearance.report(Finding.of("CATALOG_CHANGED", null, ModificationLevel.LTA_UPDATES,
                        "the reader usage rights (/Perms /UR3) were removed"));
            } else {
                forbidden.add(entry(key));
            }
        }
        if (forbidden.isEmpty()) {
            clearance.clear(keyAfter, ModificationLevel.LTA_UPDATES);
        } else {
            for (String description : forbidden) {
                clearance.report(Finding.of("CATALOG_CHANGED", null, ModificationLevel.OTHER, description), keyAfter);
            }
        }
    }

    /** An entry another rule judges or that only describes the file: listed when it changed, refused when removed. */
    private static void housekeeping(COSName key, COSDictionary after, Clearance clearance, List<String> forbidden) {
        if (DSS.equals(key) && after.getItem(DSS) == null) {
            forbidden.add("the validation data (DSS dictionary) was removed");
        } else if (COSName.TYPE.equals(key) && !COSName.CATALOG.equals(after.getCOSName(key))) {
            forbidden.add("the catalog no longer says it is one (/Type " + (after.getCOSName(key) == null ? "removed"
                    : "/" + after.getCOSName(key).getName()) + "): readers "
                    + "that check it do not open the document");
        } else if (COSName.LANG.equals(key) || COSName.MARK_INFO.equals(key)) {
            clearance.report(Finding.of("CATALOG_CHANGED", null, ModificationLevel.LTA_UPDATES,
                    "the document's /" + key.getName() + " changed: it describes the document and draws "
                            + "nothing"));
        } else if (COSName.VERSION.equals(key) || EXTENSIONS.equals(key)) {
            clearance.report(Finding.of("CATALOG_CHANGED", null, ModificationLevel.LTA_UPDATES,
                    "the PDF version or extensions the document declares (/" + key.getName() + ") changed"));
        }
    }

    /** A destination (or a GoTo action to one, with nothing chained): it moves the view, it runs nothing. */
    static boolean opensAPageOnly(COSBase action) {
        if (action == null || action instanceof COSArray) {
            return true;
        }
        return action instanceof COSDictionary dictionary
                && COSName.getPDFName("GoTo").equals(dictionary.getCOSName(COSName.S))
                && dictionary.getItem(COSName.NEXT) == null
                && !(dictionary.getDictionaryObject(COSName.D) instanceof COSDictionary);
    }

    private static boolean onlyUsageRightsRemoved(COSDictionary before, COSDictionary after) {
        if (before == null || after == null) {
            return before != null && after == null && before.keySet().stream().allMatch(k -> UR.equals(k) || UR3.equals(k));
        }
        for (COSName key : RevisionDiff.changedKeys(before, after)) {
            if (!(UR.equals(key) || UR3.equals(key)) || after.getItem(key) != null) {
                return false;
            }
        }
        return true;
    }

    static String entry(COSName key) {
        if (OC_PROPERTIES.equals(key)) {
            return "the optional content (layer) settings changed: content hidden when the document was signed "
                    + "may now show, or the reverse";
        }
        if (COSName.OPEN_ACTION.equals(key) || COSName.AA.equals(key)) {
            return "the actions run when the document is opened or used (/" + key.getName() + ") changed";
        }
        if (COSName.NAMES.equals(key)) {
            return "the document's name tree (/Names: scripts, embedded files, page templates) changed";
        }
        if (COSName.PERMS.equals(key)) {
            return "the document's permissions (/Perms, the certification) changed";
        }
        if (COSName.PAGES.equals(key)) {
            return "the catalog points at another page tree: the pages shown are not the pages signed";
        }
        return "the catalog entry /" + key.getName() + " changed";
    }
}
