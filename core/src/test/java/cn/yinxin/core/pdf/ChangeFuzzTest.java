package cn.yinxin.core.pdf;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.verify.CosDigest;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.VerificationLimits;
import cn.yinxin.core.pdf.verify.report.ReportDocument;
import cn.yinxin.core.pdf.verify.report.ReportMaps;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.text.Language;
import cn.yinxin.core.text.Messages;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSBoolean;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.cos.COSUpdateInfo;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A random attacker with a genuinely sealed PDF: thousands of edits no red team thought of, each judged by what the
 * verifier must never do. Two kinds of edit: bytes flipped, inserted, deleted or cut anywhere in the file (the parser
 * must answer a verdict or a refusal, never fail otherwise, within a time bound); and one object of the signed
 * revision redefined in an incremental update with one thing changed in it (a key removed, added or given another
 * value, an entry of an array, the content of a stream), as a text editor or a library would write it.
 *
 * <p>What must hold: no exception but a {@link RejectedException} (anything else is a 500 at the verifier); no
 * verification slower than {@link #SLOW_MILLIS}; and an edited document answered VALID must list the change it
 * holds, each change allowed by a named rule, and draw every page as the sealed one drew it (PDFBox, 36 dpi). A
 * breach is printed with its seed and edit so it can be made again ({@code -Dfuzz.seed=S -Dfuzz.cases=N}).
 */
class ChangeFuzzTest {

    private static final int CASES = Integer.getInteger("fuzz.cases", 240);
    private static final long SEED = Long.getLong("fuzz.seed", 20261208L);
    private static final long SLOW_MILLIS = 10_000;
    private static final float DPI = 36;

    private static PdfVerifier verifier;
    private static List<Sealed> documents;

    /** A sealed document and its pages as drawn when sealed. */
    private record Sealed(String name, byte[] pdf, List<BufferedImage> pages) {
    }

    @BeforeAll
    static void seal() throws Exception {
        RedTeamFourth fixture = new RedTeamFourth();
        verifier = new PdfVerifier(List.of(fixture.material.root))
                .withLimits(VerificationLimits.fromSettings(name -> null), Clock.systemUTC());
        documents = new ArrayList<>();
        for (var made : List.of(
                new Object[]{"approval seal", fixture.sealed("fuzz-plain", TestMaterial.onePagePdf(0))},
                new Object[]{"approval seal on a form", fixture.sealed("fuzz-form",
                        RedTeamFourth.emptyFieldOverPrintedText())},
                new Object[]{"certified P=2 on a form", fixture.certified("fuzz-p2",
                        RedTeamFourth.emptyFieldOverPrintedText(), 2)},
                new Object[]{"certified P=3", fixture.certified("fuzz-p3", TestMaterial.onePagePdf(90), 3)},
                new Object[]{"two seals on a form", secondSeal(fixture, fixture.sealed("fuzz-two",
                        RedTeamFourth.emptyFieldOverPrintedText()))})) {
            byte[] pdf = (byte[]) made[1];
            documents.add(new Sealed((String) made[0], pdf, pages(pdf)));
        }
    }

    /** A second agency's seal over an approval seal, lower on the page (two signatures, two revisions). */
    private static byte[] secondSeal(RedTeamFourth fixture, byte[] sealed) throws Exception {
        var first = fixture.material.request(1, 120, 60);
        byte[] twice = new PdfSealer().seal(sealed, new SealRequest(fixture.material.otherSealKey, first.appearance(),
                first.placement(), TestMaterial.OTHER_SEAL_NAME, "second", java.time.Instant.now()));
        assertThat(verifier.verify(twice).verdict()).as("the genuine document").isEqualTo(Verdict.VALID);
        return twice;
    }

    @Test
    void noEditOfASealedDocumentIsValidUnlessItIsAllowedAndLooksTheSame() throws Exception {
        Random random = new Random(SEED);
        List<String> breaches = new ArrayList<>();
        int valid = 0;
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            Sealed sealed = documents.get(random.nextInt(documents.size()));
            long caseSeed = random.nextLong();
            Edit edit = i % 3 == 0 ? bytes(sealed.pdf(), new Random(caseSeed)) : i % 6 == 1
                    ? annotationAdded(sealed.pdf(), new Random(caseSeed)) : redefine(sealed.pdf(), new Random(caseSeed));
            if (edit == null) {
                continue;
            }
            String label = "case " + i + " (" + sealed.name() + ", seed " + caseSeed + "): " + edit.what();
            if (Integer.getInteger("fuzz.show", -1) == i) {
                System.out.println(label + "\n" + verifier.verify(edit.pdf()));
                java.nio.file.Files.write(java.nio.file.Path.of("target/fuzz-" + i + ".pdf"), edit.pdf());
            }
            long started = System.nanoTime();
            VerificationReport report;
            try {
                report = verifier.verify(edit.pdf());
            } catch (RejectedException e) {
                refused++;
                continue;
            } catch (RuntimeException | Error e) {
                breaches.add(label + " -> " + e + " at " + Arrays.stream(e.getStackTrace()).limit(4).toList());
                continue;
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (millis > SLOW_MILLIS) {
                breaches.add(label + " -> took " + millis + " ms");
            }
            String unanswerable = answered(report, i % 20 == 0);
            if (unanswerable != null) {
                breaches.add(label + " -> the answer cannot be given: " + unanswerable);
            }
            if (report.verdict() == Verdict.VALID) {
                valid++;
                String why = validButWrong(sealed, edit, report);
                if (why != null) {
                    breaches.add(label + " -> VALID, but " + why);
                }
            }
        }
        System.out.printf("ChangeFuzzTest: %d cases, %d VALID, %d refused as input, %d breaches%n", CASES, valid,
                refused, breaches.size());
        assertThat(breaches).as("edits the verifier mishandled").isEmpty();
    }

    /**
     * The report as the verifier answers it (JSON map, Chinese sentences) and, when asked, as the sealed report PDF: a
     * failure there is a 500 too. Null when it can be given.
     */
    private static String answered(VerificationReport report, boolean asPdf) {
        try {
            ReportMaps.toMap(report);
            Messages.localise(report.summary(), Language.ZH);
            for (var signature : report.signatures()) {
                signature.reasons().forEach(reason -> Messages.localise(reason, Language.ZH));
                signature.changesAfterSigning().forEach(c -> Messages.localise(c.description(), Language.ZH));
            }
            if (asPdf) {
                ReportDocument.render(report, "fuzz.pdf", "00", ReportDocument.defaultFont());
            }
            return null;
        } catch (RuntimeException | Error e) {
            return e + " at " + Arrays.stream(e.getStackTrace()).limit(4).toList();
        }
    }

    /** Why a VALID answer for this edit is wrong, or null when it holds. */
    private static String validButWrong(Sealed sealed, Edit edit, VerificationReport report) throws Exception {
        List<VerificationReport.Change> changes = report.signatures().stream()
                .flatMap(s -> s.changesAfterSigning().stream()).toList();
        if (edit.changesSomething() && changes.isEmpty()) {
            return "no change listed";
        }
        if (changes.stream().anyMatch(c -> !c.allowed())) {
            return "a change not allowed: " + changes;
        }
        if (edit.annotationAdded()) {
            // only a certification with P=3 allows comments; what one draws is the clerk's to see (pictures)
            return sealed.name().contains("P=3") ? null : "an annotation added where the seal allows none: " + changes;
        }
        List<BufferedImage> now;
        try {
            now = pages(edit.pdf());
        } catch (Exception e) {
            return null; // PDFBox cannot draw it: no picture of a page to compare (the verdict is judged above)
        }
        if (now.size() != sealed.pages().size()) {
            return "the document has " + now.size() + " pages, sealed with " + sealed.pages().size();
        }
        for (int p = 0; p < now.size(); p++) {
            if (!same(now.get(p), sealed.pages().get(p))) {
                return "page " + (p + 1) + " is drawn otherwise than when sealed; changes listed: " + changes;
            }
        }
        return null;
    }

    /** An edited document, what was done, and whether it changed anything a reader reads (not only bytes). */
    private record Edit(byte[] pdf, String what, boolean changesSomething, boolean annotationAdded) {

        Edit(byte[] pdf, String what, boolean changesSomething) {
            this(pdf, what, changesSomething, false);
        }
    }

    // ---- edits of the bytes ---------------------------------------------------------------------------------

    private static Edit bytes(byte[] pdf, Random random) {
        byte[] out;
        String what;
        int at = random.nextInt(pdf.length);
        switch (random.nextInt(4)) {
            case 0 -> {
                out = pdf.clone();
                out[at] = (byte) (out[at] ^ (1 << random.nextInt(8)));
                what = "bit flipped at " + at;
            }
            case 1 -> {
                int n = 1 + random.nextInt(16);
                out = new byte[pdf.length + n];
                System.arraycopy(pdf, 0, out, 0, at);
                byte[] junk = pick(random, " ", "\n", "0", "obj", "endobj", "<<", ">>", "%", "(", ")", "R", "9")
                        .getBytes(StandardCharsets.ISO_8859_1);
                for (int k = 0; k < n; k++) {
                    out[at + k] = junk[k % junk.length];
                }
                System.arraycopy(pdf, at, out, at + n, pdf.length - at);
                what = n + " bytes inserted at " + at;
            }
            case 2 -> {
                int n = Math.min(1 + random.nextInt(16), pdf.length - at);
                out = new byte[pdf.length - n];
                System.arraycopy(pdf, 0, out, 0, at);
                System.arraycopy(pdf, at + n, out, at, pdf.length - at - n);
                what = n + " bytes deleted at " + at;
            }
            default -> {
                out = Arrays.copyOf(pdf, at);
                what = "cut at " + at;
            }
        }
        return new Edit(out, what, false);
    }

    // ---- an object of the signed revision redefined -----------------------------------------------------------

    private static Edit redefine(byte[] pdf, Random random) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            List<COSObjectKey> keys = new ArrayList<>(document.getDocument().getXrefTable().keySet());
            keys.sort(null);
            // one object most times; sometimes two or three in the same revision (rules judged together)
            int edits = random.nextInt(4) == 0 ? 2 + random.nextInt(2) : 1;
            List<String> done = new ArrayList<>();
            List<COSObjectKey> changed = new ArrayList<>();
            for (int e = 0; e < edits; e++) {
                COSObjectKey key = keys.get(random.nextInt(keys.size()));
                COSBase object = document.getDocument().getObjectFromPool(key).getObject();
                String one = switch (object) {
                    case COSStream stream when random.nextBoolean() -> content(stream, random);
                    case COSDictionary dictionary -> dictionary(dictionary, document, keys, random, 0);
                    case COSArray array -> array(array, document, keys, random);
                    case null, default -> null;
                };
                if (one == null) {
                    continue;
                }
                if (object instanceof COSUpdateInfo updated) {
                    updated.setNeedToBeUpdated(true);
                }
                done.add("object " + key + ": " + one);
                // a /Type removed changes nothing a reader reads: optional for annotations, and PDFBox's parser (as
                // lenient readers do) gives the catalog its /Type back
                if (!one.equals("removed /Type")) {
                    changed.add(key);
                }
            }
            if (done.isEmpty()) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            byte[] edited = out.toByteArray();
            return new Edit(edited, String.join("; ", done), written(pdf, edited, changed));
        }
    }

    private static final String[] SUBTYPES = {"Square", "Circle", "Text", "FreeText", "Link", "Popup", "Stamp",
        "Widget", "Ink", "Highlight", "Underline", "Redact", "Watermark", "3D", "RichMedia", "Screen", "Projection",
        "TrapNet", "PrinterMark", "Sound", "Movie", "FileAttachment", "Caret", "Polygon", "Line", "Unknown"};

    /** A new annotation of a random kind, box, flags and appearance on page 1, as a commenting tool adds one. */
    private static Edit annotationAdded(byte[] pdf, Random random) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            COSDictionary annotation = new COSDictionary();
            String subtype = pick(random, SUBTYPES);
            annotation.setName(COSName.TYPE, "Annot");
            annotation.setName(COSName.SUBTYPE, subtype);
            float x = random.nextInt(500);
            float y = random.nextInt(780);
            float w = pickF(random, 0f, 10f, 30f, 200f);
            float h = pickF(random, 0f, 10f, 30f, 200f);
            annotation.setItem(COSName.RECT, array(x, y, x + w, y + h));
            annotation.setInt(COSName.F, pick(random, 0, 4, 2, 32, 36, 128, 256, 4 + 256));
            String drawn = pick(random, "none", "empty", "box", "text");
            if (!drawn.equals("none")) {
                COSStream stream = document.getDocument().createCOSStream();
                stream.setName(COSName.TYPE, "XObject");
                stream.setName(COSName.SUBTYPE, "Form");
                stream.setItem(COSName.BBOX, array(0, 0, Math.max(w, 1), Math.max(h, 1)));
                try (OutputStream out = stream.createOutputStream()) {
                    out.write((drawn.equals("box") ? "0 0 0 rg 0 0 " + w + " " + h + " re f"
                            : drawn.equals("text") ? "BT /Helv 12 Tf 2 2 Td (1000000) Tj ET" : "")
                            .getBytes(StandardCharsets.ISO_8859_1));
                }
                COSDictionary appearance = new COSDictionary();
                appearance.setItem(COSName.N, stream);
                annotation.setItem(COSName.AP, appearance);
            }
            if (random.nextBoolean()) {
                annotation.setString(COSName.CONTENTS, "Amount: 1,000,000");
            }
            var page = document.getPage(0).getCOSObject();
            COSArray annots = page.getCOSArray(COSName.ANNOTS);
            if (annots == null) {
                annots = new COSArray();
                page.setItem(COSName.ANNOTS, annots);
            }
            annots.add(annotation);
            annots.setNeedToBeUpdated(true);
            page.setNeedToBeUpdated(true);
            annotation.setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return new Edit(out.toByteArray(), "a " + subtype + " annotation added at " + x + ", " + y + " (" + w
                    + " x " + h + ", flags " + annotation.getInt(COSName.F) + ", appearance " + drawn + ")", true, true);
        }
    }

    /**
     * Whether one of the objects edited reads otherwise in the edited file: PDFBox's incremental save does not write
     * every object marked (not one it reaches only through objects it does not write), and such an edit is none.
     */
    private static boolean written(byte[] pdf, byte[] edited, List<COSObjectKey> keys) throws Exception {
        try (PDDocument before = Loader.loadPDF(pdf); PDDocument after = Loader.loadPDF(edited)) {
            for (COSObjectKey key : keys) {
                COSBase was = before.getDocument().getObjectFromPool(key).getObject();
                COSBase is = after.getDocument().getObjectFromPool(key).getObject();
                if (!CosDigest.same(CosDigest.shallow(was), CosDigest.shallow(is)) || was instanceof COSStream a
                        && is instanceof COSStream b && !Arrays.equals(decoded(a), decoded(b))) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return true; // PDFBox cannot read it any more: changed, whatever a reader makes of it
        }
    }

    private static byte[] decoded(COSStream stream) {
        try (var in = stream.createInputStream()) {
            return in.readAllBytes();
        } catch (Exception e) {
            return new byte[0];
        }
    }

    private static String dictionary(COSDictionary dictionary, PDDocument document, List<COSObjectKey> keys,
                                     Random random, int depth) {
        List<COSName> names = new ArrayList<>(dictionary.keySet());
        names.sort(null);
        int choice = random.nextInt(names.isEmpty() ? 1 : 4);
        if (choice == 0) {
            COSName name = COSName.getPDFName(pick(random, ADDED_KEYS));
            COSBase value = addedValue(name.getName(), random);
            dictionary.setItem(name, value);
            return "added /" + name.getName() + " " + value;
        }
        COSName name = names.get(random.nextInt(names.size()));
        if (choice == 1 && !name.equals(COSName.LENGTH)) {
            dictionary.removeItem(name);
            return "removed /" + name.getName();
        }
        COSBase value = dictionary.getItem(name);
        if (depth < 2 && value instanceof COSDictionary inner && !(inner instanceof COSStream)) {
            String done = dictionary(inner, document, keys, random, depth + 1);
            return done == null ? null : "in /" + name.getName() + ", " + done;
        }
        if (depth < 2 && value instanceof COSArray inner) {
            String done = array(inner, document, keys, random);
            return done == null ? null : "in /" + name.getName() + ", " + done;
        }
        if (name.equals(COSName.LENGTH) || name.equals(COSName.TYPE) && random.nextBoolean()) {
            return null;
        }
        COSBase other = otherValue(value, document, keys, random);
        if (other == null || same(other, value)) {
            return null;
        }
        dictionary.setItem(name, other);
        return "/" + name.getName() + " " + value + " -> " + other;
    }

    private static String array(COSArray array, PDDocument document, List<COSObjectKey> keys, Random random) {
        if (array.size() == 0) {
            array.add(COSInteger.get(random.nextInt(600)));
            return "an entry added to an empty array";
        }
        int at = random.nextInt(array.size());
        switch (random.nextInt(3)) {
            case 0 -> {
                array.remove(at);
                return "entry " + at + " removed";
            }
            case 1 -> {
                array.add(at, array.get(at));
                return "entry " + at + " given twice";
            }
            default -> {
                COSBase value = array.get(at);
                COSBase other = otherValue(value, document, keys, random);
                if (other == null || same(other, value)) {
                    return null;
                }
                array.set(at, other);
                return "entry " + at + " " + value + " -> " + other;
            }
        }
    }

    /** Equal as a reader reads them: numbers by value (-0.0 is 0). */
    private static boolean same(COSBase a, COSBase b) {
        return a instanceof COSNumber x && b instanceof COSNumber y ? x.floatValue() == y.floatValue() : a.equals(b);
    }

    private static COSBase otherValue(COSBase value, PDDocument document, List<COSObjectKey> keys, Random random) {
        return switch (value) {
            case COSInteger n -> COSInteger.get(pick(random, n.longValue() + 1, n.longValue() - 1, n.longValue() * 2,
                    0L, 1L, 90L, 180L, 100_000L, -n.longValue()));
            case COSFloat f -> new COSFloat(f.floatValue() * pickF(random, 2f, 0.5f, -1f, 0f, 1.01f));
            case COSNumber n -> COSInteger.get(n.longValue() + 1);
            case COSName ignored -> COSName.getPDFName(pick(random, OTHER_NAMES));
            case COSBoolean b -> COSBoolean.getBoolean(!b.getValue());
            case COSString s -> new COSString(pick(random, "X", "1000000", "") + s.getString());
            case COSObject reference -> {
                COSObjectKey to = keys.get(random.nextInt(keys.size()));
                yield to.equals(reference.getKey()) ? null : document.getDocument().getObjectFromPool(to);
            }
            case null, default -> null;
        };
    }

    private static String content(COSStream stream, Random random) throws Exception {
        byte[] decoded;
        try (var in = stream.createInputStream()) {
            decoded = in.readAllBytes();
        } catch (Exception e) {
            return null;
        }
        String added = pick(random, "\n0 0 1 rg 60 60 200 200 re f", "\n% a comment", "\nq Q",
                "\nBT /F1 24 Tf 72 600 Td (1000000) Tj ET", "\n1 0 0 RG 2 w 0 0 m 600 800 l S", " ");
        byte[] changed;
        String what;
        if (decoded.length > 0 && random.nextBoolean()) {
            changed = decoded.clone();
            int at = random.nextInt(changed.length);
            changed[at] = (byte) (Character.isDigit(changed[at]) ? '0' + (changed[at] - '0' + 1) % 10 : changed[at]);
            what = "the stream's byte " + at + " (a digit) changed";
        } else {
            changed = (new String(decoded, StandardCharsets.ISO_8859_1) + added).getBytes(StandardCharsets.ISO_8859_1);
            what = "the stream's content + \"" + added.strip() + "\"";
        }
        try (OutputStream out = stream.createOutputStream(COSName.FLATE_DECODE)) {
            out.write(changed);
        }
        return what;
    }

    private static final String[] ADDED_KEYS = {"Rotate", "UserUnit", "CropBox", "MediaBox", "F", "OC", "BM", "CA",
        "ca", "Matrix", "Decode", "AS", "Open", "OpenAction", "AA", "Lang", "NeedAppearances", "Tabs", "Group",
        "PageMode", "ViewerPreferences", "Hidden", "V", "DA", "Q", "MK", "Ff", "BS", "Border", "C", "IC", "RD",
        "StructParents", "Names", "Collection", "OCProperties", "Dests", "URI", "JavaScript", "Metadata", "PieceInfo",
        "Perms", "Legal", "DR", "SigFlags", "XFA", "Annots", "Contents", "Resources", "Parent", "Kids", "Count",
        "AP", "Rect", "FT", "T", "TU", "Ff", "Opt", "TI", "I", "Lock", "SV", "Font", "XObject", "ExtGState",
        "ColorSpace", "Pattern", "Shading", "Properties", "BBox", "Filter", "DecodeParms", "SMask", "Mask"};
    private static final String[] OTHER_NAMES = {"Off", "Yes", "Helv", "ZaDb", "DeviceGray", "DeviceCMYK",
        "FlateDecode", "ASCIIHexDecode", "Hidden", "Normal", "Multiply", "Difference", "None", "Sig", "Tx", "Btn",
        "Annot", "Widget", "Square", "Page", "Pages", "XObject", "Form", "Image", "Catalog", "S", "R", "UseOC",
        "FullScreen", "Print", "View"};

    private static COSBase addedValue(String key, Random random) {
        return switch (key) {
            case "Rotate" -> COSInteger.get(pick(random, 90L, 180L, 270L, 45L));
            case "UserUnit" -> new COSFloat(pickF(random, 2f, 0.5f, 10f));
            case "CropBox", "MediaBox", "BBox", "Rect" -> array(0, 0, pickF(random, 100f, 300f, 0f, 5000f),
                    pickF(random, 100f, 400f, 0f, 5000f));
            case "Matrix" -> array(pickF(random, 2f, 0f, -1f), 0, 0, pickF(random, 2f, 1f, -1f), 30, 30);
            case "Decode" -> array(1, 0);
            case "F", "Ff", "Q", "SigFlags", "StructParents", "Count", "CA", "ca" ->
                    COSInteger.get(pick(random, 0L, 1L, 2L, 3L, 4L, 32L, 64L, 4096L));
            case "Open", "NeedAppearances", "Hidden", "Legal" -> COSBoolean.TRUE;
            case "V", "T", "TU", "DA", "Lang", "Contents", "URI", "JavaScript" -> new COSString(
                    pick(random, "1000000", "/Helv 40 Tf 1 0 0 rg", "app.alert(1)", "fr"));
            default -> {
                COSDictionary empty = new COSDictionary();
                if (random.nextBoolean()) {
                    empty.setName(COSName.TYPE, pick(random, OTHER_NAMES));
                }
                yield random.nextBoolean() ? empty : COSName.getPDFName(pick(random, OTHER_NAMES));
            }
        };
    }

    private static COSArray array(float... values) {
        COSArray array = new COSArray();
        for (float v : values) {
            array.add(new COSFloat(v));
        }
        return array;
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static float pickF(Random random, float... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static List<BufferedImage> pages(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFRenderer renderer = new PDFRenderer(document);
            List<BufferedImage> pages = new ArrayList<>();
            for (int p = 0; p < document.getNumberOfPages(); p++) {
                pages.add(renderer.renderImageWithDPI(p, DPI));
            }
            return pages;
        }
    }

    private static boolean same(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }
}
