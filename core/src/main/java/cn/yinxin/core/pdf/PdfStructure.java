package cn.yinxin.core.pdf;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks on the raw bytes that a lenient parser would paper over: a cross-reference that does not point where it
 * says (the file was damaged: it must be repaired, not silently rebuilt under a signature), and one object number
 * defined twice in one revision (the trick behind signature collision attacks, where a viewer and a validator
 * read different objects).
 */
final class PdfStructure {

    private static final Pattern OBJECT = Pattern.compile("(?<=[\\r\\n])(\\d{1,10})[ \\t]+(\\d{1,5})[ \\t]+obj\\b");
    private static final Pattern STARTXREF = Pattern.compile("startxref\\s+(\\d{1,12})");
    private static final Pattern XREF_TARGET = Pattern.compile("\\A\\s*(xref|\\d{1,10}\\s+\\d{1,5}\\s+obj)");

    private PdfStructure() {
    }

    static void check(byte[] pdf) {
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        checkStartXref(text);
        checkDuplicateObjects(text);
    }

    private static void checkStartXref(String text) {
        int tail = Math.max(0, text.length() - 1024);
        Matcher m = STARTXREF.matcher(text);
        long offset = -1;
        if (m.find(tail)) {
            do {
                offset = Long.parseLong(m.group(1));
            } while (m.find());
        }
        if (offset < 0 || offset >= text.length()
                || !XREF_TARGET.matcher(text.substring((int) offset, (int) Math.min(text.length(), offset + 64))).find()) {
            throw new RejectedException(Problem.DAMAGED_PDF, "The PDF's cross-reference (startxref) does not point at "
                    + "a cross-reference section: the file is damaged. Repair it (for example with qpdf) and send it again.");
        }
    }

    private static void checkDuplicateObjects(String text) {
        int start = 0;
        int revision = 1;
        while (start < text.length()) {
            int eof = text.indexOf("%%EOF", start);
            int end = eof < 0 ? text.length() : eof + 5;
            Set<String> seen = new HashSet<>();
            Matcher m = OBJECT.matcher(text).region(start, end);
            while (m.find()) {
                String key = Long.parseLong(m.group(1)) + " " + Integer.parseInt(m.group(2));
                if (!seen.add(key)) {
                    throw new RejectedException(Problem.DUPLICATE_OBJECTS, "Object " + key + " is defined twice in "
                            + "revision " + revision + ": different readers would see different documents.");
                }
            }
            start = end;
            revision++;
        }
    }
}
