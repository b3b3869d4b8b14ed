package cn.yinxin.core.pdf;

import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PdfBytes} answers every call PDFBox makes as {@link RandomAccessReadBuffer} does over the same bytes (reads,
 * peeks, steps back, seeks before the start and past the end, views, after closing but for a view of a closed file), in 5,000 random sequences, and
 * a view never moves the reader it was made from.
 */
class PdfBytesTest {

    @Test
    void answersAsPdfBoxsBufferInRandomSequences() throws IOException {
        Random random = new Random(42);
        for (int run = 0; run < 5_000; run++) {
            byte[] file = new byte[random.nextInt(60)];
            random.nextBytes(file);
            int cut = file.length == 0 ? 0 : random.nextInt(file.length + 1);
            RandomAccessRead theirs = new RandomAccessReadBuffer(ByteBuffer.wrap(file, 0, cut).slice());
            RandomAccessRead ours = new PdfBytes(file, cut);
            long seed = random.nextLong();
            assertThat(script(ours, new Random(seed))).as("run " + run).isEqualTo(script(theirs, new Random(seed)));
        }
    }

    /**
     * {@link PdfBytes#skipSpaces} stops where PDFBox's own {@code BaseParser.skipSpaces} stops, from any position of
     * 5,000 random runs of white space, comments, line ends and other bytes (and after closing, both fail).
     */
    @Test
    void skipsSpacesAsPdfBoxsParser() throws Exception {
        java.lang.reflect.Method skip = org.apache.pdfbox.pdfparser.BaseParser.class.getDeclaredMethod("skipSpaces");
        skip.setAccessible(true);
        java.lang.reflect.Field field = org.apache.pdfbox.pdfparser.BaseParser.class.getDeclaredField("source");
        field.setAccessible(true);
        byte[] alphabet = {' ', '\n', '\r', '\t', '\f', 0, '%', 'a', '1', '/', (byte) 0x80, (byte) 0xa0, 11};
        Random random = new Random(53);
        for (int n = 0; n < 5000; n++) {
            byte[] bytes = new byte[random.nextInt(30)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = alphabet[random.nextInt(alphabet.length)];
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            var parser = new org.apache.pdfbox.pdfparser.PDFStreamParser(bytes);
            RandomAccessRead theirs = (RandomAccessRead) field.get(parser);
            theirs.seek(from);
            skip.invoke(parser);
            try (PdfBytes ours = new PdfBytes(bytes)) {
                ours.seek(from);
                ours.skipSpaces();
                assertThat(ours.getPosition()).as(Arrays.toString(bytes) + " from " + from)
                        .isEqualTo(theirs.getPosition());
            }
        }
        PdfBytes closed = new PdfBytes(new byte[]{' '});
        closed.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(closed::skipSpaces).isInstanceOf(IOException.class);
    }

    @Test
    void aViewDoesNotMoveItsReader() throws IOException {
        byte[] file = "0123456789".getBytes();
        PdfBytes reader = new PdfBytes(file);
        reader.seek(3);
        try (var view = reader.createView(6, 3)) {
            assertThat(view.read()).isEqualTo('6');
            assertThat(view.read()).isEqualTo('7');
        }
        assertThat(reader.read()).isEqualTo('3');
    }

    /** What a random sequence of calls answers, exceptions included (by class and message). */
    private static List<String> script(RandomAccessRead in, Random random) {
        List<String> answers = new ArrayList<>();
        for (int step = 0; step < 40; step++) {
            int op = random.nextInt(step == 35 ? 1 : 12);
            try {
                answers.add(switch (op) {
                    case 0 -> {
                        in.close();
                        yield "closed " + in.isClosed();
                    }
                    case 1, 2 -> "read " + in.read();
                    case 3 -> {
                        byte[] buffer = new byte[random.nextInt(8)];
                        int off = buffer.length == 0 ? 0 : random.nextInt(buffer.length);
                        int n = in.read(buffer, off, buffer.length - off);
                        yield "read[] " + n + " " + Arrays.toString(buffer);
                    }
                    case 4 -> "peek " + in.peek();
                    case 5 -> {
                        in.rewind(random.nextInt(4));
                        yield "rewind " + in.getPosition();
                    }
                    case 6 -> {
                        in.seek(random.nextInt(80) - 10);
                        yield "seek " + in.getPosition();
                    }
                    case 7 -> {
                        in.skip(random.nextInt(5));
                        yield "skip " + in.getPosition();
                    }
                    case 8 -> "eof " + in.isEOF() + " " + in.available() + " " + in.length();
                    case 9 -> "position " + in.getPosition();
                    case 10 -> {
                        if (in.isClosed()) {
                            // PDFBox's buffer fails with an IndexOutOfBoundsException here, ours with an
                            // IOException; PDFBox never makes a view of a closed file
                            yield "no view of a closed reader";
                        }
                        long start = random.nextInt(70);
                        long length = random.nextInt(20);
                        try (var view = in.createView(start, length)) {
                            byte[] buffer = new byte[30];
                            int n = view.read(buffer, 0, buffer.length);
                            yield "view " + n + " " + Arrays.toString(buffer) + " then " + view.read();
                        }
                    }
                    default -> "read " + in.read();
                });
            } catch (IOException | RuntimeException e) {
                answers.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return answers;
    }
}
