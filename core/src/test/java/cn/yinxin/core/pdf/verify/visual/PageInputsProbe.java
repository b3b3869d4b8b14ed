package cn.yinxin.core.pdf.verify.visual;

import org.apache.pdfbox.pdmodel.PDDocument;

import java.util.Arrays;

/** Lets tests of another package ask whether a page's rendering inputs are the same in two revisions. */
public final class PageInputsProbe {

    private PageInputsProbe() {
    }

    public static boolean same(PDDocument signed, PDDocument now, int index) {
        byte[] before = PageInputs.of(signed, signed.getPage(index));
        return before != null && Arrays.equals(before, PageInputs.of(now, now.getPage(index)));
    }

    public static boolean sameLeavingOut(PDDocument signed, PDDocument now, int index,
                                         org.apache.pdfbox.cos.COSDictionary annotation) {
        byte[] before = PageInputs.of(signed, signed.getPage(index));
        return before != null
                && Arrays.equals(before, PageInputs.of(now, now.getPage(index), java.util.Set.of(annotation)));
    }
}
