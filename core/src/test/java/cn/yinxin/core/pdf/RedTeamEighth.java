package cn.yinxin.core.pdf;

import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/** Documents of the eighth hostile read, each built from a genuinely sealed PDF. */
final class RedTeamEighth {

    private RedTeamEighth() {
    }

    /** {@code count} times {@code item}, in brackets: one array of that many values. */
    static byte[] manyValues(String item, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(item.length() * count + 2);
        out.write('[');
        byte[] one = HostileFiles.Appender.text(item);
        for (int i = 0; i < count; i++) {
            out.writeBytes(one);
        }
        out.write(']');
        return out.toByteArray();
    }

    /** An array of {@code count} names, each another. */
    static byte[] uniqueNames(int count) {
        StringBuilder out = new StringBuilder(count * 8).append('[');
        for (int i = 0; i < count; i++) {
            out.append("/yx8n").append(i);
        }
        return HostileFiles.Appender.text(out.append(']').toString());
    }

    /** PDFBox's table of the names it has read (COSName's private static nameMap). */
    @SuppressWarnings("unchecked")
    static Map<String, COSName> namesKeptByPdfBox() throws ReflectiveOperationException {
        var field = COSName.class.getDeclaredField("nameMap");
        field.setAccessible(true);
        return (Map<String, COSName>) field.get(null);
    }

