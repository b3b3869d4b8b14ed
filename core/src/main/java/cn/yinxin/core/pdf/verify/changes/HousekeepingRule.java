package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Data beside the pages that real tools rewrite when they extend a document, cleared at
 * {@link ModificationLevel#LTA_UPDATES}: the validation data (DSS, PAdES LT), the document information (/Info), the
 * XMP metadata and the logical structure (tags). An object is cleared only when it belongs to that data in the
 * newer revision, played the same part in the older one (or is new), and draws nothing on any page: a font or an
 * image hung into the structure tree stays a font or an image. The title readers show in place of the file name
 * ({@link DocumentTitle}) may not change.
 */
final class HousekeepingRule implements ChangeRule {

    private static final COSName ACTUAL_TEXT = COSName.getPDFName("ActualText");
    private static final COSName ALT = COSName.getPDFName("Alt");
    private static final COSName EXPANSION = COSName.getPDFName("E");
    /** Links from the structure tree to what it describes: the pages and annotations are judged as such. */
    private static final Set<COSName> STRUCTURE_LINKS = Set.of(COSName.getPDFName("Pg"), COSName.getPDFName("Obj"),
            COSName.getPDFName("Stm"), COSName.getPDFName("StmOwn"), COSName.P);
    private static final Set<String> STRUCTURE_TYPES = Set.of("StructTreeRoot", "StructElem", "MCR", "OBJR");

    private record Part(String kind, String description, Function<COSDictionary, COSBase> root, Set<COSName> links,
                        boolean streamsAllowed) {
    }

    private static final Part[] PARTS = {
            new Part("DSS_ADDED", "validation data was added (a DSS dictionary)",
                    catalog -> catalog.getItem(CatalogRule.DSS), Set.of(), true),
            new Part("METADATA_CHANGED", "the document's XMP metadata changed",
                    catalog -> catalog.getItem(COSName.METADATA), Set.of(), true),
            new Part("STRUCTURE_CHANGED", "the document's logical structure (tags for accessibility) changed",
                    catalog -> catalog.getItem(COSName.STRUCT_TREE_ROOT), STRUCTURE_LINKS, false),
    };

    @Override
    public void apply(RevisionDiff diff, Clearance clearance) {
        for (Part part : PARTS) {
            COSBase rootBefore = part.root().apply(diff.oldCatalog());
            COSBase rootAfter = part.root().apply(diff.newCatalog());
            judge(diff, clearance, part, rootBefore, rootAfter);
        }
        COSBase infoBefore = diff.before().getDocument().getTrailer().getItem(COSName.INFO);
        COSBase infoAfter = diff.after().getDocument().getTrailer().getItem(COSName.INFO);
        judge(diff, clearance, new Part("METADATA_CHANGED", "the document information (title, author, dates) "
                + "changed", c -> null, Set.of(), false), infoBefore, infoAfter);
        String title = DocumentTitle.changed(diff.before(), diff.after());
        if (title != null) {
            clearance.report(Finding.of("METADATA_CHANGED", null, ModificationLevel.OTHER, title));
        }
    }

    private static void judge(RevisionDiff diff, Clearance clearance, Part part, COSBase rootBefore,
                              COSBase rootAfter) {
        Map<COSObjectKey, COSBase> before = Reach.from(rootBefore, part.links());
        Map<COSObjectKey, COSBase> after = Reach.from(rootAfter, part.links());
        boolean changed = !RevisionDiff.sameShallow(rootBefore, rootAfter);
        for (Map.Entry<COSObjectKey, COSBase> entry : after.entrySet()) {
            COSObjectKey key = entry.getKey();
            if (diff.isAdded(key)) {
                changed = true;
                if ("STRUCTURE_CHANGED".equals(part.kind()) && entry.getValue() instanceof COSDictionary element
                        && (element.getItem(ACTUAL_TEXT) != null || element.getItem(ALT) != null
                        || element.getItem(EXPANSION) != null)) {
                    clearance.report(Finding.of("STRUCTURE_CHANGED", null, ModificationLevel.OTHER, "a structure "
                            + "element added after signing (object " + key + ") carries replacement text (/ActualText, "
                            + "/Alt or /E): screen readers and copied text would read it instead of the page"));
                }
            }
            if (!diff.isRedefined(key)) {
                continue;
            }
            changed = true;
            COSBase old = diff.oldObject(key);
            if (before.containsKey(key) && !diff.isShown(key) && fits(part, old, entry.getValue())) {
                clearance.clear(key, ModificationLevel.LTA_UPDATES);
            }
        }
        if (changed && rootAfter != null) {
            clearance.report(Finding.of(part.kind(), null, ModificationLevel.LTA_UPDATES, part.description()));
        }
    }

    /** Whether the object is of a kind this part holds, and (for the structure) keeps the text it stands for. */
    private static boolean fits(Part part, COSBase old, COSBase now) {
        if (!part.streamsAllowed() && (old instanceof COSStream || now instanceof COSStream)) {
            return false;
        }
        if (!"STRUCTURE_CHANGED".equals(part.kind())) {
            return true;
        }
        if (now instanceof COSDictionary dictionary && dictionary.getCOSName(COSName.TYPE) != null
                && !STRUCTURE_TYPES.contains(dictionary.getCOSName(COSName.TYPE).getName())) {
            return false;
        }
        // replacement text is what a screen reader reads and a copy takes instead of the page's own text
        return !(old instanceof COSDictionary was && now instanceof COSDictionary is)
                || RevisionDiff.sameShallow(was.getItem(ACTUAL_TEXT), is.getItem(ACTUAL_TEXT))
                && RevisionDiff.sameShallow(was.getItem(ALT), is.getItem(ALT))
                && RevisionDiff.sameShallow(was.getItem(EXPANSION), is.getItem(EXPANSION));
    }
}
