package cn.yinxin.bench;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a large PDF straight to disk, object by object, with the heap holding one page's image at a time: every
 * page shows an uncompressed RGB image of random (so incompressible) pixels, like a scanned attachment, and a line
 * of text. With 200 pages of 591 x 591 pixels (1 MiB each) the file is about 200 MiB.
 */
final class LargePdf {

    private LargePdf() {
    }

    /** @return the file's size */
    static long write(Path file, int pages, int imageSide, long seed) throws IOException {
        int objects = 3 + 3 * pages;
        long[] offsets = new long[objects + 1];
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[imageSide * imageSide * 3];
        try (Counting out = new Counting(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            out.write("%PDF-1.7\n%".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {(byte) 0xe2, (byte) 0xe3, (byte) 0xcf, (byte) 0xd3, '\n'});
            offsets[1] = out.count;
            out.ascii("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
            offsets[2] = out.count;
            StringBuilder kids = new StringBuilder();
            for (int p = 0; p < pages; p++) {
                kids.append(4 + 3 * p).append(" 0 R ");
            }
            out.ascii("2 0 obj\n<< /Type /Pages /Count " + pages + " /Kids [" + kids + "] >>\nendobj\n");
            offsets[3] = out.count;
            out.ascii("3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
            for (int p = 0; p < pages; p++) {
                int page = 4 + 3 * p;
                int content = page + 1;
                int image = page + 2;
                offsets[page] = out.count;
                out.ascii(page + " 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << "
                        + "/Font << /F1 3 0 R >> /XObject << /Im1 " + image + " 0 R >> >> /Contents " + content
                        + " 0 R >>\nendobj\n");
                String text = "q 480 0 0 480 57.64 250 cm /Im1 Do Q BT /F1 14 Tf 57.64 770 Td (Attachment, page "
                        + (p + 1) + " of " + pages + ": a scanned image) Tj ET\n";
                offsets[content] = out.count;
                out.ascii(content + " 0 obj\n<< /Length " + text.length() + " >>\nstream\n" + text
                        + "endstream\nendobj\n");
                random.nextBytes(pixels);
                offsets[image] = out.count;
                out.ascii(image + " 0 obj\n<< /Type /XObject /Subtype /Image /Width " + imageSide + " /Height "
                        + imageSide + " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length " + pixels.length
                        + " >>\nstream\n");
                out.write(pixels);
                out.ascii("\nendstream\nendobj\n");
            }
            long xref = out.count;
            out.ascii("xref\n0 " + (objects + 1) + "\n0000000000 65535 f \n");
            for (int i = 1; i <= objects; i++) {
                out.ascii(String.format("%010d 00000 n \n", offsets[i]));
            }
            String id = String.format("%032x", seed);
            out.ascii("trailer\n<< /Size " + (objects + 1) + " /Root 1 0 R /ID [<" + id + "> <" + id + ">] >>\n"
                    + "startxref\n" + xref + "\n%%EOF\n");
            return out.count;
        }
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        void ascii(String text) throws IOException {
            write(text.getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }
    }
}
