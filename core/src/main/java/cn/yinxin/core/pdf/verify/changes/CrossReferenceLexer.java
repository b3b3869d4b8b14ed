package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.verify.changes.CrossReferenceSection.Malformed;
import cn.yinxin.core.pdf.verify.changes.CrossReferenceSection.Name;
import cn.yinxin.core.pdf.verify.changes.CrossReferenceSection.Reference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of the PDF syntax (ISO 32000-1 7.2, 7.3) to read a trailer and a cross-reference stream's
 * dictionary: numbers, names, strings, arrays, dictionaries, references, keywords. Nesting is bounded.
 */
final class CrossReferenceLexer {
    private static final int MAX_DEPTH = 32;
    private final byte[] pdf;
    private int at;

    CrossReferenceLexer(byte[] pdf, int at) {
        this.pdf = pdf;
        this.at = at;
    }

    int position() {
        return at;
    }

    /** Skips white space and comments, then takes {@code word} if it is the next token. */
    boolean keyword(String word) {
        skip();
        int end = at + word.length();
        if (end > pdf.length || !new String(pdf, at, word.length(), StandardCharsets.ISO_8859_1).equals(word)
                || end < pdf.length && isRegular(pdf[end])) {
            return false;
        }
        at = end;
        return true;
    }

    long integer(int maxDigits, String what) throws Malformed {
        skip();
        int start = at;
        while (at < pdf.length && pdf[at] >= '0' && pdf[at] <= '9') {
            at++;
        }
        if (at == start || at - start > maxDigits || at < pdf.length && isRegular(pdf[at])) {
            throw new Malformed("expected " + what + " at byte " + start);
        }
        return Long.parseLong(new String(pdf, start, at - start, StandardCharsets.ISO_8859_1));
    }

    String word() throws Malformed {
        skip();
        int start = at;
        while (at < pdf.length && isRegular(pdf[at])) {
            at++;
        }
        if (at == start) {
            throw new Malformed("expected a keyword at byte " + start);
        }
        return new String(pdf, start, at - start, StandardCharsets.ISO_8859_1);
    }

    Map<String, Object> dictionary() throws Malformed {
        Object value = value(0);
        if (!(value instanceof Map<?, ?>)) {
            throw new Malformed("expected a dictionary at byte " + at);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> dictionary = (Map<String, Object>) value;
        return dictionary;
    }

    /** The data of the stream whose dictionary was just read: /Length bytes after "stream" and its end-of-line. */
    byte[] streamData(Map<String, Object> dictionary) throws Malformed {
        if (!keyword("stream")) {
            throw new Malformed("the cross-reference stream has no stream data");
        }
        if (at < pdf.length && pdf[at] == '\r') {
            at++;
        }
        if (at >= pdf.length || pdf[at] != '\n') {
            throw new Malformed("'stream' is not followed by an end-of-line");
        }
        at++;
        if (!(dictionary.get("Length") instanceof Long length) || length < 0 || at + length > pdf.length) {
            throw new Malformed("the cross-reference stream's /Length is not a number within the file");
        }
        byte[] data = Arrays.copyOfRange(pdf, at, at + length.intValue());
        at += length.intValue();
        if (!keyword("endstream")) {
            throw new Malformed("the cross-reference stream's data does not end at its /Length");
        }
        return data;
    }

    private Object value(int depth) throws Malformed {
        if (depth > MAX_DEPTH) {
            throw new Malformed("objects nested too deeply at byte " + at);
        }
        skip();
        if (at >= pdf.length) {
            throw new Malformed("the file ends inside the cross-reference section");
        }
        byte b = pdf[at];
        if (b == '<' && at + 1 < pdf.length && pdf[at + 1] == '<') {
            at += 2;
            Map<String, Object> dictionary = new LinkedHashMap<>();
            while (true) {
                skip();
                if (at + 1 < pdf.length && pdf[at] == '>' && pdf[at + 1] == '>') {
                    at += 2;
                    return dictionary;
                }
                if (!(value(depth + 1) instanceof Name key)) {
                    throw new Malformed("a dictionary key is not a name at byte " + at);
                }
                dictionary.put(key.value(), value(depth + 1));
            }
        }
        if (b == '[') {
            at++;
            List<Object> array = new ArrayList<>();
            while (true) {
                skip();
                if (at < pdf.length && pdf[at] == ']') {
                    at++;
                    return array;
                }
                array.add(value(depth + 1));
            }
        }
        if (b == '/') {
            int start = ++at;
            while (at < pdf.length && isRegular(pdf[at])) {
                at++;
            }
            return new Name(new String(pdf, start, at - start, StandardCharsets.ISO_8859_1));
        }
        if (b == '(') {
            return literal();
        }
        if (b == '<') {
            int end = indexOf((byte) '>', at);
            at = end + 1;
            return "hex string";
        }
        if (b >= '0' && b <= '9' || b == '-' || b == '+' || b == '.') {
            return number();
        }
        String word = word();
        return switch (word) {
            case "true", "false", "null" -> word;
            default -> throw new Malformed("unexpected '" + word + "' at byte " + (at - word.length()));
        };
    }

    /** A number, or a reference when two integers and "R" follow each other. */
    private Object number() throws Malformed {
        int start = at;
        String token = word();
        if (!token.matches("[+-]?\\d{1,18}")) {
            if (token.matches("[+-]?(\\d*\\.\\d*)") && token.length() < 32) {
                return token;
            }
            throw new Malformed("not a number at byte " + start + ": " + token);
        }
        long value = Long.parseLong(token.startsWith("+") ? token.substring(1) : token);
        int after = at;
        skip();
        if (at < pdf.length && pdf[at] >= '0' && pdf[at] <= '9') {
            int second = at;
            String generation = word();
            if (generation.matches("\\d{1,5}") && keyword("R")) {
                return new Reference(value, Long.parseLong(generation));
            }
            at = second;
        }
        at = after;
        return value;
    }

    private Object literal() throws Malformed {
        int depth = 0;
        while (at < pdf.length) {
            byte b = pdf[at++];
            if (b == '\\') {
                at++;
            } else if (b == '(') {
                depth++;
            } else if (b == ')' && --depth == 0) {
                return "string";
            }
        }
        throw new Malformed("a string does not end");
    }

    private int indexOf(byte b, int from) throws Malformed {
        for (int i = from; i < pdf.length; i++) {
            if (pdf[i] == b) {
                return i;
            }
        }
        throw new Malformed("the file ends inside the cross-reference section");
    }

    private void skip() {
        while (at < pdf.length) {
            if (isWhiteSpace(pdf[at])) {
                at++;
            } else if (pdf[at] == '%') {
                while (at < pdf.length && pdf[at] != '\n' && pdf[at] != '\r') {
                    at++;
                }
            } else {
                return;
            }
        }
    }

    static boolean isWhiteSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == '\f' || b == 0;
    }

    private static boolean isRegular(byte b) {
        return !isWhiteSpace(b) && "()<>[]{}/%".indexOf(b) < 0;
    }
}
