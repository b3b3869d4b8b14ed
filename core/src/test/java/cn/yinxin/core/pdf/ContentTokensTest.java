package cn.yinxin.core.pdf;

import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ContentTokens} tokenizes bytes as {@code new PDFStreamParser(bytes)} does, or fails alike: a stream
 * dictionary, a page's text, an inline image, and 5,000 random soups of their pieces (cut anywhere, bytes dropped).
 */
class ContentTokensTest {

    private static final String[] PIECES = {"<<", ">>", "/Length", "/Filter", "/FlateDecode", "12", "0", "R", "-3.5",
            "[", "]", "(text)", "(un(closed", "<41 42>", "<4", "BT", "ET", "/F1", "Tf", "Td", "Tj", "BI", "ID", "EI",
            "/W 2 /H 2 /BPC 8 /CS /G", "\u0000\u00ff\u0080", "%comment\n", "true", "null", "q", "Q", "1e5", "--2",
            "/A#20B", ".5", "+7", " ", "\n", "\r\n", "\t"};

    @Test
    void tokenizesAsPdfBoxDoes() {
        assertSame("<< /Length 12 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 5 >> >>");
        assertSame("BT /F1 12 Tf 72 720 Td (Hello, world) Tj ET q 1 0 0 1 5 5 cm BI /W 2 /H 2 /BPC 8 /CS /G ID "
                + "\u0001\u0002\u0003\u0004 EI Q");
        Random random = new Random(47);
        for (int n = 0; n < 5000; n++) {
            StringBuilder text = new StringBuilder();
            int pieces = 1 + random.nextInt(30);
            for (int i = 0; i < pieces; i++) {
                text.append(PIECES[random.nextInt(PIECES.length)]).append(random.nextBoolean() ? " " : "");
            }
            String soup = random.nextInt(4) == 0 ? text.substring(0, random.nextInt(text.length() + 1)) : text.toString();
            assertSame(soup);
        }
    }

    private static void assertSame(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        String theirs = tokens(() -> new PDFStreamParser(bytes));
        assertThat(tokens(() -> ContentTokens.parser(bytes))).as(text).isEqualTo(theirs);
    }

    private interface Parsers {
        PDFStreamParser make() throws IOException;
    }

    private static String tokens(Parsers parsers) {
        StringBuilder out = new StringBuilder();
        try {
            PDFStreamParser parser = parsers.make();
            List<Object> tokens = parser.parse();
            for (Object token : tokens) {
                out.append(token).append(" | ");
            }
        } catch (IOException | RuntimeException e) {
            out.append("failed: ").append(e.getClass().getSimpleName());
        }
        return out.toString();
    }
}
