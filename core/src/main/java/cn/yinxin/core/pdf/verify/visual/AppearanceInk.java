package cn.yinxin.core.pdf.verify.visual;

import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a widget's appearance, as shown, draws a value: text, an image, a form XObject, a shading, or (for a text
 * or choice field, whose empty appearance is at most a border and a background, drawn as rectangles) a path drawn
 * freehand, which can spell digits as well as text can. A field whose /V is empty but whose appearance draws a value
 * showed that value to the signer: it was not empty, and a fill that replaces it replaces what was signed.
 */
public final class AppearanceInk {

    /** Operators that show text, an image, a form XObject or a shading. */
    private static final Set<String> SHOWING = Set.of("Tj", "TJ", "'", "\"", "Do", "BI", "sh");
    /** Path operators other than a rectangle (re). */
    private static final Set<String> FREEHAND = Set.of("m", "l", "c", "v", "y");
    /** An empty field's appearance is a few dozen tokens; past this many it is taken to show something. */
    private static final int MAX_TOKENS = 10_000;

    private AppearanceInk() {
    }

    /**
     * @param button a check box or radio button, whose "Off" appearance may draw its frame with curves
     */
    public static boolean showsSomething(PDAnnotation widget, boolean button) {
        PDAppearanceStream appearance;
        try {
            appearance = widget.getNormalAppearanceStream();
        } catch (RuntimeException e) {
            return true;
        }
        if (appearance == null) {
            return false;
        }
        try {
            PDFStreamParser parser = new PDFStreamParser(appearance);
            List<COSBase> operands = new ArrayList<>();
            int tokens = 0;
            for (Object token = parser.parseNextToken(); token != null; token = parser.parseNextToken()) {
                if (++tokens > MAX_TOKENS) {
                    return true;
                }
                if (token instanceof Operator operator) {
                    String name = operator.getName();
                    if (SHOWING.contains(name) && !noText(name, operands) || !button && FREEHAND.contains(name)) {
                        return true;
                    }
                    operands.clear();
                } else if (token instanceof COSBase operand) {
                    operands.add(operand);
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true; // what cannot be read is not known to be empty
        }
    }

    /** A text-showing operator whose text is empty ("() Tj", "[()] TJ"). */
    private static boolean noText(String operator, List<COSBase> operands) {
        COSBase last = operands.isEmpty() ? null : operands.getLast();
        if (operator.equals("TJ") && last instanceof COSArray parts) {
            for (int i = 0; i < parts.size(); i++) {
                if (parts.getObject(i) instanceof COSString part && part.getBytes().length > 0) {
                    return false;
                }
            }
            return true;
        }
        return (operator.equals("Tj") || operator.equals("'") || operator.equals("\""))
                && last instanceof COSString text && text.getBytes().length == 0;
    }
}
