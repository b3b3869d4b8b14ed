package cn.yinxin.core.text;

/**
 * Whether a name reads as printed text: no control characters (C0, C1: a NUL cuts a name short in C-string tools),
 * format characters (bidi overrides that show a name backwards, zero-width spaces and BOMs that make two names look
 * alike), line or paragraph separators (a second line in a report), or lone surrogates. For the names that go into
 * certificates and seals: a CA certifies what a reader will see.
 */
public final class PrintedText {

    private PrintedText() {
    }

    public static boolean printable(String text) {
        return text != null && text.codePoints().noneMatch(PrintedText::hidden);
    }

    private static boolean hidden(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }
}
