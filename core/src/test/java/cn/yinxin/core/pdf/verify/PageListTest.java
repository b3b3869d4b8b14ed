package cn.yinxin.core.pdf.verify;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PageList} answers exactly what {@code getPage(i)} answers, for sound and for lying page trees. */
class PageListTest {

    @Test
    void aSoundTreeGivesItsLeavesInOrder() {
        PDDocument document = nested(new int[]{3, 4, 5}, null);
        assertThat(keys(PageList.of(document))).containsExactlyElementsOf(keys(byIndex(document)));
        assertThat(PageList.of(document)).hasSize(12);
    }

    @Test
    void aTreeWhoseCountsLieIsReadAsGetPageReadsIt() {
        // the first node says it holds 1 page but holds 3: getPage(1) is then the second node's first page, not the
        // first node's second; a plain walk of the leaves would compare other pages than the renderer draws
        PDDocument document = nested(new int[]{3, 3}, new int[]{1, 3});
        List<COSDictionary> expected = keys(byIndex(document));
        assertThat(keys(PageList.of(document))).containsExactlyElementsOf(expected);
        List<COSDictionary> leaves = new ArrayList<>();
        document.getPages().forEach(p -> leaves.add(p.getCOSObject()));
        assertThat(leaves.subList(0, expected.size())).isNotEqualTo(expected);
    }

    @Test
    void countsThatLieWithinARightTotalFailAsGetPageFails() {
        // 2 + 4 claimed, 3 + 3 held: the total is right, but getPage(5) finds no sixth page under the second node
        PDDocument document = nested(new int[]{3, 3}, new int[]{2, 4});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> byIndex(document))
                .isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PageList.of(document))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLeafListedTwiceIsReadAsGetPageReadsIt() {
        PDDocument document = new PDDocument();
        PDPage page = new PDPage();
        document.addPage(page);
        COSDictionary root = document.getPages().getCOSObject();
        root.getCOSArray(COSName.KIDS).add(page.getCOSObject());
        root.setInt(COSName.COUNT, 2);
        assertThat(keys(PageList.of(document))).containsExactlyElementsOf(keys(byIndex(document)));
    }

    /** A root with one intermediate node per entry of {@code sizes}; {@code counts} what each node claims. */
    private static PDDocument nested(int[] sizes, int[] counts) {
        PDDocument document = new PDDocument();
        COSDictionary root = document.getPages().getCOSObject();
        COSArray rootKids = root.getCOSArray(COSName.KIDS);
        int total = 0;
        for (int n = 0; n < sizes.length; n++) {
            COSDictionary node = new COSDictionary();
            node.setItem(COSName.TYPE, COSName.PAGES);
            node.setItem(COSName.PARENT, root);
            COSArray kids = new COSArray();
            for (int i = 0; i < sizes[n]; i++) {
                PDPage page = new PDPage();
                page.getCOSObject().setItem(COSName.PARENT, node);
                page.getCOSObject().setInt(COSName.getPDFName("Mark"), n * 100 + i);
                kids.add(page.getCOSObject());
            }
            node.setItem(COSName.KIDS, kids);
            node.setInt(COSName.COUNT, counts == null ? sizes[n] : counts[n]);
            rootKids.add(node);
            total += counts == null ? sizes[n] : counts[n];
        }
        root.setInt(COSName.COUNT, total);
        return document;
    }

    private static List<PDPage> byIndex(PDDocument document) {
        List<PDPage> pages = new ArrayList<>();
        for (int i = 0; i < document.getNumberOfPages(); i++) {
            pages.add(document.getPage(i));
        }
        return pages;
    }

    private static List<COSDictionary> keys(List<PDPage> pages) {
        return pages.stream().map(PDPage::getCOSObject).toList();
    }
}
