package cn.yinxin.core.pdf;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.pdfparser.PDFObjectStreamParser;
import org.apache.pdfbox.pdfparser.PDFParser;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * PDFBox's parser as the verifier uses it (the whole file and each signed revision): the same objects as
 * {@code Loader.loadPDF}, read with less work. Hex strings, names and numbers are read by {@link PdfTokens}, white
 * space and comments skipped by {@link PdfBytes#skipSpaces}; an object stream's objects are read from its decoded
 * bytes held as {@link PdfBytes} instead of PDFBox's {@code RandomAccessReadWriteBuffer}, whose every step back (the
 * lexer peeks at each byte: a read, then a rewind) is a seek dividing a 64-bit position by the chunk size (~8 % of a
 * 100-page verification, whose pages all live in object streams, in two documents).
 *
 * <p>{@link #parseObjectStreamObject} is PDFBox 3.0's own (each object stream parsed once, when one of its objects
 * is first asked for; the others kept until asked; a stream that cannot be parsed gives no object, leniently), with
 * its parser given the decoded bytes: the bytes PDFBox decodes ({@code COSStream.createView}, eager), copied once
 * into an array. The copy costs one stream's decoded size for a moment; a stream is at most
 * {@code YINXIN_VERIFY_MAX_STREAM_BYTES} decoded (the raw checks measure every stream before PDFBox reads any).
 * {@code VerifyingParserTest} holds the documents read here to PDFBox's reading, damaged ones too.
 *
 * <p>Unlike PDFBox, a parser reads at most {@link PdfTokens#MAX_VALUES} values (its object streams' included): past
 * them it throws {@link cn.yinxin.core.pdf.verify.LimitExceededException}, and the verification answers
 * INDETERMINATE (limit "objects") instead of filling the heap.
 */
public final class VerifyingParser extends PDFParser {

    /** PDFBox's {@code decompressedObjects}, which is private to its parser. */
    private final Map<Long, Map<COSObjectKey, COSBase>> objectStreams = new HashMap<>();
    private final PdfTokens tokens = new PdfTokens();
    /** Dictionaries and arrays being read, one inside the other. */
    private int nesting;

    private VerifyingParser(RandomAccessRead source, StreamCacheCreateFunction streamCache) throws IOException {
        super(source, "", null, null, streamCache);
    }

    /** As {@code Loader.loadPDF(source, "", null, null, streamCache)}. */
    public static PDDocument load(RandomAccessRead source, StreamCacheCreateFunction streamCache) throws IOException {
        return new VerifyingParser(source, streamCache).parse();
    }

    /** As {@code Loader.loadPDF(source)}. */
    public static PDDocument load(RandomAccessRead source) throws IOException {
        return load(source, IOUtils.createMemoryOnlyStreamCache());
    }

    @Override
    protected COSString parseCOSString() throws IOException {
        if (source.peek() != '<') {
            return super.parseCOSString();
        }
        source.read();
        return new COSString(PdfTokens.hexString(source));
    }

    @Override
    protected COSName parseCOSName() throws IOException {
        tokens.counted();
        readExpectedChar('/');
        return tokens.name(source);
    }

    @Override
    protected void skipSpaces() throws IOException {
        if (source instanceof PdfBytes bytes) {
            bytes.skipSpaces();
        } else {
            super.skipSpaces();
        }
    }

    /**
     * Numbers read by {@link PdfTokens#number}; anything else, and anything nested deeper than
     * {@link PdfTokens#SHALLOW} containers, by PDFBox (whose depth limit then applies as it would).
     */
    @Override
    protected COSBase parseDirObject() throws IOException {
        tokens.counted();
        if (nesting < PdfTokens.SHALLOW) {
            skipSpaces();
            int c = source.peek();
            if (c >= '0' && c <= '9' || c == '-') {
                return tokens.number(source);
            }
        }
        return super.parseDirObject();
    }

    @Override
    protected COSDictionary parseCOSDictionary(boolean isDirect) throws IOException {
        nesting++;
        try {
            return super.parseCOSDictionary(isDirect);
        } finally {
            nesting--;
        }
    }

    @Override
    protected COSArray parseCOSArray() throws IOException {
        nesting++;
        try {
            return super.parseCOSArray();
        } finally {
            nesting--;
        }
    }

    @Override
    protected COSBase parseObjectStreamObject(long objstmObjNr, COSObjectKey key) throws IOException {
        Map<COSObjectKey, COSBase> streamObjects = objectStreams.computeIfAbsent(objstmObjNr, n -> new HashMap<>());
        // did we already read the compressed object stream?
        COSBase object = streamObjects.remove(key);
        if (object != null) {
            return object;
        }
        COSBase stream = document.getObjectFromPool(getObjectKey(objstmObjNr, 0)).getObject();
        if (stream instanceof COSStream objectStream) {
            try {
                Map<COSObjectKey, COSBase> all = new ObjectStreamParser(objectStream, document, tokens).parseAllObjects();
                object = all.remove(key);
                all.forEach(streamObjects::putIfAbsent);
            } catch (IOException e) {
                if (!isLenient()) {
                    throw e;
                }
                // PDFBox logs and goes on: the object is missing, as every other object of that stream
            }
        }
        return object;
    }

    /** PDFBox's object stream parser over the stream's decoded bytes, reading strings and names as above. */
    private static final class ObjectStreamParser extends PDFObjectStreamParser {

        private final PdfTokens tokens;
        private int nesting;

        ObjectStreamParser(COSStream stream, COSDocument document, PdfTokens tokens) throws IOException {
            super(new Decoded(stream), document);
            this.tokens = tokens;
        }

        @Override
        protected COSString parseCOSString() throws IOException {
            if (source.peek() != '<') {
                return super.parseCOSString();
            }
            source.read();
            return new COSString(PdfTokens.hexString(source));
        }

        @Override
        protected COSName parseCOSName() throws IOException {
            tokens.counted();
            readExpectedChar('/');
            return tokens.name(source);
        }

        @Override
        protected void skipSpaces() throws IOException {
            ((PdfBytes) source).skipSpaces(); // always: the decoded stream's bytes
        }

        @Override
        protected COSBase parseDirObject() throws IOException {
            tokens.counted();
            if (nesting < PdfTokens.SHALLOW) {
                skipSpaces();
                int c = source.peek();
                if (c >= '0' && c <= '9' || c == '-') {
                    return tokens.number(source);
                }
            }
            return super.parseDirObject();
        }

        @Override
        protected COSDictionary parseCOSDictionary(boolean isDirect) throws IOException {
            nesting++;
            try {
                return super.parseCOSDictionary(isDirect);
            } finally {
                nesting--;
            }
        }

        @Override
        protected COSArray parseCOSArray() throws IOException {
            nesting++;
            try {
                return super.parseCOSArray();
            } finally {
                nesting--;
            }
        }
    }

    /**
     * An object stream as PDFBox's object stream parser reads it: its /N and /First, and its decoded bytes (decoded
     * by PDFBox, first thing, as the parser's own constructor does) held in an array.
     */
    private static final class Decoded extends COSStream {

        private final byte[] bytes;

        Decoded(COSStream stream) throws IOException {
            try (RandomAccessRead view = stream.createView()) {
                long length = view.length();
                if (length > Integer.MAX_VALUE - 8) {
                    throw new IOException("object stream of " + length + " bytes");
                }
                byte[] read = new byte[(int) length];
                int at = 0;
                int n;
                while (at < read.length && (n = view.read(read, at, read.length - at)) > 0) {
                    at += n;
                }
                bytes = at == read.length ? read : Arrays.copyOf(read, at);
            }
            setItem(COSName.N, stream.getItem(COSName.N));
            setItem(COSName.FIRST, stream.getItem(COSName.FIRST));
        }

        @Override
        public RandomAccessRead createView() {
            return new PdfBytes(bytes);
        }
    }
}
