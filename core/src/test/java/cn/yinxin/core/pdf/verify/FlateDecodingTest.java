package cn.yinxin.core.pdf.verify;

import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.filter.FilterFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FlateDecoding}, one instance for every stream, decodes to the bytes PDFBox's own FlateFilter (a new
 * Inflater per stream) decodes to, or fails alike: intact streams of text and of random bytes from 0 to 200 KB, the
 * same cut anywhere, damaged at random (a byte changed, dropped or doubled), with garbage after the end, two
 * streams one after the other, empty and one-byte data, and no zlib data at all.
 */
class FlateDecodingTest {

    @Test
    void decodesEveryStreamAsPdfBoxsFilter() {
        FlateDecoding ours = new FlateDecoding();
        Random random = new Random(43);
        int damagedDiffer = 0;
        try {
            for (byte[] edge : new byte[][]{{}, {0x78}, {0x78, (byte) 0x9c}, "not zlib at all".getBytes(),
                    new byte[5000]}) {
                assertThat(decoded(ours, edge)).as("edge " + edge.length).isEqualTo(pdfBox(edge));
            }
            for (int n = 0; n < 2000; n++) {
                byte[] plain = plain(random, random.nextInt(4) == 0 ? random.nextInt(200_000) : random.nextInt(9000));
                byte[] encoded = deflate(plain, random.nextInt(10));
                byte[] changed = damage(random, encoded);
                String theirs = pdfBox(changed);
                assertThat(decoded(ours, changed)).as("case " + n).isEqualTo(theirs);
                damagedDiffer += theirs.equals(hex(plain)) ? 0 : 1;
                assertThat(decoded(ours, encoded)).as("intact " + n).isEqualTo(hex(plain));
            }
        } finally {
            ours.end();
        }
        assertThat(damagedDiffer).isGreaterThan(1000); // the damage was seen
    }

    private static byte[] damage(Random random, byte[] encoded) {
        if (encoded.length < 3) {
            return encoded;
        }
        int at = random.nextInt(encoded.length);
        return switch (random.nextInt(6)) {
            case 0 -> Arrays.copyOf(encoded, at);
            case 1 -> {
                byte[] copy = encoded.clone();
                copy[at] = (byte) random.nextInt(256);
                yield copy;
            }
            case 2 -> {
                byte[] copy = new byte[encoded.length - 1];
                System.arraycopy(encoded, 0, copy, 0, at);
                System.arraycopy(encoded, at + 1, copy, at, encoded.length - at - 1);
                yield copy;
            }
            case 3 -> {
                byte[] copy = Arrays.copyOf(encoded, encoded.length + 1 + random.nextInt(3000));
                for (int i = encoded.length; i < copy.length; i++) {
                    copy[i] = (byte) random.nextInt(256);
                }
                yield copy;
            }
            case 4 -> {
                byte[] copy = Arrays.copyOf(encoded, encoded.length * 2);
                System.arraycopy(encoded, 0, copy, encoded.length, encoded.length);
                yield copy;
            }
            default -> {
                byte[] copy = new byte[encoded.length + 1];
                System.arraycopy(encoded, 0, copy, 0, at + 1);
                System.arraycopy(encoded, at, copy, at + 1, encoded.length - at);
                yield copy;
            }
        };
    }

    private static byte[] plain(Random random, int length) {
        byte[] bytes = new byte[length];
        if (random.nextBoolean()) {
            random.nextBytes(bytes);
        } else {
            byte[] text = "BT /F1 10 Tf 60 780 Td (Page 1, line 2: an approval file) Tj ET\n".getBytes();
            for (int i = 0; i < length; i++) {
                bytes[i] = random.nextInt(50) == 0 ? 0 : text[i % text.length];
            }
        }
        return bytes;
    }

    private static byte[] deflate(byte[] plain, int level) {
        Deflater deflater = new Deflater(level);
        deflater.setInput(plain);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static String decoded(FlateDecoding decoding, byte[] encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            decoding.decode(new ByteArrayInputStream(encoded), out);
            return hex(out.toByteArray());
        } catch (IOException e) {
            return "IOException " + hex(out.toByteArray());
        }
    }

    private static String pdfBox(byte[] encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            FilterFactory.INSTANCE.getFilter(COSName.FLATE_DECODE).decode(new ByteArrayInputStream(encoded), out, new COSDictionary(), 0);
            return hex(out.toByteArray());
        } catch (IOException e) {
            return "IOException " + hex(out.toByteArray());
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
