package cn.yinxin.core.pdf;

import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadView;

import java.io.IOException;

/**
 * A PDF held in memory (the first {@code length} bytes of an array, never copied), as PDFBox's parser reads it.
 * It gives PDFBox exactly the bytes {@link org.apache.pdfbox.io.RandomAccessReadBuffer} would, with the same answers
 * at the end and after closing; it exists because of how PDFBox reads: its lexer looks at every byte ahead
 * ({@code peek}: a read, then a step back), and each step back in {@code RandomAccessReadBuffer} is a seek that
 * divides and takes the remainder of a 64-bit position by the buffer's size, then positions a {@code ByteBuffer}.
 * That was ~8 % of a 100-page verification (seeks, reads and peeks of the parsers of the whole file and of each
 * signed revision). Here a position is an index into the array.
 *
 * <p>A view (a stream's data, which PDFBox reads while it goes on parsing elsewhere) reads through a reader of its
 * own over the same array, so it never moves the parser's position; {@code RandomAccessReadBuffer} keeps one copy
 * per thread for the same reason.
 */
public final class PdfBytes implements RandomAccessRead {

    private final byte[] bytes;
    private final int length;
    private int position;
    private boolean closed;

    /** The whole array. */
    public PdfBytes(byte[] bytes) {
        this(bytes, bytes.length);
    }

    /** The first {@code length} bytes (an earlier revision of the file: the file cut where it ended). */
    public PdfBytes(byte[] bytes, int length) {
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + bytes.length);
        }
        this.bytes = bytes;
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        return position < length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        if (position >= length) {
            return -1;
        }
        int n = Math.min(len, length - position);
        System.arraycopy(bytes, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int peek() throws IOException {
        checkClosed();
        return position < length ? bytes[position] & 0xff : -1;
    }

    /**
     * PDFBox's {@code BaseParser.skipSpaces} over these bytes: white space (NUL, TAB, FF, LF, CR, space) and comments
     * ("%" to the end of the line) skipped, the position left at the first other byte (or the end). The lexer calls
     * it before nearly every token; here it is a loop over the array instead of a read and a step back per byte.
     */
    public void skipSpaces() throws IOException {
        checkClosed();
        int at = position;
        while (at < length) {
            int c = bytes[at];
            if (c == '%') {
                at++;
                while (at < length && bytes[at] != '\n' && bytes[at] != '\r') {
                    at++;
                }
            } else if (isSpace((byte) c)) {
                at++;
            } else {
                break;
            }
        }
        position = at;
    }

    /** PDFBox's white space ({@code BaseParser.isWhitespace}): NUL, TAB, LF, FF, CR, space. */
    public static boolean isSpace(byte c) {
        return c == 0 || c == 9 || c == 12 || c == '\n' || c == '\r' || c == ' ';
    }

    @Override
    public void rewind(int count) throws IOException {
        seek((long) position - count);
    }

    @Override
    public void skip(int count) throws IOException {
        seek((long) position + count);
    }

    @Override
    public long getPosition() throws IOException {
        checkClosed();
        return position;
    }

    /** As RandomAccessReadBuffer: a negative position is refused, one past the end stops at the end. */
    @Override
    public void seek(long to) throws IOException {
        checkClosed();
        if (to < 0) {
            throw new IOException("Invalid position " + to);
        }
        position = (int) Math.min(to, length);
    }

    @Override
    public long length() throws IOException {
        checkClosed();
        return length;
    }

    @Override
    public int available() throws IOException {
        checkClosed();
        return length - position;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isEOF() throws IOException {
        checkClosed();
        return position >= length;
    }

    @Override
    public RandomAccessReadView createView(long start, long viewLength) throws IOException {
        checkClosed();
        return new RandomAccessReadView(new PdfBytes(bytes, length), start, viewLength, true);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkClosed() throws IOException {
        if (closed) {
            throw new IOException("RandomAccessBuffer already closed");
        }
    }
}
