package cn.yinxin.licence.imports;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: records with their first line number and their text; quoted values may hold commas and newlines. */
final class Csv {

    /** One record: the line it starts on (from 1), its text as written, and its values. */
    record Record(int line, String text, List<String> values) {
    }

    private Csv() {
    }

    static List<Record> records(String text) {
        List<Record> records = new ArrayList<>();
        int i = 0;
        int line = 1;
        int n = text.length();
        while (i < n) {
            int start = i;
            int startLine = line;
            List<String> values = new ArrayList<>();
            StringBuilder value = new StringBuilder();
            boolean quoted = false;
            boolean end = false;
            while (i < n && !end) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            value.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        value.append(c);
                    }
                } else if (c == '"' && value.isEmpty()) {
                    quoted = true;
                } else if (c == ',') {
                    values.add(value.toString());
                    value.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    end = true;
                    if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    line++;
                } else {
                    value.append(c);
                }
                i++;
            }
            values.add(value.toString());
            String recordText = text.substring(start, i).stripTrailing();
            if (!recordText.isBlank()) {
                records.add(new Record(startLine, recordText, values));
            }
        }
        return records;
    }

    /** The values of one record's text (as stored). */
    static List<String> values(String recordText) {
        List<Record> records = records(recordText);
        return records.isEmpty() ? List.of() : records.get(0).values();
    }
}
