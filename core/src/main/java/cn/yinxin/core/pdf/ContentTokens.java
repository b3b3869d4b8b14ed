package cn.yinxin.core.pdf;

import org.apache.pdfbox.contentstream.PDContentStream;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.util.Matrix;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * PDFBox's content stream tokenizer over bytes in memory, reading them through {@link PdfBytes}: the same tokens as
 * {@code new PDFStreamParser(bytes)}, whose {@code RandomAccessReadBuffer} turns every look-ahead of the lexer into a
 * seek dividing a 64-bit position (the raw checks parse every stream's dictionary this way, ~3 % of a 100-page
 * verification). {@code PdfBytesTest} holds PdfBytes to RandomAccessReadBuffer's answers.
 */
public final class ContentTokens {

    private ContentTokens() {
    }

    /** A tokenizer of {@code bytes}. */
    public static PDFStreamParser parser(byte[] bytes) throws IOException {
        return new PDFStreamParser(new InMemory(bytes));
    }

    /** Only what the tokenizer asks for: its bytes. */
    private record InMemory(byte[] bytes) implements PDContentStream {

        @Override
        public InputStream getContents() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public RandomAccessRead getContentsForRandomAccess() {
            return new PdfBytes(bytes);
        }

        @Override
        public PDResources getResources() {
            return null;
        }

        @Override
        public PDRectangle getBBox() {
            return null;
        }

        @Override
        public Matrix getMatrix() {
            return null;
        }
    }
}
