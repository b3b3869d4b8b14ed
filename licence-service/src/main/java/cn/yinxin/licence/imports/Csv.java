package cn.yinxin.licence.imports;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV read by Apache Commons CSV (quoted values may hold commas, newlines and doubled quotes): records
 * with the line each starts on and its text as written. The text is what an import stores per row, so that a
 * worker parses its row again on its own and an error names the row's line in the file the clerk has.
 */
final class Csv {

    /**
     * RFC 4180 as written (no trimming, no header handling: the import checks the header itself); empty lines are
     * skipped, and a line of blanks is dropped below, as a spreadsheet's trailing rows are.
     */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

    /** One record: the line it starts on (from 1), its text as written, and its values. */
    record Record(int line, String text, List<String> values) {
    }

    /** The text is not CSV (a quote not closed, or text after a closing quote); the message names the line. */
    static final class Malformed extends IllegalArgumentException {
        Malformed(String message) {
            super(message);
        }
    }

    private Csv() {
    }

    static List<Record> records(String text) {
        List<Record> records = new ArrayList<>();
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(FORMAT).get()) {
            List<CSVRecord> parsed = parser.getRecords();
            int line = 1;
            int counted = 0;   // newlines are counted in text[0, counted)
            for (int r = 0; r < parsed.size(); r++) {
                int start = (int) parsed.get(r).getCharacterPosition();
                // the parser's position is where it began to look, before the empty lines it skipped
                while (start < text.length() && (text.charAt(start) == '\r' || text.charAt(start) == '\n')) {
                    start++;
                }
                int end = r + 1 < parsed.size() ? (int) parsed.get(r + 1).getCharacterPosition() : text.length();
                line += newlines(text, counted, start);
                counted = start;
                String recordText = text.substring(start, end).stripTrailing();
                if (!recordText.isBlank()) {
                    records.add(new Record(line, recordText, parsed.get(r).toList()));
                }
            }
        } catch (UncheckedIOException e) {
            throw new Malformed(e.getCause().getMessage());
        } catch (IOException e) {
            throw new Malformed(e.getMessage());
        }
        return records;
    }

    /** The values of one record's text (as stored). */
    static List<String> values(String recordText) {
        List<Record> records = records(recordText);
        return records.isEmpty() ? List.of() : records.get(0).values();
    }

    /** Line breaks (CRLF, LF or CR, as the parser counts them) in text[from, to). */
    private static int newlines(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                n++;
            }
        }
        return n;
    }
}
