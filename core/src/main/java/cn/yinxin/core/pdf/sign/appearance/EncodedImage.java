package cn.yinxin.core.pdf.sign.appearance;

import cn.yinxin.core.Zlib;
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
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.zip.Deflater;

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
            encoded = encoded == null ? null : encoded.smaller();
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

    /**
     * The same pixels in fewer bytes, when they can be: PDFBox writes a seal PNG as 8-bit DeviceRGB samples with PNG
     * predictors and a soft mask, and the predictors cost more than they save on a seal's flat ink (the sample seal:
     * 25.7 KB of colour and 20.1 KB of mask, measured). Flate at its best level without predictors, with the colour of
     * pixels the mask leaves fully transparent made the ink's (unseen in any viewer that honours the mask, and a run of
     * one value), gave 14.9 and 18.4 KB. Done once per seal image (the result is kept); kept only when smaller, and
     * only for the plain shape PDFBox writes (8-bit DeviceRGB, 8-bit DeviceGray mask of the same size).
     */
    private EncodedImage smaller() throws IOException {
        if (softMask == null || !COSName.DEVICERGB.equals(dictionary.getCOSName(COSName.COLORSPACE))
                || dictionary.getInt(COSName.BITS_PER_COMPONENT) != 8
                || softMask.dictionary.getInt(COSName.BITS_PER_COMPONENT) != 8
                || softMask.dictionary.getInt(COSName.WIDTH) != dictionary.getInt(COSName.WIDTH)
                || softMask.dictionary.getInt(COSName.HEIGHT) != dictionary.getInt(COSName.HEIGHT)) {
            return this;
        }
        byte[] rgb = decoded();
        byte[] alpha = softMask.decoded();
        int pixels = dictionary.getInt(COSName.WIDTH) * dictionary.getInt(COSName.HEIGHT);
        if (rgb.length != pixels * 3 || alpha.length != pixels) {
            return this;
        }
        int ink = commonestOpaqueColour(rgb, alpha);
        for (int i = 0; i < pixels; i++) {
            if (alpha[i] == 0) {
                rgb[3 * i] = (byte) (ink >> 16);
                rgb[3 * i + 1] = (byte) (ink >> 8);
                rgb[3 * i + 2] = (byte) ink;
            }
        }
        EncodedImage mask = softMask.withoutPredictor(alpha);
        EncodedImage colour = new EncodedImage(withoutPredictor(dictionary),
                Zlib.compress(rgb, Deflater.BEST_COMPRESSION), mask);
        return colour.encoded.length + mask.encoded.length < encoded.length + softMask.encoded.length ? colour : this;
    }

    private EncodedImage withoutPredictor(byte[] samples) {
        return new EncodedImage(withoutPredictor(dictionary), Zlib.compress(samples, Deflater.BEST_COMPRESSION), null);
    }

    private static COSDictionary withoutPredictor(COSDictionary dictionary) {
        COSDictionary plain = new COSDictionary();
        for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
            if (!COSName.DECODE_PARMS.equals(entry.getKey())) {
                plain.setItem(entry.getKey(), entry.getValue());
            }
        }
        plain.setItem(COSName.FILTER, COSName.FLATE_DECODE);
        return plain;
    }

    /** The samples, through the stream's own filters (PDFBox's Flate and predictor). */
    private byte[] decoded() throws IOException {
        try (COSStream stream = new COSStream()) {
            for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
                stream.setItem(entry.getKey(), entry.getValue());
            }
            try (OutputStream out = stream.createRawOutputStream()) {
                out.write(encoded);
            }
            try (InputStream in = stream.createInputStream()) {
                return in.readAllBytes();
            }
        }
    }

    private static int commonestOpaqueColour(byte[] rgb, byte[] alpha) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < alpha.length; i++) {
            if (alpha[i] != 0) {
                counts.merge((rgb[3 * i] & 0xFF) << 16 | (rgb[3 * i + 1] & 0xFF) << 8 | rgb[3 * i + 2] & 0xFF, 1,
                        Integer::sum);
            }
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0);
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
