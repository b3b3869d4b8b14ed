package cn.yinxin.core.pdf;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * How deep a document's page tree is nested. PDFBox walks the page tree by recursion, one call per level (its page
 * iterator and getPage), so a chain of tens of thousands of nodes above one page (a few MB) overflows the stack of
 * whichever thread reads the pages: a StackOverflowError, not an answer. Producers build balanced trees a handful of
 * levels deep; a tree deeper than {@link #MAX_DEPTH} is refused before PDFBox walks it.
 */
final class PageTreeDepth {

    static final int MAX_DEPTH = 256;

    private PageTreeDepth() {
    }

    /** @throws RejectedException (damaged PDF) when a page sits deeper than {@link #MAX_DEPTH} levels */
    static void check(PDDocument document) {
        record Node(COSDictionary dictionary, int depth) {
        }
        Set<COSDictionary> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> todo = new ArrayDeque<>();
        todo.push(new Node(document.getPages().getCOSObject(), 0));
        while (!todo.isEmpty()) {
            Node node = todo.pop();
            if (node.depth() > MAX_DEPTH) {
                throw new RejectedException(Problem.DAMAGED_PDF, "The page tree is nested more than " + MAX_DEPTH
                        + " levels deep; no producer makes such a tree, and readers fail on it.");
            }
            COSArray kids = node.dictionary().getCOSArray(COSName.KIDS);
            for (int i = 0; kids != null && i < kids.size(); i++) {
                // as PDFBox tells a tree node from a page: typed /Pages, or holding /Kids
                if (kids.getObject(i) instanceof COSDictionary kid && seen.add(kid)
                        && (COSName.PAGES.equals(kid.getCOSName(COSName.TYPE)) || kid.containsKey(COSName.KIDS))) {
                    todo.push(new Node(kid, node.depth() + 1));
                }
            }
        }
    }
}
