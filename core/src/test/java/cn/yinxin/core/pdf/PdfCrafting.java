package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.color.PDColor;
import org.apache.pdfbox.pdmodel.graphics.color.PDDeviceRGB;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentGroup;
import org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentProperties;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationSquare;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationSquareCircle;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an attacker does to a signed PDF, by hand: byte edits that keep every offset where it was, and incremental
 * updates written out object by object (with a classic cross-reference table), so each test shows exactly which
 * bytes were added after signing.
 */
public final class PdfCrafting {

    private static final Pattern BYTE_RANGE = Pattern.compile("/ByteRange\\s*\\[\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*]");
    private static final Pattern STARTXREF = Pattern.compile("startxref\\s+(\\d+)");

    private PdfCrafting() {
    }

    public static String text(byte[] pdf) {
        return new String(pdf, StandardCharsets.ISO_8859_1);
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The /ByteRange of the last signature written in the file, as numbers. */
    public static long[] lastByteRange(byte[] pdf) {
        Matcher m = BYTE_RANGE.matcher(text(pdf));
        long[] range = null;
        while (m.find()) {
            range = new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), Long.parseLong(m.group(4))};
        }
        if (range == null) {
            throw new IllegalArgumentException("no /ByteRange in the document");
        }
        return range;
    }

    /** Where the last "/ByteRange [...]" text starts and ends (its closing bracket included). */
    public static int[] lastByteRangeText(byte[] pdf) {
        Matcher m = BYTE_RANGE.matcher(text(pdf));
        int[] at = null;
        while (m.find()) {
            at = new int[]{m.start(), m.end()};
        }
        return at;
    }

    /** Overwrites bytes from {@code at} with {@code replacement}: no offset moves, the file keeps its length. */
    public static byte[] overwrite(byte[] pdf, int at, String replacement) {
        byte[] copy = pdf.clone();
        byte[] with = bytes(replacement);
        System.arraycopy(with, 0, copy, at, with.length);
        return copy;
    }

    /** Replaces the text between {@code from} and {@code to} with {@code replacement} padded with spaces to the same length. */
    public static byte[] blankOut(byte[] pdf, int from, int to, String replacement) {
        if (replacement.length() > to - from) {
            throw new IllegalArgumentException("the replacement is longer than what it replaces");
        }
        return overwrite(pdf, from, replacement + " ".repeat(to - from - replacement.length()));
    }

    /**
     * A new "/ByteRange [a b c d]" written over the last one, padded to the same width (the spaces a writer leaves
     * after it for the final numbers may be used).
     */
    public static byte[] withByteRange(byte[] pdf, String numbers) {
        int[] at = lastByteRangeText(pdf);
        int end = at[1];
        while (pdf[end] == ' ') {
            end++;
        }
        return blankOut(pdf, at[0], end, "/ByteRange [" + numbers + "]");
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static int indexOf(byte[] pdf, String text, int from) {
        return text(pdf).indexOf(text, from);
    }

    /** The key (object number and generation) of an indirect object that {@code dictionary} refers to under {@code key}. */
    public static COSObjectKey keyOf(COSDictionary dictionary, COSName key) {
        COSBase item = dictionary.getItem(key);
        if (item instanceof COSObject reference) {
            return reference.getKey();
        }
        throw new IllegalArgumentException(key.getName() + " is not an indirect reference");
    }

    /** The object the document's trailer names as its catalog. */
    public static COSObjectKey catalogKey(byte[] pdf) {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return keyOf(document.getDocument().getTrailer(), COSName.ROOT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An incremental update written by hand: objects (new ones, or new definitions of existing numbers), entries
     * that point an existing object number at an earlier offset, a trailer chained to the previous cross-reference.
     */
    public static final class Update {

        private final byte[] base;
        private final Map<Long, String> objects = new LinkedHashMap<>();
        private final Map<Long, Long> pointers = new TreeMap<>();
        private final Map<Long, String> seconds = new LinkedHashMap<>();
        private COSObjectKey root;

        public Update(byte[] base) {
            this.base = base;
        }

        /** Object {@code number} (generation 0) with the given body, e.g. "<< /Type /Page ... >>". */
        public Update object(long number, String body) {
            objects.put(number, body);
            return this;
        }

        /** A stream object: its dictionary entries (without /Length) and data. */
        public Update stream(long number, String dictionaryEntries, String data) {
            return object(number, "<< " + dictionaryEntries + " /Length " + bytes(data).length + " >>\nstream\n"
                    + data + "\nendstream");
        }

        /**
         * A second definition of object {@code number} in the same revision, after the first one (which the
         * cross-reference names): the signature collision trick.
         */
        Update secondDefinition(long number, String body) {
            seconds.put(number, body);
            return this;
        }

        /** Only a cross-reference entry: object {@code number} is now read at {@code offset}. */
        Update pointAt(long number, long offset) {
            pointers.put(number, offset);
            return this;
        }

        Update root(COSObjectKey catalog) {
            this.root = catalog;
            return this;
        }

        /** The next unused object number in the base document. */
        public long nextNumber() {
            return trailerSize(base);
        }

        public byte[] write() {
            long size = trailerSize(base);
            COSObjectKey catalog = root != null ? root : catalogKey(base);
            StringBuilder out = new StringBuilder(text(base));
            if (out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
            Map<Long, Long> offsets = new TreeMap<>(pointers);
            for (Map.Entry<Long, String> object : objects.entrySet()) {
                offsets.put(object.getKey(), (long) bytes(out.toString()).length);
                out.append(object.getKey()).append(" 0 obj\n").append(object.getValue()).append("\nendobj\n");
                size = Math.max(size, object.getKey() + 1);
            }
            for (Map.Entry<Long, String> object : seconds.entrySet()) {
                out.append(object.getKey()).append(" 0 obj\n").append(object.getValue()).append("\nendobj\n");
            }
            long xref = bytes(out.toString()).length;
            out.append("xref\n");
            for (Map.Entry<Long, Long> entry : offsets.entrySet()) {
                out.append(entry.getKey()).append(" 1\n").append(String.format("%010d 00000 n\r\n", entry.getValue()));
            }
            out.append("trailer\n<< /Size ").append(size).append(" /Root ").append(catalog.getNumber()).append(' ')
                    .append(catalog.getGeneration()).append(" R /Prev ").append(lastStartXref(base)).append(" >>\n")
                    .append("startxref\n").append(xref).append("\n%%EOF\n");
            return bytes(out.toString());
        }
    }

    public static long lastStartXref(byte[] pdf) {
        Matcher m = STARTXREF.matcher(text(pdf));
        long offset = -1;
        while (m.find()) {
            offset = Long.parseLong(m.group(1));
        }
        return offset;
    }

    public static long trailerSize(byte[] pdf) {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return document.getDocument().getTrailer().getLong(COSName.SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- documents an attacker prepares before handing them to the signer --------------------------------------

    /** One page with a text form field "amount" holding "100" (read-only if asked). */
    public static byte[] formPdf(boolean readOnly) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDAcroForm form = new PDAcroForm(document);
            document.getDocumentCatalog().setAcroForm(form);
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("Helv"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            form.setDefaultResources(resources);
            form.setDefaultAppearance("/Helv 12 Tf 0 g");
            PDTextField field = new PDTextField(form);
            field.setPartialName("amount");
            field.setDefaultAppearance("/Helv 12 Tf 0 g");
            PDAnnotationWidget widget = field.getWidgets().get(0);
            widget.setRectangle(new PDRectangle(72, 700, 200, 20));
            widget.setPage(page);
            widget.setPrinted(true);
            page.getAnnotations().add(widget);
            form.getFields().add(field);
            field.setValue("100");
            field.setReadOnly(readOnly);
            return TestMaterial.save(document);
        }
    }

    /** Fills the field "amount" of {@code pdf} with {@code value} in an incremental update, as a form filler does. */
    public static byte[] fill(byte[] pdf, String value) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDField field = document.getDocumentCatalog().getAcroForm(null).getField("amount");
            field.getCOSObject().setNeedToBeUpdated(true);
            field.setValue(value);
            for (PDAnnotationWidget widget : ((PDTextField) field).getWidgets()) {
                widget.getCOSObject().setNeedToBeUpdated(true);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /**
     * "Amount: 100" in plain sight and "Amount: 900" in an optional content group (a layer) that the document's
     * default configuration switches off: the signer sees 100.
     */
    public static byte[] layeredPdf() throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDOptionalContentProperties layers = new PDOptionalContentProperties();
            PDOptionalContentGroup shadow = new PDOptionalContentGroup("shadow");
            layers.addGroup(shadow);
            layers.setGroupEnabled(shadow, false);
            document.getDocumentCatalog().setOCProperties(layers);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                text(content, font, 72, 700, "Amount: 100");
                content.beginMarkedContent(COSName.OC, shadow);
                content.setNonStrokingColor(1f, 1f, 1f);
                content.addRect(60, 690, 200, 30);
                content.fill();
                content.setNonStrokingColor(0f, 0f, 0f);
                text(content, font, 72, 700, "Amount: 900");
                content.endMarkedContent();
            }
            return TestMaterial.save(document);
        }
    }

    /** The page draws the form XObject /Shown ("Amount: 100"); /Prepared ("Amount: 900") waits unused in its resources. */
    public static byte[] xobjectPdf() throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("Shown"), form(document, font, "Amount: 100"));
            resources.put(COSName.getPDFName("Prepared"), form(document, font, "Amount: 900"));
            page.setResources(resources);
            page.getCOSObject().setItem(COSName.RESOURCES, indirect(resources.getCOSObject()));
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.drawForm((PDFormXObject) resources.getXObject(COSName.getPDFName("Shown")));
            }
            return TestMaterial.save(document);
        }
    }

    /** A page with a text and a square annotation flagged hidden (/F 2) over it: the signer does not see it. */
    public static byte[] hiddenAnnotationPdf() throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                text(content, new PDType1Font(Standard14Fonts.FontName.HELVETICA), 72, 700, "Amount: 100");
            }
            PDAnnotationSquareCircle square = new PDAnnotationSquare();
            square.setRectangle(new PDRectangle(60, 690, 200, 30));
            square.setInteriorColor(new PDColor(new float[]{1, 1, 1}, PDDeviceRGB.INSTANCE));
            square.setHidden(true);
            square.constructAppearances(document);
            page.getAnnotations().add(square);
            return TestMaterial.save(document);
        }
    }

    private static PDFormXObject form(PDDocument document, PDType1Font font, String text) throws IOException {
        // an appearance stream is a form XObject that PDPageContentStream can draw into
        PDFormXObject form = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream(document);
        form.setBBox(new PDRectangle(595, 842));
        form.setResources(new PDResources());
        try (PDPageContentStream content = new PDPageContentStream(document,
                (org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream) form)) {
            text(content, font, 72, 700, text);
        }
        return form;
    }

    private static COSObject indirect(COSBase object) {
        return new COSObject(object);
    }

    public static void text(PDPageContentStream content, PDType1Font font, float x, float y, String text) throws IOException {
        content.beginText();
        content.setFont(font, 12);
        content.newLineAtOffset(x, y);
        content.showText(text);
        content.endText();
    }

    /** The key of the object page 1 refers to through {@code path} (e.g. Resources, Font, F1), read with PDFBox. */
    public static COSObjectKey pageObjectKey(byte[] pdf, String... path) {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            COSDictionary node = document.getPage(0).getCOSObject();
            COSBase item = null;
            for (String name : path) {
                item = node.getItem(COSName.getPDFName(name));
                if (item instanceof COSObject reference) {
                    if (reference.getObject() instanceof COSDictionary next) {
                        node = next;
                    }
                } else if (item instanceof COSDictionary next) {
                    node = next;
                }
            }
            if (item instanceof COSObject reference) {
                return reference.getKey();
            }
            throw new IllegalArgumentException(String.join("/", path) + " is not an indirect object");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the last definition of object {@code number} (generation 0) starts. */
    public static long lastDefinition(byte[] pdf, long number) {
        String text = text(pdf);
        int at = text.lastIndexOf("\n" + number + " 0 obj");
        if (at < 0) {
            throw new IllegalArgumentException("object " + number + " is not written out uncompressed");
        }
        return at + 1;
    }

    /** The body (between "obj" and "endobj") of the last definition of object {@code number}. */
    public static String lastBody(byte[] pdf, long number) {
        String text = text(pdf);
        int at = (int) lastDefinition(pdf, number);
        return text.substring(text.indexOf("obj", at) + 3, text.indexOf("endobj", at)).trim();
    }

    /**
     * Signs like a lenient signing tool would (PDFBox and a CAdES signature, an invisible signature field),
     * without the checks our sealer makes on its input: how a victim gets to sign a document prepared for an attack.
     */
    public static byte[] signLeniently(byte[] pdf, cn.yinxin.core.pki.keys.SealKey key) throws Exception {
        return signLeniently(pdf, key, null);
    }

    /** As {@link #signLeniently(byte[], cn.yinxin.core.pki.keys.SealKey)}, into the empty signature field {@code field} if given. */
    public static byte[] signLeniently(byte[] pdf, cn.yinxin.core.pki.keys.SealKey key, String field) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf);
             org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions options =
                     new org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions()) {
            var signature = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature();
            signature.setFilter(org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PdfSealer.ETSI_CADES_DETACHED);
            signature.setSignDate(java.util.Calendar.getInstance());
            if (field != null) {
                // PDFBox signs into the field whose value is this signature dictionary
                document.getDocumentCatalog().getAcroForm(null).getField(field).getCOSObject()
                        .setItem(COSName.V, signature);
            }
            options.setPreferredSignatureSize(12_000);
            document.addSignature(signature, options);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            var external = document.saveIncrementalForExternalSigning(out);
            external.setSignature(new cn.yinxin.core.pki.cms.CadesSigner(key).sign(external.getContent().readAllBytes()));
            return out.toByteArray();
        }
    }
}
