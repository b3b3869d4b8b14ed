package cn.yinxin.core.pdf;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSBoolean;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * Documents made to exhaust a verifier, each built from a genuinely sealed PDF by appending incremental updates (as
 * an attacker with the sealed file and a few lines of code would): compression bombs, one stream referenced
 * thousands of times, thousands of fields, annotations or revisions. Updates are written directly (offsets counted as
 * they are written), so documents with tens of thousands of objects are made in milliseconds.
 */
final class HostileFiles {

    private HostileFiles() {
    }

    /**
     * zlib data (FlateDecode) that inflates to {@code megabytes} MiB of zeros, in about a thousandth of that: the
     * compressor's output for one more MiB of zeros is the same bytes every time, so it is repeated, not recomputed.
     */
    static byte[] zerosDeflated(int megabytes) {
        byte[] zeros = new byte[1 << 20];
        Deflater deflater = new Deflater(9);
        byte[] buffer = new byte[1 << 20];
        deflater.setInput(zeros);
        byte[] first = Arrays.copyOf(buffer, deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH));
        deflater.setInput(zeros);
        byte[] again = Arrays.copyOf(buffer, deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH));
        deflater.finish();
        byte[] end = Arrays.copyOf(buffer, deflater.deflate(buffer));
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream(first.length + again.length * megabytes + end.length);
        out.writeBytes(first);
        for (int i = 1; i < megabytes; i++) {
            out.writeBytes(again);
        }
        out.writeBytes(end);
        return out.toByteArray();
    }

    /** Page 1's content replaced, in an update after the seal, by a stream that inflates to {@code megabytes} MiB. */
    static byte[] contentBomb(byte[] sealed, int megabytes) {
        return contentBomb(sealed, megabytes, "");
    }

    /** As {@link #contentBomb(byte[], int)}, with more entries in the stream's dictionary (to pass it off as an image). */
    static byte[] contentBomb(byte[] sealed, int megabytes, String entries) {
        Appender update = new Appender(sealed);
        long stream = update.allocate();
        update.object(stream, Appender.stream(entries + " /Filter /FlateDecode", zerosDeflated(megabytes)));
        return read(sealed, document -> {
            COSDictionary page = document.getPage(0).getCOSObject();
            update.object(page.getKey().getNumber(), Appender.text(Cos.write(page,
                    Map.of(COSName.CONTENTS, stream + " 0 R"))));
            return update.commit().bytes();
        });
    }

    /**
     * An update whose cross-reference section is a stream that inflates to {@code megabytes} MiB: PDFBox inflates
     * it whole while it loads the document, before anything else looks at it.
     */
    static byte[] crossReferenceBomb(byte[] sealed, int megabytes) {
        Appender update = new Appender(sealed);
        long number = update.allocate();
        return update.crossReferenceStream(number, zerosDeflated(megabytes)).bytes();
    }

    /**
     * An update adding an object stream of {@code objects} empty arrays (1.5 million fit in a 7 MB upload, 27 MB
     * decoded: within the per-stream limit, and about 250 MB of PDFBox's objects once any one of them is asked for).
     */
    static byte[] objectStreamBomb(byte[] sealed, int objects) {
        Appender update = new Appender(sealed);
        long stream = update.allocate();
        StringBuilder header = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < objects; i++) {
            header.append(stream + 1 + i).append(' ').append(body.length()).append(' ');
            body.append("[]\n");
        }
        byte[] data = deflate(Appender.text(header + body.toString()));
        update.object(stream, Appender.stream("/Type /ObjStm /N " + objects + " /First " + header.length()
                + " /Filter /FlateDecode", data));
        return update.commit().bytes();
    }

    /**
     * An update whose cross-reference table lists {@code entries} objects in use, every one at the same offset (one
     * million fit in a 20 MB upload): PDFBox keeps a map entry for each, and copies while it merges the sections.
     */
    static byte[] crossReferenceTableBomb(byte[] sealed, int entries) {
        Appender update = new Appender(sealed);
        long first = update.allocate();
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        table.writeBytes(Appender.text("xref\n" + first + " " + entries + "\n"));
        byte[] row = Appender.text("0000000015 00000 n\r\n");
        for (int i = 0; i < entries; i++) {
            table.writeBytes(row);
        }
        return update.table(table.toByteArray(), first + entries).bytes();
    }

    /** A /DSS whose CRL list names one CRL stream {@code references} times (the CRL itself stored once, compressed). */
    static byte[] dssAmplification(byte[] sealed, byte[] crl, int references) {
        Appender update = new Appender(sealed);
        long stream = update.allocate();
        long dss = update.allocate();
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < references; i++) {
            list.append(stream).append(" 0 R ");
        }
        list.append(']');
        update.object(stream, Appender.stream("/Filter /FlateDecode", deflate(crl)));
        update.object(dss, Appender.text("<< /CRLs " + list + " >>"));
        return read(sealed, document -> {
            COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
            update.object(catalogNumber(document), Appender.text(Cos.write(catalog,
                    Map.of(COSName.getPDFName("DSS"), dss + " 0 R"))));
            return update.commit().bytes();
        });
    }

    /** A /DSS listing {@code count} distinct (small, unreadable) CRL streams. */
    static byte[] distinctDssEntries(byte[] sealed, int count) {
        Appender update = new Appender(sealed);
        long dss = update.allocate();
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            long stream = update.allocate();
            update.object(stream, Appender.stream("", Appender.text("not a CRL " + i)));
            list.append(stream).append(" 0 R ");
        }
        list.append(']');
        update.object(dss, Appender.text("<< /CRLs " + list + " >>"));
        return read(sealed, document -> {
            COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
            update.object(catalogNumber(document), Appender.text(Cos.write(catalog,
                    Map.of(COSName.getPDFName("DSS"), dss + " 0 R"))));
            return update.commit().bytes();
        });
    }

    /** {@code count} text fields added to the form in one update after the seal. */
    static byte[] manyFields(byte[] sealed, int count) {
        Appender update = new Appender(sealed);
        return read(sealed, document -> {
            COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
            COSDictionary form = catalog.getCOSDictionary(COSName.ACRO_FORM);
            StringBuilder fields = new StringBuilder("[");
            COSArray existing = form.getCOSArray(COSName.FIELDS);
            for (int i = 0; i < existing.size(); i++) {
                fields.append(Cos.write(existing.get(i), Map.of())).append(' ');
            }
            for (int i = 0; i < count; i++) {
                long field = update.allocate();
                update.object(field, Appender.text("<< /FT /Tx /T (f" + i + ") /V (" + i + ") >>"));
                fields.append(field).append(" 0 R ");
            }
            fields.append(']');
            long newForm = update.allocate();
            update.object(newForm, Appender.text(Cos.write(form, Map.of(COSName.FIELDS, fields.toString()))));
            update.object(catalogNumber(document), Appender.text(Cos.write(catalog,
                    Map.of(COSName.ACRO_FORM, newForm + " 0 R"))));
            return update.commit().bytes();
        });
    }

    /** {@code count} square annotations added to page 1 in one update after the seal. */
    static byte[] manyAnnotations(byte[] sealed, int count) {
        Appender update = new Appender(sealed);
        return read(sealed, document -> {
            COSDictionary page = document.getPage(0).getCOSObject();
            StringBuilder annots = new StringBuilder("[");
            COSArray existing = page.getCOSArray(COSName.ANNOTS);
            for (int i = 0; existing != null && i < existing.size(); i++) {
                annots.append(Cos.write(existing.get(i), Map.of())).append(' ');
            }
            for (int i = 0; i < count; i++) {
                long annotation = update.allocate();
                update.object(annotation, Appender.text("<< /Type /Annot /Subtype /Square /Rect [" + (i % 500)
                        + " 10 " + (i % 500 + 1) + " 11] >>"));
                annots.append(annotation).append(" 0 R ");
            }
            annots.append(']');
            update.object(page.getKey().getNumber(), Appender.text(Cos.write(page, Map.of(COSName.ANNOTS,
                    annots.toString()))));
            return update.commit().bytes();
        });
    }

    /** {@code count} updates after the seal, each redefining a small object of its own. */
    static byte[] manyRevisions(byte[] sealed, int count) {
        Appender update = new Appender(sealed);
        long note = update.allocate();
        for (int i = 0; i < count; i++) {
            update.object(note, Appender.text("<< /Note (" + i + ") >>"));
            update.commit();
        }
        return update.bytes();
    }

    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(9);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static <T> T read(byte[] pdf, java.util.function.Function<PDDocument, T> work) {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return work.apply(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long catalogNumber(PDDocument document) {
        return ((COSObject) document.getDocument().getTrailer().getItem(COSName.ROOT)).getKey().getNumber();
    }

    /** PDF objects written back as text, references kept as references. */
    static final class Cos {

        /** {@code dictionary} with the given entries replaced (or added), each value given as PDF text. */
        static String write(COSBase base, Map<COSName, String> replaced) {
            StringBuilder out = new StringBuilder();
            write(base, replaced, out);
            return out.toString();
        }

        private static void write(COSBase base, Map<COSName, String> replaced, StringBuilder out) {
            if (base instanceof COSObject reference) {
                out.append(reference.getKey().getNumber()).append(' ').append(reference.getKey().getGeneration())
                        .append(" R");
            } else if (base instanceof COSDictionary dictionary) {
                out.append("<<");
                for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
                    if (replaced.containsKey(entry.getKey()) || entry.getKey().equals(COSName.LENGTH)) {
                        continue;
                    }
                    out.append(" /").append(entry.getKey().getName()).append(' ');
                    write(entry.getValue(), Map.of(), out);
                }
                replaced.forEach((key, value) -> out.append(" /").append(key.getName()).append(' ').append(value));
                out.append(" >>");
            } else if (base instanceof COSArray array) {
                out.append('[');
                for (int i = 0; i < array.size(); i++) {
                    write(array.get(i), Map.of(), out);
                    out.append(' ');
                }
                out.append(']');
            } else if (base instanceof COSName name) {
                out.append('/').append(name.getName());
            } else if (base instanceof COSInteger integer) {
                out.append(integer.longValue());
            } else if (base instanceof COSFloat number) {
                out.append(number.floatValue());
            } else if (base instanceof COSBoolean b) {
                out.append(b.getValue());
            } else if (base instanceof COSString string) {
                out.append('<').append(HexFormat.of().formatHex(string.getBytes())).append('>');
            } else {
                out.append("null");
            }
        }
    }

    /** Incremental updates written straight into a buffer, each with a classic cross-reference table. */
    static final class Appender {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final COSObjectKey root;
        private final Map<Long, byte[]> pending = new LinkedHashMap<>();
        private long size;
        private long previous;

        Appender(byte[] base) {
            out.writeBytes(base);
            if (base[base.length - 1] != '\n') {
                out.write('\n');
            }
            root = PdfCrafting.catalogKey(base);
            size = PdfCrafting.trailerSize(base);
            previous = PdfCrafting.lastStartXref(base);
        }

        long allocate() {
            return size++;
        }

        Appender object(long number, byte[] body) {
            pending.put(number, body);
            return this;
        }

        /** Writes the pending objects as one revision. */
        Appender commit() {
            Map<Long, Long> offsets = new java.util.TreeMap<>();
            for (Map.Entry<Long, byte[]> object : pending.entrySet()) {
                offsets.put(object.getKey(), (long) out.size());
                out.writeBytes(text(object.getKey() + " 0 obj\n"));
                out.writeBytes(object.getValue());
                out.writeBytes(text("\nendobj\n"));
            }
            pending.clear();
            long xref = out.size();
            StringBuilder table = new StringBuilder("xref\n");
            for (Map.Entry<Long, Long> entry : offsets.entrySet()) {
                table.append(entry.getKey()).append(" 1\n").append(String.format("%010d 00000 n\r\n", entry.getValue()));
            }
            table.append("trailer\n<< /Size ").append(size).append(" /Root ").append(root.getNumber()).append(' ')
                    .append(root.getGeneration()).append(" R /Prev ").append(previous).append(" >>\nstartxref\n")
                    .append(xref).append("\n%%EOF\n");
            out.writeBytes(text(table.toString()));
            previous = xref;
            return this;
        }

        /** A revision whose cross-reference is a stream object (number {@code number}) holding {@code data}. */
        Appender crossReferenceStream(long number, byte[] data) {
            long xref = out.size();
            out.writeBytes(text(number + " 0 obj\n<< /Type /XRef /Size " + size + " /W [1 4 2] /Root "
                    + root.getNumber() + " " + root.getGeneration() + " R /Prev " + previous
                    + " /Filter /FlateDecode /Length " + data.length + " >>\nstream\n"));
            out.writeBytes(data);
            out.writeBytes(text("\nendstream\nendobj\nstartxref\n" + xref + "\n%%EOF\n"));
            previous = xref;
            return this;
        }

        /** A revision of nothing but {@code table} (a cross-reference table as written) and its trailer. */
        Appender table(byte[] table, long newSize) {
            long xref = out.size();
            out.writeBytes(table);
            out.writeBytes(text("trailer\n<< /Size " + newSize + " /Root " + root.getNumber() + " "
                    + root.getGeneration() + " R /Prev " + previous + " >>\nstartxref\n" + xref + "\n%%EOF\n"));
            previous = xref;
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        static byte[] text(String text) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }

        static byte[] stream(String entries, byte[] data) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(text("<< " + entries + " /Length " + data.length + " >>\nstream\n"));
            body.writeBytes(data);
            body.writeBytes(text("\nendstream"));
            return body.toByteArray();
        }
    }

    /** The files of {@link HostileInputTest}'s heap check, by name. */
    static Map<String, byte[]> all(byte[] sealed, byte[] crl, int uploadLimitMegabytes) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("content-bomb-2mb", contentBomb(sealed, 2048));
        // as large as an upload may be: about 19 GB of zeros once inflated
        files.put("content-bomb-at-upload-limit", contentBomb(sealed, (uploadLimitMegabytes - 1) * 1000));
        files.put("cross-reference-bomb", crossReferenceBomb(sealed, 2048));
        files.put("content-bomb-as-image", contentBomb(sealed, 200, "/Subtype /Image /Width 6000 /Height 6000"));
        files.put("dss-2000-references", dssAmplification(sealed, crl, 2000));
        files.put("fields-10000", manyFields(sealed, 10_000));
        files.put("annotations-10000", manyAnnotations(sealed, 10_000));
        files.put("revisions-500", manyRevisions(sealed, 500));
        files.put("object-stream-1500000", objectStreamBomb(sealed, 1_500_000));
        files.put("cross-reference-table-950000", crossReferenceTableBomb(sealed, 950_000));
        return files;
    }

    static List<String> names(Map<String, byte[]> files) {
        return new ArrayList<>(files.keySet());
    }
}
