package cn.yinxin.core.pdf.verify.changes;

/**
 * Finds the next object header ("N G obj") or start of stream data ("stream" and its line end) in a revision's
 * bytes, where any reader scanning the file would take one: not preceded by a regular character, anywhere (not only
 * at a line start), with any white space between the parts. It answers exactly what the regular expression
 * <pre>(?&lt;![^\s()&lt;&gt;\[\]{}/%])(\d{1,10})\s+(\d{1,5})\s+obj(?![^\s()&lt;&gt;\[\]{}/%])
 * | (?&lt;![^\s()&lt;&gt;\[\]{}/%])stream(\r\n|\n|\r)</pre>
 * finds (with transparent bounds), read by hand: that expression, tried at every byte of a signature's hex
 * /Contents (all digits), was a twentieth of verifying a document sealed twice ({@code HeaderScannerTest} holds the
 * two to the same answers).
 */
final class HeaderScanner {

    /** What was found: an object header (number, generation) or a stream's data start, over [start, end). */
    record Token(boolean header, int start, int end, long number, long generation) {
    }

    private final String text;

    HeaderScanner(String text) {
        this.text = text;
    }

    /** The first token that starts at or after {@code from} and ends by {@code limit}, or null. */
    Token next(int from, int limit) {
        for (int i = from; i < limit; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (delimitedBefore(i)) {
                    Token header = header(i, limit);
                    if (header != null) {
                        return header;
                    }
                }
            } else if (c == 's' && text.startsWith("stream", i) && delimitedBefore(i)) {
                int after = i + 6;
                if (after < limit && (text.charAt(after) == '\r' || text.charAt(after) == '\n')) {
                    int end = after + 1;
                    if (text.charAt(after) == '\r' && end < limit && text.charAt(end) == '\n') {
                        end++;
                    }
                    return new Token(false, i, end, 0, 0);
                }
            }
        }
        return null;
    }

    /** The object header that starts exactly at {@code at} and ends by {@code limit}, whatever precedes it, or null. */
    Token headerAt(int at, int limit) {
        return at < limit && text.charAt(at) >= '0' && text.charAt(at) <= '9' ? header(at, limit) : null;
    }

    private Token header(int at, int limit) {
        int numberDigits = digits(at, limit);
        if (numberDigits < 1 || numberDigits > 10) {
            return null;
        }
        int i = at + numberDigits;
        int spaces = spaces(i, limit);
        if (spaces == 0) {
            return null;
        }
        i += spaces;
        int generationDigits = digits(i, limit);
        if (generationDigits < 1 || generationDigits > 5) {
            return null;
        }
        int generationStart = i;
        i += generationDigits;
        spaces = spaces(i, limit);
        if (spaces == 0) {
            return null;
        }
        i += spaces;
        if (i + 3 > limit || !text.startsWith("obj", i)
                || i + 3 < text.length() && !isDelimiter(text.charAt(i + 3))) {
            return null;
        }
        return new Token(true, at, i + 3, Long.parseLong(text, at, at + numberDigits, 10),
                Long.parseLong(text, generationStart, generationStart + generationDigits, 10));
    }

    private int digits(int at, int limit) {
        int n = 0;
        while (at + n < limit && text.charAt(at + n) >= '0' && text.charAt(at + n) <= '9') {
            n++;
        }
        return n;
    }

    private int spaces(int at, int limit) {
        int n = 0;
        while (at + n < limit && isSpace(text.charAt(at + n))) {
            n++;
        }
        return n;
    }

    private boolean delimitedBefore(int at) {
        return at == 0 || isDelimiter(text.charAt(at - 1));
    }

    /** The regular expression's \s: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean isDelimiter(char c) {
        return isSpace(c) || c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{'
                || c == '}' || c == '/' || c == '%';
    }
}
