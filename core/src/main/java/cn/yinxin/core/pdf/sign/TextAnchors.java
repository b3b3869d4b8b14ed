package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds where a text such as "（盖章）" or the agency's name stands on a page, so a seal can be centred on it the
 * way a clerk stamps paper. Positions come from PDFBox's text extraction, adjusted for page rotation and relative
 * to the visible page (CropBox), which is how {@link SealPlacement} measures.
 */
public final class TextAnchors {

    private static final double MM_PER_POINT = 25.4 / 72;

    private TextAnchors() {
    }

    /**
     * The placement centred on the first occurrence of {@code anchor}: on {@code page} if given, else on the first
     * page that has it.
     */
    public static SealPlacement find(PDDocument document, Integer page, String anchor) {
        if (anchor == null || anchor.isBlank()) {
            throw new RejectedException(Problem.INVALID_REQUEST, "The anchor text is empty.");
        }
        String wanted = anchor.strip();
        int first = page == null ? 1 : page;
        int last = page == null ? document.getNumberOfPages() : page;
        if (first < 1 || last > document.getNumberOfPages()) {
            throw new RejectedException(Problem.PAGE_OUT_OF_RANGE,
                    "Page " + page + " was asked for; the document has " + document.getNumberOfPages() + " page(s).");
        }
        for (int p = first; p <= last; p++) {
            List<TextPosition> glyphs = glyphs(document, p);
            StringBuilder text = new StringBuilder();
            List<Integer> owner = new ArrayList<>();
            for (int i = 0; i < glyphs.size(); i++) {
                String unicode = glyphs.get(i).getUnicode();
                text.append(unicode);
                for (int k = 0; k < unicode.length(); k++) {
                    owner.add(i);
                }
            }
            int at = text.indexOf(wanted);
            if (at >= 0) {
                TextPosition start = glyphs.get(owner.get(at));
                TextPosition end = glyphs.get(owner.get(at + wanted.length() - 1));
                double left = start.getXDirAdj();
                double right = end.getXDirAdj() + end.getWidthDirAdj();
                double baseline = Math.max(start.getYDirAdj(), end.getYDirAdj());
                double height = Math.max(start.getHeightDir(), end.getHeightDir());
                return new SealPlacement(p, (left + right) / 2 * MM_PER_POINT, (baseline - height / 2) * MM_PER_POINT);
            }
        }
        throw new RejectedException(Problem.ANCHOR_NOT_FOUND, "The text \"" + wanted + "\" is not "
                + (page == null ? "in the document" : "on page " + page) + " (as its text layer reads; a scanned page "
                + "has none).");
    }

    private static List<TextPosition> glyphs(PDDocument document, int page) {
        List<TextPosition> glyphs = new ArrayList<>();
        try {
            PDFTextStripper stripper = new PDFTextStripper() {
                @Override
                protected void writeString(String text, List<TextPosition> positions) {
                    glyphs.addAll(positions);
                }
            };
            stripper.setSortByPosition(true);
            stripper.setStartPage(page);
            stripper.setEndPage(page);
            stripper.getText(document);
        } catch (IOException e) {
            throw new UncheckedIOException("the text of page " + page + " cannot be read", e);
        }
        return glyphs;
    }
}
