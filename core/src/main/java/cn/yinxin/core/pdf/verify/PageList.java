package cn.yinxin.core.pdf.verify;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A document's pages by index, exactly as {@link PDDocument#getPage(int)} finds them, in one walk of the page tree.
 * {@code getPage(i)} descends from the root by each node's /Count and lists every node's /Kids on the way, so a
 * loop over all pages costs the square of their number (a quarter of a 100-page verification went there). When every
 * node's /Count is the number of pages beneath it, the tree's leaves in order are what {@code getPage} answers; a
 * tree that is not so (a wrong /Count, a loop, a kid that is no dictionary, a leaf typed as something else) is left
 * to PDFBox's own {@code getPage}, page by page, so that what is compared is what the renderer draws.
 */
public final class PageList {

    private static final int MAX_DEPTH = 64;

    private PageList() {
    }

    /** The pages, index i being {@code document.getPage(i)}; throws where {@code getPage} would. */
    public static List<PDPage> of(PDDocument document) {
        COSDictionary root = document.getPages().getCOSObject();
        int count = document.getNumberOfPages();
        List<COSDictionary> leaves = new ArrayList<>(Math.max(0, Math.min(count, 100_000)));
        Set<COSDictionary> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        if (isTreeNode(root) && consistent(root, leaves, seen, 0) && leaves.size() == count) {
            // PDFBox's own iterator walks the same leaves in the same order (its pages share the document's
            // resource cache); each is checked to be the leaf getPage would give
            List<PDPage> pages = new ArrayList<>(leaves.size());
            for (PDPage page : document.getPages()) {
                if (pages.size() >= leaves.size() || page.getCOSObject() != leaves.get(pages.size())) {
                    pages = null;
                    break;
                }
                pages.add(page);
            }
            if (pages != null && pages.size() == leaves.size()) {
                return pages;
            }
        }
        List<PDPage> pages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pages.add(document.getPage(i));
        }
        return pages;
    }

    /** Collects the leaves under {@code node}; false when the node's /Count or shape would make getPage differ. */
    private static boolean consistent(COSDictionary node, List<COSDictionary> leaves, Set<COSDictionary> seen,
                                      int depth) {
        if (depth > MAX_DEPTH || !seen.add(node)) {
            return false;
        }
        int before = leaves.size();
        COSArray kids = node.getCOSArray(COSName.KIDS);
        if (kids != null) {
            for (int i = 0; i < kids.size(); i++) {
                COSBase kid = kids.getObject(i);
                if (!(kid instanceof COSDictionary dictionary)) {
                    return false;
                }
                if (isTreeNode(dictionary)) {
                    if (!consistent(dictionary, leaves, seen, depth + 1)) {
                        return false;
                    }
                } else {
                    COSName type = dictionary.getCOSName(COSName.TYPE);
                    if (type != null && !COSName.PAGE.equals(type) || !seen.add(dictionary)) {
                        return false;
                    }
                    leaves.add(dictionary);
                }
            }
        }
        return node.getInt(COSName.COUNT, 0) == leaves.size() - before;
    }

    /** PDFBox's test: typed /Pages, or holding /Kids. */
    private static boolean isTreeNode(COSDictionary node) {
        return node != null && (COSName.PAGES.equals(node.getCOSName(COSName.TYPE)) || node.containsKey(COSName.KIDS));
    }
}
