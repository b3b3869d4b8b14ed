package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.limits.JpegScans;
import cn.yinxin.core.pdf.ContentTokens;
import cn.yinxin.core.pdf.PdfBytes;
import cn.yinxin.core.pdf.verify.VerificationLimits.Limit;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks a verification makes before it does any real work, so that a document made to exhaust the verifier is
 * answered at once with the limit it breaks: {@linkplain #checkRaw on the raw bytes}, before PDFBox parses anything
 * (PDFBox inflates cross-reference and object streams whole, in memory, while it loads), and
 * {@linkplain #checkParsed on the parsed document} (fields, annotations).
 */
final class InputBounds {

    /** How far before a "stream" keyword its dictionary may start (from "obj"); real dictionaries are far shorter. */
    private static final int DICTIONARY_WINDOW = 64 * 1024;
    private static final byte[] STREAM = "stream".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_STREAM = "endstream".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern REFERENCE = Pattern.compile("\\b(\\d{1,10})\\s+(\\d{1,5})\\s+R\\b");
    /** The filters (and chains) that can make much out of little, tried on a stream whose dictionary we cannot read. */
    private static final List<List<COSName>> EXPANDING = List.of(List.of(COSName.FLATE_DECODE),
            List.of(COSName.LZW_DECODE), List.of(COSName.RUN_LENGTH_DECODE),
            List.of(COSName.FLATE_DECODE, COSName.LZW_DECODE), List.of(COSName.LZW_DECODE, COSName.FLATE_DECODE));

    private InputBounds() { }

    /**
     * The revisions are counted and every stream of the file, in every revision and whether or not anything refers
     * to it, is decoded within the budget (counted, not kept; images are not decoded), and the objects the object and
     * cross-reference streams declare are counted ({@link DeclaredObjects}). After this, any stream PDFBox decodes on
     * its own is known to fit the per-stream limit, and what it parses the object limit.
     *
     * @return what it decoded, for {@link #checkParsed} to take rather than decode the same bytes again
     * @throws LimitExceededException with the limit the document breaks
     */
    static MeasuredStreams checkRaw(byte[] pdf, RevisionLayout layout, DecodeBudget budget) {
        MeasuredStreams measured = new MeasuredStreams(pdf);
        VerificationLimits limits = budget.limits();
        budget.check(Limit.REVISIONS, layout.revisions().size(), limits.maxRevisions(), "revisions (incremental updates)");
        budget.check(Limit.OBJECTS, layout.headers(), limits.maxObjects(), "object headers");
        int at = 0;
        int streams = 0;
        long objects = DeclaredObjects.add(budget, 0, DeclaredObjects.inTables(pdf));
        while ((at = indexOf(pdf, STREAM, at)) >= 0) {
            int keyword = at;
            at += STREAM.length;
            if (keyword > 0 && Character.isLetter(pdf[keyword - 1]) || at >= pdf.length
                    || Character.isLetterOrDigit(pdf[at])) {
                continue; // "endstream", or the word inside something else
            }
            int data = dataStart(pdf, at);
            boolean added = data > layout.firstEnd();
            String text = ReadAlike.found(dictionaryBefore(pdf, keyword), added, data);
            if (text == null) {
                continue;
            }
            COSDictionary dictionary = parse(text);
            int end = endOfData(pdf, data, dictionary, added);
            if (++streams % 64 == 0) {
                budget.checkTime();
            }
            jpegScans(pdf, data, end, dictionary, text, budget);
            FaxRaster.check(dictionary, budget);
            // an image may decode to as much as its declared raster; whatever it claims, within the document's limit
            long allowed = Math.max(limits.maxStreamBytes(), raster(dictionary));
            List<COSName> named = dictionary == null ? List.of()
                    : DecodeBudget.filters(dictionary.getDictionaryObject(COSName.FILTER));
            long cut = ReadAlike.eachFilterOnce(named, added, data, budget);
            long before = budget.decodedBytes();
            if (!named.isEmpty() && !ReadAlike.referenced(named)) {
                if (count(pdf, data, end, named, allowed, budget) && allowed == limits.maxStreamBytes()) {
                    measured.add(data, end, named, budget.decodedBytes() - before);
                }
            } else if (text.contains("Filter")) {
                // a dictionary we cannot read (or filters by reference) PDFBox might: try every expanding filter
                for (List<COSName> filters : EXPANDING) {
                    count(pdf, data, end, filters, limits.maxStreamBytes(), budget);
                }
            }
            ReadAlike.notCutShort(budget, cut, added, data);
            objects = DeclaredObjects.add(budget, objects,
                    DeclaredObjects.of(dictionary, named.isEmpty() ? end - data : budget.decodedBytes() - before));
            at = Math.max(at, end);
        }
        return measured;
    }

    /** Where a stream's data start after its keyword, as PDFBox reads it: spaces, one end of line, the data. */
    private static int dataStart(byte[] pdf, int afterKeyword) {
        int data = afterKeyword;
        while (data < pdf.length && pdf[data] == ' ') {
            data++;
        }
        data += data < pdf.length && pdf[data] == '\r' ? 1 : 0;
        return data < pdf.length && pdf[data] == '\n' ? data + 1 : data;
    }

    /**
     * The scans of a JPEG image (DCTDecode, after whatever filters come first) within the limit: PDFBox
     * draws a JPEG with the JDK's decoder, which takes any number of scans, each a walk over the whole image, so
     * thousands of them keep a worker for hours, beyond the time limit (checked between pages, not inside one).
     */
    private static void jpegScans(byte[] pdf, int data, int end, COSDictionary dictionary, String text,
                                  DecodeBudget budget) {
        List<COSName> filters = dictionary == null ? List.of()
                : DecodeBudget.filters(dictionary.getDictionaryObject(COSName.FILTER));
        int dct = filters.indexOf(COSName.DCT_DECODE);
        int max = budget.limits().maxImageScans();
        int scans;
        if (dct == 0 || dictionary == null && text.contains("DCT")) {
            scans = JpegScans.count(pdf, data, end, max);
        } else if (dct > 0) {
            try {
                // decoding stops before the image filter: what it gives is the JPEG
                byte[] jpeg = budget.decode(new ByteArrayInputStream(pdf, data, Math.max(0, end - data)), filters,
                        dictionary, true, budget.limits().maxStreamBytes());
                scans = JpegScans.count(jpeg, 0, jpeg.length, max);
            } catch (IOException e) {
                return; // not decodable: nothing to draw
            }
        } else {
            return;
        }
        budget.check(Limit.IMAGE_SCANS, scans, max, "scans in one JPEG image");
    }

    /**
     * Fields (the whole field tree, however nested) and annotations (per page and in all) within the limits.
     *
     * @param measured what the raw scan decoded: a page's content that is the same bytes is not decoded again
     * @throws LimitExceededException with the limit the document breaks
     */
    static void checkParsed(PDDocument document, DecodeBudget budget, MeasuredStreams measured) {
        VerificationLimits limits = budget.limits();
        COSDictionary form = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.ACRO_FORM);
        if (form != null) {
            Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            Deque<COSArray> arrays = new ArrayDeque<>();
            COSArray top = form.getCOSArray(COSName.FIELDS);
            if (top != null) {
                arrays.add(top);
            }
            long fields = 0;
            while (!arrays.isEmpty()) {
                COSArray array = arrays.pop();
                for (int i = 0; i < array.size(); i++) {
                    if (array.getObject(i) instanceof COSDictionary field && seen.add(field)) {
                        budget.check(Limit.FIELDS, ++fields, limits.maxFields(), "form fields");
                        COSArray kids = field.getCOSArray(COSName.KIDS);
                        if (kids != null) {
                            arrays.push(kids);
                        }
                    }
                }
                budget.checkTime();
            }
        }
        long annotations = 0;
        int number = 0;
        for (PDPage page : document.getPages()) {
            number++;
            COSArray annots = page.getCOSObject().getCOSArray(COSName.ANNOTS);
            int size = annots == null ? 0 : annots.size();
            budget.check(Limit.ANNOTATIONS_PER_PAGE, size, limits.maxAnnotationsPerPage(),
                    "annotations on page " + number);
            annotations += size;
            budget.check(Limit.ANNOTATIONS, annotations, limits.maxAnnotations(), "annotations or more in all");
            // PDFBox decodes a page's content whole when asked; whatever its dictionary says it is, it must fit
            // the per-stream limit (the raw scan lets a stream that calls itself an image have more)
            measureContents(page.getCOSObject().getDictionaryObject(COSName.CONTENTS), budget, measured);
            if (number % 64 == 0) {
                budget.checkTime();
            }
        }
    }

    private static void measureContents(COSBase contents, DecodeBudget budget, MeasuredStreams measured) {
        List<COSBase> streams = new ArrayList<>();
        if (contents instanceof COSArray array) {
            for (int i = 0; i < array.size(); i++) {
                streams.add(array.getObject(i));
            }
        } else {
            streams.add(contents);
        }
        for (COSBase stream : streams) {
            if (stream instanceof COSStream content) {
                try {
                    long known = measured.counted(content);
                    if (known >= 0) {
                        budget.charge(known);
                    } else {
                        budget.measure(content);
                    }
                } catch (IOException e) {
                    // damaged content: the comparison of revisions reports what it cannot read
                }
            }
        }
    }

    /**
     * The bytes an image's samples take as its dictionary declares them (width x height x at most 4 components x
     * bits per component, plus a row's padding), or 0 when the stream is no image or says nothing usable.
     */
    private static long raster(COSDictionary dictionary) {
        if (dictionary == null || !COSName.IMAGE.equals(dictionary.getCOSName(COSName.SUBTYPE))) {
            return 0;
        }
        long width = Math.max(0, dictionary.getLong(COSName.WIDTH, 0));
        long height = Math.max(0, dictionary.getLong(COSName.HEIGHT, 0));
        long bits = Math.clamp(dictionary.getLong(COSName.BITS_PER_COMPONENT, 8), 1, 16);
        if (width > 1_000_000 || height > 1_000_000) {
            return Long.MAX_VALUE / 4; // absurd: only the document's limit stands
        }
        return (width * 4 * bits + 7) / 8 * height + height;
    }

    /**
     * Decodes the stream's data through its filters, counting; a stream that cannot be decoded counts as read.
     *
     * @return whether it was decoded to its end
     */
    private static boolean count(byte[] pdf, int from, int to, List<COSName> filters, long allowed,
                                 DecodeBudget budget) {
        try {
            // the parameters are left out: a predictor only rearranges what inflating produced, it never adds
            budget.decode(new ByteArrayInputStream(pdf, from, Math.max(0, to - from)), filters, new COSDictionary(),
                    false, allowed);
            return true;
        } catch (IOException | RuntimeException e) {
            if (e instanceof LimitExceededException limit) {
                throw limit;
            }
            // damaged data: PDFBox will not decode more of it than we could
            return false;
        }
    }

    /**
     * The stream's dictionary as PDFBox's content parser reads it (references written as names, since that parser
     * knows no objects), or null when it cannot be read.
     */
    private static COSDictionary parse(String text) {
        String start = text.strip();
        if (!start.startsWith("<<")) {
            return null;
        }
        try {
            // a reference needs its "R": without one the expression would change nothing (and it cost a third of
            // this scan, tried at every digit of every stream's dictionary)
            String names = start.indexOf('R') < 0 ? start : REFERENCE.matcher(start).replaceAll("/R.$1.$2");
            var parser = ContentTokens.parser(names.getBytes(StandardCharsets.ISO_8859_1));
            Object first = parser.parseNextToken();
            return first instanceof COSDictionary dictionary ? dictionary : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The text from the "obj" before a stream keyword to the keyword (the stream's dictionary), or null: the nearest
     * "N G obj" header within {@link #DICTIONARY_WINDOW} bytes, found scanning backwards (a regular expression over
     * the whole window for every stream made this scan most of a verification's time).
     */
    private static String dictionaryBefore(byte[] pdf, int keyword) {
        int from = Math.max(0, keyword - DICTIONARY_WINDOW);
        for (int i = keyword - 3; i >= from; i--) {
            if (pdf[i] != 'o' || pdf[i + 1] != 'b' || pdf[i + 2] != 'j'
                    || i + 3 < pdf.length && isWordByte(pdf[i + 3])) {
                continue;
            }
            int j = i - 1;
            int spaces = j;
            while (j >= from && isSpace(pdf[j])) {
                j--;
            }
            int generation = j;
            while (j >= from && isDigit(pdf[j])) {
                j--;
            }
            if (spaces == generation || generation == j || generation - j > 5) {
                continue;
            }
            int gap = j;
            while (j >= from && isSpace(pdf[j])) {
                j--;
            }
            int number = j;
            while (j >= from && isDigit(pdf[j])) {
                j--;
            }
            if (gap == number || number == j || number - j > 10) {
                continue;
            }
            return new String(pdf, i + 3, keyword - (i + 3), StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == '\f' || b == 0x0B;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isWordByte(byte b) {
        return isDigit(b) || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_';
    }

    /**
     * Where the stream's data ends: by its /Length, direct or resolved from the raw bytes, when "endstream" follows
     * there; else at the next "endstream" (as PDFBox; other readers take the length: refused in a revision
     * {@code added} to the first, {@link ReadAlike}; real producers get a length wrong, signing tools do not).
     */
    private static int endOfData(byte[] pdf, int data, COSDictionary dictionary, boolean added) {
        Long length = null;
        COSBase value = dictionary == null ? null : dictionary.getDictionaryObject(COSName.LENGTH);
        if (value instanceof COSInteger direct) {
            length = direct.longValue();
        } else if (value instanceof COSName reference && reference.getName().startsWith("R.")) {
            String[] key = reference.getName().split("\\.");
            length = key.length == 3 ? lengthObject(pdf, key[1], key[2]) : null;
        }
        if (length != null && length >= 0 && data + length <= pdf.length) {
            int after = (int) (data + length);
            while (after < pdf.length && PdfBytes.isSpace(pdf[after])) {
                after++;
            }
            if (startsWith(pdf, after, END_STREAM)) {
                return (int) (data + length);
            }
        }
        ReadAlike.sameEnd(added, length, data, dictionary);
        int end = indexOf(pdf, END_STREAM, data);
        return end < 0 ? pdf.length : end;
    }

    /** The number an indirect /Length names, from its last definition in the file ("12 0 obj 3456 endobj"). */
    private static Long lengthObject(byte[] pdf, String number, String generation) {
        byte[] header = (number + " " + generation + " obj").getBytes(StandardCharsets.US_ASCII);
        int at = lastIndexOf(pdf, header);
        if (at < 0) {
            return null;
        }
        String body = new String(pdf, at + header.length, Math.min(32, pdf.length - at - header.length),
                StandardCharsets.ISO_8859_1).trim();
        Matcher digits = Pattern.compile("\\A(\\d{1,10})").matcher(body);
        return digits.find() ? Long.valueOf(digits.group(1)) : null;
    }

    private static boolean startsWith(byte[] data, int at, byte[] needle) {
        return at >= 0 && at + needle.length <= data.length
                && Arrays.equals(data, at, at + needle.length, needle, 0, needle.length);
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        byte first = needle[0];
        for (int i = Math.max(0, from), last = data.length - needle.length; i <= last; i++) {
            if (data[i] == first && startsWith(data, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] data, byte[] needle) {
        for (int i = data.length - needle.length; i >= 0; i--) {
            if (data[i] == needle[0] && startsWith(data, i, needle) && (i == 0 || !Character.isDigit(data[i - 1]))) {
                return i;
            }
        }
        return -1;
    }
}
