package cn.yinxin.bench;

import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.keystores.SamplePki;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body wrk sends is the request the benchmark claims to time: the PDF byte for byte as the part "file", the
 * sample seal, its place and the level. (The whole benchmark needs the service jar and wrk: run it by hand.)
 */
class StampBenchmarkTest {

    @Test
    void theMultipartBodyCarriesThePdfUnchangedAndEveryField() {
        byte[] pdf = new byte[256];
        for (int i = 0; i < pdf.length; i++) {
            pdf[i] = (byte) i; // every byte value, CR and LF included
        }
        byte[] body = StampBenchmark.multipart(pdf, SignatureLevel.B_T);
        String text = new String(body, StandardCharsets.ISO_8859_1);

        String head = "Content-Disposition: form-data; name=\"file\"; filename=\"approval.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n";
        int start = text.indexOf(head) + head.length();
        assertThat(Arrays.copyOfRange(body, start, start + pdf.length)).isEqualTo(pdf);
        assertThat(text.substring(start + pdf.length)).startsWith("\r\n--");
        assertThat(text).contains("name=\"sealId\"\r\n\r\n" + SamplePki.SEAL_ID + "\r\n")
                .contains("name=\"page\"\r\n\r\n1\r\n")
                .contains("name=\"x\"\r\n\r\n150.0\r\n")
                .contains("name=\"y\"\r\n\r\n230.0\r\n")
                .contains("name=\"level\"\r\n\r\n" + SignatureLevel.B_T.label() + "\r\n")
                .endsWith("--\r\n");
    }
}
