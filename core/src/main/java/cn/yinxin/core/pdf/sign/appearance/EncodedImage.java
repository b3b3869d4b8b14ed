package cn.yinxin.core.pdf.sign.appearance;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSBoolean;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A seal image already encoded as a PDF image XObject (compressed pixels and soft mask), kept between stamps.
 * Decoding the PNG and compressing it again is most of the cost of a stamp; a seal's image never changes, so it
 * is done once per image and the encoded bytes are copied into each document.
 */
final class EncodedImage {

    /** Keyed by the image array itself (identity): a seal keeps its image, and a dropped image frees its entry. */
    private static final Map<byte[], EncodedImage> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private final COSDictionary dictionary;
    private final byte[] encoded;
    private final EncodedImage softMask;

    private EncodedImage(COSDictionary dictionary, byte[] encoded, EncodedImage softMask) {
        this.dictionary = dictionary;
        this.encoded = encoded;
        this.softMask = softMask;
    }

    /** The image as an XObject of {@code document}, from the cache when this image was seen before. */
    static PDImageXObject into(PDDocument document, byte[] image) throws IOException {
        EncodedImage encoded = CACHE.get(image);
        if (encoded == null) {
            try (PDDocument scratch = new PDDocument()) {
                encoded = capture(PDImageXObject.createFromByteArray(scratch, image, "seal").getCOSObject());
            }
            if (encoded == null) {
                // an image whose dictionary refers to other objects: not cached, made in place
                return PDImageXObject.createFromByteArray(document, image, "seal");
            }
            CACHE.put(image, encoded);
        }
        return new PDImageXObject(new PDStream(encoded.toStream(document)), null);
    }

    private COSStream toStream(PDDocument document) throws IOException {
        COSStream stream = document.getDocument().createCOSStream();
        for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
            stream.setItem(entry.getKey(), entry.getValue());
        }
        try (OutputStream out = stream.createRawOutputStream()) {
            out.write(encoded);
        }
        if (softMask != null) {
            stream.setItem(COSName.SMASK, softMask.toStream(document));
        }
        return stream;
    }

    private static EncodedImage capture(COSStream stream) throws IOException {
        COSDictionary dictionary = new COSDictionary();
        for (Map.Entry<COSName, COSBase> entry : stream.entrySet()) {
            if (COSName.LENGTH.equals(entry.getKey()) || COSName.SMASK.equals(entry.getKey())) {
                continue;
            }
            if (!isPlainValue(entry.getValue())) {
                return null;
            }
            dictionary.setItem(entry.getKey(), entry.getValue());
        }
        EncodedImage mask = null;
        if (stream.getDictionaryObject(COSName.SMASK) instanceof COSStream maskStream) {
            mask = capture(maskStream);
            if (mask == null) {
                return null;
            }
        }
        try (InputStream in = stream.createRawInputStream()) {
            return new EncodedImage(dictionary, in.readAllBytes(), mask);
        }
    }

    /** Names, numbers, booleans and direct arrays or dictionaries of them: safe to share between documents. */
    private static boolean isPlainValue(COSBase value) {
        if (value instanceof COSName || value instanceof COSNumber || value instanceof COSBoolean) {
            return true;
        }
        if (value instanceof COSArray array) {
            for (COSBase item : array) {
                if (!isPlainValue(item)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof COSDictionary dictionary && !(value instanceof COSStream)) {
            for (COSBase item : dictionary.getValues()) {
                if (!isPlainValue(item)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
