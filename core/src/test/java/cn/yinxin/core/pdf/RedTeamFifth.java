package cn.yinxin.core.pdf;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;

/** The fifth red team's crafting, beside the fourth's ({@link RedTeamFourth}), whose edits and verification it uses. */
final class RedTeamFifth {

    private RedTeamFifth() {
    }

    /**
     * A grey 16 x 16 baseline JPEG (the JDK's encoder, a few hundred bytes) whose frame header (SOF0) is then made to
     * declare {@code side} x {@code side} pixels: its coded data end long before, which the JDK's decoder finishes
     * with empty blocks, every one of them decoded.
     */
    static byte[] jpegDeclaring(int side) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY), "jpg", out);
        byte[] jpeg = out.toByteArray();
        for (int i = 0; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) {
                jpeg[i + 5] = (byte) (side >> 8);
                jpeg[i + 6] = (byte) side;
                jpeg[i + 7] = (byte) (side >> 8);
                jpeg[i + 8] = (byte) side;
                return jpeg;
            }
        }
        throw new IllegalStateException("no SOF0 in the JDK's JPEG");
    }

    /**
     * A grey {@code side} x {@code side} progressive JPEG (the JDK's encoder writes six scans) whose last scan is
     * repeated until it has {@code scans}: a valid file the JDK decodes whole, walking the image once per scan.
     */
    static byte[] progressiveJpeg(int side, int scans) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY), null, null),
                    param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = out.toByteArray();
        int last = -1;
        int had = 0;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xda) {
                last = i;
                had++;
            }
        }
        ByteArrayOutputStream repeated = new ByteArrayOutputStream();
        repeated.write(jpeg, 0, jpeg.length - 2);
        for (int i = had; i < scans; i++) {
            repeated.write(jpeg, last, jpeg.length - 2 - last);
        }
        repeated.write(new byte[] {(byte) 0xff, (byte) 0xd9});
        return repeated.toByteArray();
    }

    /**
     * Adds to page 1 a stamp annotation on blank paper (300 x 100 at 72, 400) whose appearance draws one inline image
     * (BI {@code dictionary} ID {@code data} EI), which no stream dictionary of the file shows.
     */
    static RedTeamFourth.Edit stampShowingInline(String dictionary, byte[] data) {
        return RedTeamFourth.stampShowing(PdfCrafting.concat(PdfCrafting.bytes("q 300 0 0 100 0 0 cm BI " + dictionary
                + " ID "), data, PdfCrafting.bytes(" EI Q")), null, 400);
    }

    /** {@code size} zero bytes, deflated (zlib) at the best compression: about a thousandth of their size. */
    static byte[] deflatedZeros(long size) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        byte[] buffer = new byte[1 << 16];
        for (long left = size; left > 0; left -= zeros.length) {
            deflater.setInput(zeros, 0, (int) Math.min(zeros.length, left));
            while (!deflater.needsInput()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** The bytes the calling thread allocated while {@code work} ran (HotSpot counts them per thread). */
    static long allocatedBy(java.util.concurrent.Callable<?> work) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.call();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * Adds to page 1 a stamp annotation on blank paper (300 x 100 at 72, 400) drawing {@code jpeg} as an image XObject
     * whose dictionary states the same size as its frame.
     */
    static RedTeamFourth.Edit stampDrawingJpeg(byte[] jpeg, int side) {
        return document -> {
            COSStream image = document.getDocument().createCOSStream();
            image.setName(COSName.TYPE, "XObject");
            image.setName(COSName.SUBTYPE, "Image");
            image.setInt(COSName.WIDTH, side);
            image.setInt(COSName.HEIGHT, side);
            image.setInt(COSName.BITS_PER_COMPONENT, 8);
            image.setItem(COSName.COLORSPACE, COSName.DEVICEGRAY);
            image.setItem(COSName.FILTER, COSName.DCT_DECODE);
            try (var out = image.createRawOutputStream()) {
                out.write(jpeg);
            }
            RedTeamFourth.stampShowing(PdfCrafting.bytes("q 300 0 0 100 0 0 cm /Im1 Do Q"), image, 400).apply(document);
        };
    }
}
