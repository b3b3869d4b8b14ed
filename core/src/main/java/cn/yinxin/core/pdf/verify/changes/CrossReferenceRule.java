package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.verify.DecodeBudget;
import cn.yinxin.core.pdf.verify.changes.CrossReferenceSection.Entry;
import cn.yinxin.core.pdf.verify.changes.CrossReferenceSection.Malformed;
import org.apache.pdfbox.cos.COSObjectKey;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cross-reference of each revision after signing, judged as its raw bytes state it (not as PDFBox repairs it):
 * what a revision says there decides what other readers show, and the rules that compare PDFBox's views of two
 * revisions never see it. A revision may only list its own new definitions, at the bytes where they start, under the
 * generation the objects already have, and point /Prev at the revision before. Found otherwise (an object given
 * another generation, freed, read from another place in an object stream signed before, a /Prev that makes readers
 * rebuild the file, an object in the body no cross-reference lists, a section that cannot be read as written): a
 * change no rule allows ({@link ModificationLevel#OTHER}, kind {@value #KIND}).
 */
final class CrossReferenceRule {

    static final String KIND = "CROSS_REFERENCE";

    private static final Pattern STARTXREF = Pattern.compile("startxref\\s+(\\d{1,12})");
    private static final Pattern LENGTH = Pattern.compile("/Length\\s+(\\d{1,10})(?!\\s+\\d+\\s+R)");

    private final byte[] pdf;
    private final List<long[]> revisions;
    private final DecodeBudget budget;
    /** The sections read so far by where they start (each is read once however many revisions follow it). */
    private final Map<Long, Object> sections = new HashMap<>();
    /** The file as text, made when a revision is first checked (most verified files have none after signing). */
    private String text;

    /**
     * @param pdf       the whole file
     * @param revisions each revision's [start, end) in the file, in order (as its %%EOF markers divide it)
     */
    CrossReferenceRule(byte[] pdf, List<long[]> revisions, DecodeBudget budget) {
        this.pdf = pdf;
        this.revisions = revisions;
        this.budget = budget;
    }

    /**
     * What is wrong with the cross-reference of revision {@code index} (0-based, after the first), against the
     * revision before it, each finding in that revision.
     *
     * @param olderView the revision before as PDFBox reads it (object -> offset, minus the object stream), used only
     *                  when that revision's own cross-reference cannot be read as written
     */
    List<Finding> check(int index, Map<COSObjectKey, Long> olderView) {
        List<Finding> findings = new ArrayList<>();
        for (Finding finding : judge(index, olderView)) {
            findings.add(finding.inRevision(index + 1));
        }
        return findings;
    }

    private List<Finding> judge(int index, Map<COSObjectKey, Long> olderView) {
        if (text == null) {
            text = new String(pdf, StandardCharsets.ISO_8859_1);
        }
        List<Finding> findings = new ArrayList<>();
        long start = revisions.get(index)[0];
        long end = revisions.get(index)[1];
        String revision = "revision " + (index + 1);
        Long offset = startxref(index);
        if (offset == null) {
            findings.add(finding(revision + ", added after signing, has no startxref: readers rebuild the file and "
                    + "may show objects no cross-reference lists"));
            return findings;
        }
        if (offset < start || offset >= end) {
            findings.add(finding(revision + ", added after signing, points its startxref at byte " + offset
                    + ", outside its own bytes: its cross-reference cannot be read as written"));
            return findings;
        }
        CrossReferenceSection section;
        try {
            section = section(offset, start, end);
        } catch (Malformed e) {
            findings.add(finding("the cross-reference of " + revision + ", added after signing, cannot be read as "
                    + "written (" + e.getMessage() + "): readers that repair it differently show different objects"));
            return findings;
        }
        Long expected = startxref(index - 1);
        if (!Objects.equals(section.prev(), expected)) {
            findings.add(finding("the cross-reference of " + revision + ", added after signing, points /Prev at "
                    + (section.prev() == null ? "nothing" : "byte " + section.prev()) + " instead of the signed "
                    + "revision's cross-reference (byte " + expected + "): readers that cannot follow it rebuild the "
                    + "file from whatever objects they find"));
        }
        Map<Long, long[]> headers = headers(start, end);
        findings.addAll(unlisted(headers, section, revision));
        findings.addAll(entries(index, section, headers, olderView));
        return findings;
    }

    /** Unlisted objects reported one by one in a revision; the rest are counted in one finding. */
    private static final int MAX_UNLISTED = 20;

    /** The objects defined in the revision's body that its own cross-reference does not list where they start. */
    private List<Finding> unlisted(Map<Long, long[]> headers, CrossReferenceSection section, String revision) {
        Set<String> listed = new HashSet<>();
        for (Entry entry : section.entries()) {
            if (entry.type() == 1) {
                listed.add(entry.number() + " " + entry.field3() + " " + entry.field2());
            }
        }
        List<Finding> findings = new ArrayList<>();
        long more = 0;
        for (Map.Entry<Long, long[]> header : headers.entrySet()) {
            long[] key = header.getValue();
            // a cross-reference stream need not list itself
            if (!listed.contains(key[0] + " " + key[1] + " " + header.getKey())
                    && !isStreamAt(header.getKey().intValue(), section.streams())) {
                if (findings.size() == MAX_UNLISTED) {
                    more++; // a finding each was ~500 bytes: a million headers in an update took the heap
                    continue;
                }
                findings.add(finding("object " + key[0] + " " + key[1] + " is defined at byte " + header.getKey()
                        + " of " + revision + ", added after signing, but its cross-reference does not list it "
                        + "there: readers that rebuild the file show this definition"));
            }
        }
        if (more > 0) {
            findings.add(finding(more + " more objects are defined in " + revision + ", added after signing, where "
                    + "its cross-reference does not list them"));
        }
        return findings;
    }

    /** Each entry of the revision's cross-reference against what the revisions before said of that object. */
    private List<Finding> entries(int index, CrossReferenceSection section, Map<Long, long[]> headers,
                                  Map<COSObjectKey, Long> olderView) {
        List<Finding> findings = new ArrayList<>();
        long start = revisions.get(index)[0];
        long end = revisions.get(index)[1];
        String revision = "revision " + (index + 1);
        Map<Long, Entry> listed = byNumber(section);
        Map<Long, Entry> older = older(index);
        boolean raw = older != null;
        if (older == null) {
            older = fromPdfBox(olderView);
        }
        Set<Long> inUseHere = inUse(section);
        for (Entry entry : section.entries()) {
            Entry old = older.get(entry.number());
            boolean oldInUse = old != null && old.type() != 0;
            String object = "object " + entry.number();
            String was = old == null ? "" : " (the signed revision: " + old.describe() + ")";
            if (entry.type() == 0) {
                // a hybrid file's table marks free what its /XRefStm lists (that entry is judged on its own)
                if (oldInUse && !inUseHere.contains(entry.number())) {
                    findings.add(finding(object + ", in use when signed" + was + ", is marked free by the "
                            + "cross-reference of " + revision + ", added after signing: readers that honour it show "
                            + "nothing where the signed object was"));
                }
                continue;
            }
            if (oldInUse && old.generation() != entry.generation()) {
                findings.add(finding(object + " is listed under generation " + entry.generation() + " by the "
                        + "cross-reference of " + revision + ", added after signing, while the signed revision uses it"
                        + " under generation " + old.generation() + ": readers that go by the number alone show "
                        + "the new definition"));
                continue;
            }
            if (same(old, entry)) {
                continue;
            }
            if (entry.type() == 1) {
                long[] header = headers.get(entry.field2());
                if (entry.field2() < start || entry.field2() >= end || header == null || header[0] != entry.number()
                        || header[1] != entry.field3()) {
                    findings.add(finding("the cross-reference of " + revision + ", added after signing, points " + object
                            + " " + entry.field3() + " at byte " + entry.field2() + ", where that object is not "
                            + "defined in the revision" + was));
                }
                continue;
            }
            Entry stream = listed.get(entry.field2());
            if (stream == null || stream.type() != 1) {
                findings.add(finding("the cross-reference of " + revision + ", added after signing, reads " + object
                        + " from index " + entry.field3() + " of object stream " + entry.field2() + ", which it does "
                        + "not define anew" + (raw ? was : " (the signed revision's cross-reference cannot be read to "
                        + "compare)") + ": readers that take the index from the cross-reference show another object"));
            }
        }
        return findings;
    }

    /** The numbers of the objects a section lists as in use. */
    private static Set<Long> inUse(CrossReferenceSection section) {
        Set<Long> inUse = new HashSet<>();
        for (Entry entry : section.entries()) {
            if (entry.type() != 0) {
                inUse.add(entry.number());
            }
        }
        return inUse;
    }

    /**
     * The section at {@code offset} (its /XRefStm within [from, to)), read once.
     *
     * @throws Malformed when it cannot be read as written
     */
    private CrossReferenceSection section(long offset, long from, long to) throws Malformed {
        Object known = sections.get(offset);
        if (known == null) {
            budget.checkTime();
            try {
                known = CrossReferenceSection.at(pdf, offset, 0, pdf.length, budget.limits());
            } catch (Malformed e) {
                known = e;
            }
            sections.put(offset, known);
        }
        if (known instanceof Malformed e) {
            throw new Malformed(e.getMessage());
        }
        CrossReferenceSection section = (CrossReferenceSection) known;
        for (long stream : section.streams()) {
            if (stream != offset && (stream < from || stream >= to)) {
                throw new Malformed("its /XRefStm (" + stream + ") is not a cross-reference stream of the same "
                        + "revision");
            }
        }
        return section;
    }

    /**
     * What a section says of each object number: its first entry, but an entry in use before a free one (a hybrid
     * file's table marks free the compressed objects its /XRefStm lists).
     */
    private static Map<Long, Entry> byNumber(CrossReferenceSection section) {
        Map<Long, Entry> entries = new LinkedHashMap<>();
        for (Entry entry : section.entries()) {
            Entry first = entries.get(entry.number());
            if (first == null || first.type() == 0 && entry.type() != 0) {
                entries.put(entry.number(), entry);
            }
        }
        return entries;
    }

    private static boolean same(Entry old, Entry entry) {
        return old != null && old.type() == entry.type() && old.field2() == entry.field2()
                && old.field3() == entry.field3();
    }

    private static Finding finding(String description) {
        return Finding.of(KIND, null, ModificationLevel.OTHER, description);
    }

    /** The offset the last startxref of revision {@code index} gives, or null (found from the revision's end). */
    private Long startxref(int index) {
        if (index < 0) {
            return null;
        }
        int start = (int) revisions.get(index)[0];
        int end = (int) revisions.get(index)[1];
        for (int at = text.lastIndexOf("startxref", end - 1); at >= start; at = text.lastIndexOf("startxref", at - 1)) {
            Matcher m = STARTXREF.matcher(text).region(at, end);
            if (m.lookingAt()) {
                return Long.parseLong(m.group(1));
            }
        }
        return null;
    }

    /**
     * What the cross-references of the revisions up to {@code index - 1} say of each object number, newest first
     * (as readers follow startxref and /Prev), or null when one of them cannot be read as written.
     */
    private Map<Long, Entry> older(int index) {
        Map<Long, Entry> merged = new HashMap<>();
        Set<Long> visited = new HashSet<>();
        Long offset = startxref(index - 1);
        long end = revisions.get(index - 1)[1];
        while (offset != null) {
            if (!visited.add(offset) || visited.size() > 2 * revisions.size() + 2) {
                return null;
            }
            try {
                CrossReferenceSection section = section(offset, 0, end);
                byNumber(section).forEach(merged::putIfAbsent);
                offset = section.prev();
            } catch (Malformed e) {
                return null;
            }
        }
        return merged;
    }

    /** PDFBox's view of the older revision, where its own cross-reference cannot be read: no stream indexes. */
    private static Map<Long, Entry> fromPdfBox(Map<COSObjectKey, Long> view) {
        Map<Long, Entry> entries = new HashMap<>();
        for (Map.Entry<COSObjectKey, Long> e : view.entrySet()) {
            long offset = e.getValue() == null ? 0 : e.getValue();
            entries.putIfAbsent(e.getKey().getNumber(), offset < 0
                    ? new Entry(e.getKey().getNumber(), 2, -offset, -1)
                    : new Entry(e.getKey().getNumber(), 1, offset, e.getKey().getGeneration()));
        }
        return entries;
    }

    /** The object headers in [start, end) (offset -> number, generation), outside stream data. */
    private Map<Long, long[]> headers(long start, long end) {
        Map<Long, long[]> headers = new LinkedHashMap<>();
        HeaderScanner scanner = new HeaderScanner(text);
        int at = (int) start;
        // where the dictionary of the next stream may start: after the last header and the last stream's end
        int dictionary = at;
        // a file that ends "%%EOF" without a line end (node-signpdf's) continued by a writer that starts its first
        // object right after the marker (poppler's pdfsig): the header its cross-reference points at, though a
        // reader scanning the file takes that line for a comment (and finds the object's signed definition only)
        HeaderScanner.Token glued = at >= 5 && text.startsWith("%%EOF", at - 5) ? scanner.headerAt(at, (int) end) : null;
        if (glued != null) {
            headers.put((long) glued.start(), new long[]{glued.number(), glued.generation()});
            at = glued.end();
        }
        int tokens = 0;
        while (at < end) {
            HeaderScanner.Token token = scanner.next(at, (int) end);
            if (token == null) {
                break;
            }
            if (++tokens % 4096 == 0) {
                budget.checkTime();
            }
            at = token.end();
            if (token.header()) {
                dictionary = token.start();
                headers.put((long) token.start(), new long[]{token.number(), token.generation()});
            } else {
                at = endOfStream(token.end(), dictionary, token.start(), (int) end);
                dictionary = at;
            }
        }
        return headers;
    }

    /** Whether only white space lies between a cross-reference stream's stated offset and {@code header}. */
    private boolean isStreamAt(int header, List<Long> streams) {
        for (long stream : streams) {
            int at = (int) stream;
            while (at < header && CrossReferenceLexer.isWhiteSpace(pdf[at])) {
                at++;
            }
            if (stream <= header && at == header) {
                return true;
            }
        }
        return false;
    }

    /** As RevisionLayout.endOfStream: by a direct /Length when "endstream" follows it, else the next "endstream". */
    private int endOfStream(int data, int header, int keyword, int end) {
        // the dictionary lies after the last header or stream and within 64 KiB: a file of many "stream" keywords
        // is read in linear time
        Matcher length = LENGTH.matcher(text).region(Math.max(header, keyword - 65_536), keyword);
        Integer stated = null;
        while (length.find()) {
            stated = Integer.valueOf(length.group(1));
        }
        if (stated != null && (long) data + stated <= text.length()) {
            int after = data + stated;
            while (after < text.length() && CrossReferenceLexer.isWhiteSpace((byte) text.charAt(after))) {
                after++;
            }
            if (text.startsWith("endstream", after)) {
                return after + "endstream".length();
            }
        }
        int found = text.indexOf("endstream", data);
        return found < 0 ? end : found + "endstream".length();
    }
}
