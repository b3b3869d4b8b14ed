package cn.yinxin.core.pdf.verify;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DeclaredObjects#inTables}: every line PDFBox's table reader would keep as an entry in use ("offset
 * generation n", however spaced, CR, LF or CR LF), and no other line: free entries, object headers, references,
 * a content stream's path operators.
 */
class DeclaredObjectsTest {

    @Test
    void countsTheLinesATableReaderKeeps() {
        assertThat(lines("xref\n0 4\n0000000000 65535 f\r\n0000000015 00000 n\r\n0000000074 00000 n\r\n"
                + "0000000120 00000 n\r\ntrailer\n")).isEqualTo(3);
        assertThat(lines("15 0 n\n  7 3 n  \r17 0 n")).as("short rows, spaces, CR, no end of line").isEqualTo(3);
        assertThat(lines("1 0 obj\n12 0 R\n0 0 612 792 re W n\nn\n15 0 n 7\n15 n\n-1 0 n\n15 0 N\n7   3 n\n"))
                .as("no row (PDFBox fails on the empty part between two spaces)").isZero();
        assertThat(lines("15 0 n\u00e9\n15\t0\tn\n")).isEqualTo(1);
        // eighth hostile read: rows PDFBox keeps that the count missed (a million of them within the upload limit)
        assertThat(lines("15 0 0 n\n15 0 x y n\n15\u000b0\u000bn\n+15 0 n\n15 -1 n\n"))
                .as("PDFBOX-474's extra parts, a vertical tab, a sign").isEqualTo(5);
    }

    private static long lines(String text) {
        return DeclaredObjects.inTables(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