    /** One new object after the seal, {@code body} written as it is, named by the catalog as /Yx when {@code named}. */
    static byte[] oneObject(byte[] sealed, byte[] body, boolean named) {
        HostileFiles.Appender update = new HostileFiles.Appender(sealed);
        long number = update.allocate();
        update.object(number, body);
        if (named) {
            try (var document = org.apache.pdfbox.Loader.loadPDF(sealed)) {
                COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
                update.object(PdfCrafting.catalogKey(sealed).getNumber(),
                        HostileFiles.Appender.text(HostileFiles.Cos.write(catalog,
                                Map.of(COSName.getPDFName("Yx"), number + " 0 R"))));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return update.commit().bytes();
    }

    /** Page 1's content replaced after the seal by a stream of {@code data} (FlateDecode). */
    static byte[] pageContent(byte[] sealed, byte[] data) {
        HostileFiles.Appender update = new HostileFiles.Appender(sealed);
        long stream = update.allocate();
        update.object(stream, HostileFiles.Appender.stream("/Filter /FlateDecode", data));
        try (var document = org.apache.pdfbox.Loader.loadPDF(sealed)) {
            COSDictionary page = document.getPage(0).getCOSObject();
            update.object(page.getKey().getNumber(), HostileFiles.Appender.text(HostileFiles.Cos.write(page,
                    Map.of(COSName.CONTENTS, stream + " 0 R"))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return update.commit().bytes();
    }

    /** What the forger's comment draws: a white box over the approval line and a forged one in its place. */
    static final String FORGED_INK = "1 1 1 rg 0 0 300 40 re f 0 0 0 rg BT /F1 18 Tf 10 12 Td (REFUSED 1,000,000) Tj ET";

    /**
     * A square comment added to page 1 after the seal over the approval line (72, 700), whose normal appearance
     * draws {@link #FORGED_INK} from a stream of {@code entries} (its filters) holding {@code data}.
     */
    static byte[] comment(byte[] sealed, String entries, byte[] data) {
        return comment(sealed, entries, data, "null");
    }

    /** As {@link #comment(byte[], String, byte[])}, "{F}" in {@code entries} a reference to an object {@code filter}. */
    static byte[] comment(byte[] sealed, String entries, byte[] data, String filter) {
        HostileFiles.Appender update = new HostileFiles.Appender(sealed);
        long named = update.allocate();
        update.object(named, HostileFiles.Appender.text(filter));
        entries = entries.replace("{F}", named + " 0 R");
        long font = update.allocate();
        long appearance = update.allocate();
        long annotation = update.allocate();
        update.object(font, HostileFiles.Appender.text("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));
        update.object(appearance, HostileFiles.Appender.stream("/Type /XObject /Subtype /Form /BBox [0 0 300 40] "
                + "/Resources << /Font << /F1 " + font + " 0 R >> >> " + entries, data));
        update.object(annotation, HostileFiles.Appender.text("<< /Type /Annot /Subtype /Square /Rect [66 690 366 730] "
                + "/F 4 /C [1 1 1] /Border [0 0 0] /AP << /N " + appearance + " 0 R >> >>"));
        try (var document = org.apache.pdfbox.Loader.loadPDF(sealed)) {
            COSDictionary page = document.getPage(0).getCOSObject();
            StringBuilder annots = new StringBuilder("[");
            var existing = page.getCOSArray(COSName.ANNOTS);
            for (int i = 0; existing != null && i < existing.size(); i++) {
                annots.append(HostileFiles.Cos.write(existing.get(i), Map.of())).append(' ');
            }
            annots.append(annotation).append(" 0 R]");
            update.object(page.getKey().getNumber(), HostileFiles.Appender.text(HostileFiles.Cos.write(page,
                    Map.of(COSName.ANNOTS, annots.toString()))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return update.commit().bytes();
    }

    /**
     * zlib data whose inflating PDFBox cuts short of what it inflates to: a stored block of 2,043 spaces that fills
     * PDFBox's first 2,048-byte read of the input, then 2,100 spaces and {@code ink} compressed (flushed to a byte),
     * then a block of the reserved type 3. PDFBox's decoder hands on what the failing inflation wrote only as far as
     * the current 4,096-byte read of IOUtils.copy reaches (2,053 bytes more), so the ink is lost to it; poppler and
     * pdf.js keep everything inflated before the bad block.
     */
    static byte[] flateCutShortForPdfBox(byte[] ink) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x78);
        out.write(0x01);
        int stored = 2043;
        out.write(0x00);
        out.write(stored & 0xff);
        out.write(stored >> 8);
        out.write(~stored & 0xff);
        out.write((~stored >> 8) & 0xff);
        for (int i = 0; i < stored; i++) {
            out.write(' ');
        }
        byte[] tail = PdfCrafting.concat(HostileFiles.Appender.text(" ".repeat(2100) + "\n"), ink);
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(9, true);
        deflater.setInput(tail);
        byte[] buffer = new byte[8192];
        int n = deflater.deflate(buffer, 0, buffer.length, java.util.zip.Deflater.SYNC_FLUSH);
        deflater.end();
        out.write(buffer, 0, n);
        out.write(0x07); // final block, type 3 (reserved): "invalid block type"
        return out.toByteArray();
    }

    /**
     * A revision after the seal whose cross-reference is a stream of one byte with /W [0 0 0] (rows of no bytes) and
     * {@code entries}: PDFBox's xref stream parser reads a row of nothing per object number of /Index (here /Size) and
     * stops only at the end of the data, which a row of no bytes never reaches: one map entry per number.
     */
    static byte[] crossReferenceStreamOfEmptyRows(byte[] sealed, long entries, String index) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(sealed);
        if (sealed[sealed.length - 1] != '\n') {
            out.write('\n');
        }
        var root = PdfCrafting.catalogKey(sealed);
        long size = PdfCrafting.trailerSize(sealed);
        long xref = out.size();
        out.writeBytes(HostileFiles.Appender.text(size + " 0 obj\n<< /Type /XRef /Size " + entries + " /W [0 0 0] "
                + index + "/Root " + root.getNumber() + " " + root.getGeneration() + " R /Prev "
                + PdfCrafting.lastStartXref(sealed) + " /Length 1 >>\nstream\nx\nendstream\nendobj\nstartxref\n"
                + xref + "\n%%EOF\n"));
        return out.toByteArray();
    }

    /** An update whose cross-reference table lists {@code entries} rows, each {@code row} as written. */
    static byte[] crossReferenceTable(byte[] sealed, int entries, String row) {
        HostileFiles.Appender update = new HostileFiles.Appender(sealed);
        long first = update.allocate();
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        table.writeBytes(HostileFiles.Appender.text("xref\n" + first + " " + entries + "\n"));
        byte[] one = HostileFiles.Appender.text(row);
        for (int i = 0; i < entries; i++) {
            table.writeBytes(one);
        }
        return update.table(table.toByteArray(), first + entries).bytes();
    }

    /**
     * An update after the seal holding {@code headers} lines "N 0 obj" of distinct numbers (no object follows any),
     * then one note object and its table; {@code brokenStartxref} points its startxref nowhere (readers rebuild).
     */
    static byte[] manyObjectHeaders(byte[] sealed, int headers, boolean brokenStartxref) {
        HostileFiles.Appender update = new HostileFiles.Appender(sealed);
        long note = update.allocate();
        StringBuilder junk = new StringBuilder(headers * 14);
        for (int i = 0; i < headers; i++) {
            junk.append(1_000_000 + i).append(" 0 obj\n");
        }
        update.object(note, HostileFiles.Appender.text("<< /Note 1 >>\n% " + "x".repeat(10) + "\n" + junk + "%"));
        byte[] pdf = update.commit().bytes();
        if (!brokenStartxref) {
            return pdf;
        }
        String text = PdfCrafting.text(pdf);
        int at = text.lastIndexOf("startxref\n") + "startxref\n".length();
        return PdfCrafting.overwrite(pdf, at, "9");
    }

    /**
     * A square comment over the approval line whose appearance stream (unfiltered) says "q Q" up to its first
     * "endstream", and whose /Length reaches past that keyword over {@code ink} written after the object's
     * "endobj": PDFBox and pdf.js end a stream whose /Length is not followed by "endstream" at the first "endstream";
     * poppler reads /Length bytes.
     */
    static byte[] commentWithLongLength(byte[] sealed, String ink) {
        HostileFiles.Appender update = new HostileFiles.Appender(sealed);
        long font = update.allocate();
        long appearance = update.allocate();
        long annotation = update.allocate();
        update.object(font, HostileFiles.Appender.text("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));
        String data = "q Q";
        String past = "\nendstream\nendobj\n" + ink + "\n";
        // the Appender writes "\nendobj\n" after the body: the body ends with the first "endstream"
        update.object(appearance, HostileFiles.Appender.text("<< /Type /XObject /Subtype /Form /BBox [0 0 300 40] "
                + "/Resources << /Font << /F1 " + font + " 0 R >> >> /Length " + (data.length() + past.length())
                + " >>\nstream\n" + data + "\nendstream\nendobj\n" + ink + "\n%"));
        update.object(annotation, HostileFiles.Appender.text("<< /Type /Annot /Subtype /Square /Rect [66 690 366 730] "
                + "/F 4 /C [1 1 1] /Border [0 0 0] /AP << /N " + appearance + " 0 R >> >>"));
        try (var document = org.apache.pdfbox.Loader.loadPDF(sealed)) {
            COSDictionary page = document.getPage(0).getCOSObject();
            StringBuilder annots = new StringBuilder("[");
            var existing = page.getCOSArray(COSName.ANNOTS);
            for (int i = 0; existing != null && i < existing.size(); i++) {
                annots.append(HostileFiles.Cos.write(existing.get(i), Map.of())).append(' ');
            }
            annots.append(annotation).append(" 0 R]");
            update.object(page.getKey().getNumber(), HostileFiles.Appender.text(HostileFiles.Cos.write(page,
                    Map.of(COSName.ANNOTS, annots.toString()))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return update.commit().bytes();
    }
}
