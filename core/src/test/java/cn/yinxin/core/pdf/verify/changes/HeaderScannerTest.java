package cn.yinxin.core.pdf.verify.changes;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-read scanner finds exactly what the regular expression it replaced finds, on crafted and random text. */
class HeaderScannerTest {

    private static final String DELIMITED = "(?<![^\\s()<>\\[\\]{}/%])";
    private static final Pattern TOKEN = Pattern.compile(DELIMITED + "(?<number>\\d{1,10})\\s+(?<generation>\\d{1,5})"
            + "\\s+obj(?![^\\s()<>\\[\\]{}/%])|" + DELIMITED + "(?<stream>stream(?:\\r\\n|\\n|\\r))");

    @Test
    void crafted() {
        for (String text : List.of("1 0 obj", "x1 0 obj", "/1 0 obj<<", "12345678901 0 obj", "1234567890 0 obj",
                "1 123456 obj", "1 12345 obj", "1\n0\r\nobj", "1 0 objx", "1 0 obj]", "(7 0 obj)", "stream\r\n",
                "stream\r", "xstream\n", "<stream\n", "stream", "1 0 obj stream\nabc endstream", "%1 0 obj",
                "1 0 ob", "1\u000b0\fobj ", "01 00 obj\n")) {
            for (int from = 0; from <= text.length(); from++) {
                for (int limit = from; limit <= text.length(); limit++) {
                    assertThat(scanned(text, from, limit)).as("%s [%d, %d)", text, from, limit)
                            .isEqualTo(matched(text, from, limit));
                }
            }
        }
    }

    @Test
    void random() {
        Random random = new Random(20261206);
        String alphabet = "0123456789 \t\r\n\f\u000b/%()<>[]{}objstream x";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.append(random.nextInt(4) == 0 ? pick(random, "1 0 obj", "stream\r\n", "endstream", "12 3 ")
                        : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }
            String s = text.toString();
            int from = random.nextInt(s.length() + 1);
            int limit = from + random.nextInt(s.length() - from + 1);
            assertThat(scanned(s, from, limit)).as("%s [%d, %d)", s, from, limit).isEqualTo(matched(s, from, limit));
        }
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static List<String> scanned(String text, int from, int limit) {
        List<String> found = new ArrayList<>();
        HeaderScanner scanner = new HeaderScanner(text);
        int at = from;
        HeaderScanner.Token token;
        while (at < limit && (token = scanner.next(at, limit)) != null) {
            found.add(token.start() + "-" + token.end() + (token.header() ? " " + token.number() + " "
                    + token.generation() : " stream"));
            at = token.end();
        }
        return found;
    }

    private static List<String> matched(String text, int from, int limit) {
        List<String> found = new ArrayList<>();
        Matcher m = TOKEN.matcher(text).useTransparentBounds(true);
        int at = from;
        while (at < limit && m.region(at, limit).find()) {
            found.add(m.start() + "-" + m.end() + (m.group("number") != null ? " "
                    + Long.parseLong(m.group("number")) + " " + Long.parseLong(m.group("generation")) : " stream"));
            at = m.end();
        }
        return found;
    }
}
