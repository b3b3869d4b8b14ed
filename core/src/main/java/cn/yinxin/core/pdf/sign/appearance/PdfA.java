package cn.yinxin.core.pdf.sign.appearance;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What sealing must respect so that a PDF/A document stays PDF/A. */
final class PdfA {

    /** pdfaid:part as an element ({@code <pdfaid:part>1</pdfaid:part>}) or an attribute ({@code pdfaid:part="1"}). */
    private static final Pattern PART = Pattern.compile("pdfaid:part\\s*(?:>|=\\s*[\"'])\\s*(\\d)");

    private PdfA() {
    }

    /** The PDF/A part the document claims in its XMP metadata (1 to 4), or 0 when it claims none. */
    static int part(PDDocument document) {
        PDMetadata metadata = document.getDocumentCatalog().getMetadata();
        if (metadata == null) {
            return 0;
        }
        try (InputStream in = metadata.exportXMPMetadata()) {
            Matcher m = PART.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Whether DeviceRGB needs a substitute here: PDF/A allows DeviceRGB (a seal PNG is DeviceRGB) only with an RGB
     * output intent or a DefaultRGB colour space (ISO 19005-2 6.2.4.3; veraPDF rule 6.2.4.3-2).
     */
    static boolean needsDefaultRgb(PDDocument document) {
        var intents = document.getDocumentCatalog().getOutputIntents();
        for (var intent : intents) {
            COSStream profile = intent.getDestOutputIntent();
            if (profile == null) {
                continue;
            }
            try (InputStream in = profile.createInputStream()) {
                byte[] header = in.readNBytes(20);
                // ICC header bytes 16-19: the profile's colour space
                if (header.length == 20 && new String(header, 16, 4, StandardCharsets.US_ASCII).equals("RGB ")) {
                    return false;
                }
            } catch (IOException e) {
                // an unreadable profile is no RGB intent
            }
        }
        return true;
    }

    /**
     * Makes DeviceRGB in a content stream with these resources mean sRGB: a DefaultRGB colour space (ICCBased,
     * the JDK's sRGB profile), which PDF/A accepts in place of an RGB output intent.
     */
    static void defaultRgbIsSrgb(PDDocument document, PDResources resources) throws IOException {
        COSStream profile = document.getDocument().createCOSStream();
        profile.setInt(COSName.N, 3);
        profile.setItem(COSName.ALTERNATE, COSName.DEVICERGB);
        try (OutputStream out = profile.createOutputStream(COSName.FLATE_DECODE)) {
            out.write(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
        }
        COSArray iccBased = new COSArray();
        iccBased.add(COSName.ICCBASED);
        iccBased.add(profile);
        COSDictionary colorSpaces = resources.getCOSObject().getCOSDictionary(COSName.COLORSPACE);
        if (colorSpaces == null) {
            colorSpaces = new COSDictionary();
            resources.getCOSObject().setItem(COSName.COLORSPACE, colorSpaces);
        }
        colorSpaces.setItem(COSName.getPDFName("DefaultRGB"), iccBased);
    }

    /**
     * PDF/A-1 forbids soft masks (ISO 19005-1 clause 6.4; veraPDF rule 6.4-2 "An XObject dictionary shall not
     * contain the SMask key"), and a seal PNG's transparency becomes one. The image gets a 1-bit stencil mask
     * instead (allowed in PDF/A-1): the seal keeps its shape and the text around it stays visible; only the
     * anti-aliased edge becomes hard (painted where the seal is at least half opaque).
     */
    static void replaceSoftMask(PDDocument document, PDImageXObject image) throws IOException {
        PDImageXObject softMask = image.getSoftMask();
        if (softMask == null) {
            return;
        }
        BufferedImage alpha = softMask.getImage();
        Raster raster = alpha.getRaster();
        int width = alpha.getWidth();
        int height = alpha.getHeight();
        int rowBytes = (width + 7) / 8;
        byte[] bits = new byte[rowBytes * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // stencil samples (Decode [0 1]): 0 paints the image, 1 masks it out
                if (raster.getSample(x, y, 0) < 128) {
                    bits[y * rowBytes + x / 8] |= (byte) (0x80 >> (x % 8));
                }
            }
        }
        COSStream mask = document.getDocument().createCOSStream();
        mask.setItem(COSName.TYPE, COSName.XOBJECT);
        mask.setItem(COSName.SUBTYPE, COSName.IMAGE);
        mask.setInt(COSName.WIDTH, width);
        mask.setInt(COSName.HEIGHT, height);
        mask.setBoolean(COSName.IMAGE_MASK, true);
        mask.setInt(COSName.BITS_PER_COMPONENT, 1);
        try (OutputStream out = mask.createOutputStream(COSName.FLATE_DECODE)) {
            out.write(bits);
        }
        image.getCOSObject().removeItem(COSName.SMASK);
        image.getCOSObject().setItem(COSName.MASK, mask);
    }
}
