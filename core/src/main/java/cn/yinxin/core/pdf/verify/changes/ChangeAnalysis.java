package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.verify.RevisionDocuments;
import cn.yinxin.core.pdf.verify.DecodeBudget;
import cn.yinxin.core.pdf.verify.LimitExceededException;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What every revision after the first signed one changed, judged by rules (after pyHanko's
 * {@code sign/diff_analysis}): each revision is compared with the one before it; every object it defines anew is a
 * change nobody allowed unless a named rule clears it, and each rule reports what it allowed at which
 * {@link ModificationLevel}. A signature then allows the findings of the revisions after its own up to its level.
 *
 * <p>Rules, in the order they run: {@link ContainerRule} (object and cross-reference streams, identical rewrites),
 * {@link CatalogRule} (trailer and catalog), {@link HousekeepingRule} (DSS, /Info, XMP, structure tree),
 * {@link FormRule} with {@link SignatureAdditionRule} (form filling, signing, document time-stamps),
 * {@link PageRule} (annotations added to and removed from pages) and {@link AnnotationRule} (annotations changed).
 */
public final class ChangeAnalysis {

    private final List<Finding> findings;
    private final List<long[]> revisions;
    private final List<List<SignatureWidget>> widgets;

    private ChangeAnalysis(List<Finding> findings, List<long[]> revisions, List<List<SignatureWidget>> widgets) {
        this.findings = findings;
        this.revisions = revisions;
        this.widgets = widgets;
    }

    /**
     * @param pdf       the whole file
     * @param revisions each revision's [start, end) in the file, in order (as its %%EOF markers divide it)
     * @param from      the end of the earliest signed revision: only the revisions after it are analysed
     * @param integrity whether a signature added later verifies (the verifier has checked each one already)
     */
    public static ChangeAnalysis of(byte[] pdf, List<long[]> revisions, long from, SignatureIntegrity integrity) {
        return of(pdf, revisions, from, integrity, DecodeBudget.defaults());
    }

    /**
     * As {@link #of(byte[], List, long, SignatureIntegrity)}, within the verification's time: a limit reached
     * ({@link LimitExceededException}) goes to the caller, it is not a change.
     */
    public static ChangeAnalysis of(byte[] pdf, List<long[]> revisions, long from, SignatureIntegrity integrity,
                                    DecodeBudget budget) {
        return of(pdf, revisions, from, integrity, budget, RevisionDocuments.unshared(pdf));
    }

    /**
     * As {@link #of(byte[], List, long, SignatureIntegrity, DecodeBudget)}, each revision read from
     * {@code documents} (parsed once for every check of the verification; only read here).
     */
    public static ChangeAnalysis of(byte[] pdf, List<long[]> revisions, long from, SignatureIntegrity integrity,
                                    DecodeBudget budget, RevisionDocuments documents) {
        List<Finding> findings = new ArrayList<>();
        List<List<SignatureWidget>> widgets = new ArrayList<>();
        List<ChangeRule> rules = rules(integrity, budget);
        PDDocument before = null;
        Set<String> seenWhenSigned = Set.of(); // fields whose value the earliest signer saw, read from that revision
        CrossReferenceRule crossReference = new CrossReferenceRule(pdf, revisions, budget);
        try {
            for (int i = 0; i < revisions.size(); i++) {
                long[] revision = revisions.get(i);
                widgets.add(new ArrayList<>());
                if (revision[1] <= from) {
                    continue;
                }
                budget.checkTime();
                if (before == null) {
                    before = i == 0 ? null : documents.open(revisions.get(i - 1)[1]);
                    if (before == null) {
                        findings.add(new Finding("UNREADABLE_REVISION", null, ModificationLevel.OTHER, null,
                                "the signed revision cannot be read on its own", i + 1));
                        break;
                    }
                    seenWhenSigned = SeenValues.seen(before);
                }
                PDDocument after;
                try {
                    after = documents.open(revision[1]);
                } catch (LimitExceededException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    findings.add(new Finding("UNREADABLE_REVISION", null, ModificationLevel.OTHER, null,
                            "revision " + (i + 1) + ", added after signing, cannot be read: " + e.getMessage(), i + 1));
                    break;
                }
                Clearance clearance = new Clearance();
                RevisionDiff diff = new RevisionDiff(before, after, i + 1, revision[0], revision[1], seenWhenSigned);
                for (ChangeRule rule : rules) {
                    rule.apply(diff, clearance);
                    budget.checkTime();
                }
                unexplained(diff, clearance);
                findings.addAll(crossReference.check(i, before.getDocument().getXrefTable()));
                for (Finding finding : clearance.findings()) {
                    findings.add(finding.inRevision(i + 1));
                }
                widgets.get(i).addAll(clearance.signatureWidgets());
                documents.release(before);
                before = after;
            }
        } catch (LimitExceededException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            findings.add(new Finding("UNREADABLE_REVISION", null, ModificationLevel.OTHER, null,
                    "the revisions after signing cannot be compared: " + e.getMessage(), 0));
        } finally {
            documents.release(before);
        }
        return new ChangeAnalysis(List.copyOf(findings), revisions, widgets);
    }

    /** The rules, in the order they run. */
    private static List<ChangeRule> rules(SignatureIntegrity integrity, DecodeBudget budget) {
        return List.of(new ContainerRule(), new CatalogRule(budget), new HousekeepingRule(), new FormRule(integrity),
                new PageRule(), new AnnotationRule());
    }

    /** The findings of the revisions that start at or after {@code signedEnd} (the end of a signed revision). */
    public List<Finding> after(long signedEnd) {
        List<Finding> after = new ArrayList<>();
        for (Finding finding : findings) {
            if (finding.revision() == 0 || revisions.get(finding.revision() - 1)[1] > signedEnd + 2) {
                after.add(finding);
            }
        }
        return after;
    }

    /** The visible widgets of the signatures added (and verified) after {@code signedEnd}. */
    public List<SignatureWidget> signatureWidgetsAfter(long signedEnd) {
        List<SignatureWidget> after = new ArrayList<>();
        for (int i = 0; i < widgets.size(); i++) {
            if (revisions.get(i)[1] > signedEnd + 2) {
                after.addAll(widgets.get(i));
            }
        }
        return after;
    }

    /** Every object defined anew that no rule cleared nor already reported, described as people read it. */
    private static void unexplained(RevisionDiff diff, Clearance clearance) {
        for (COSObjectKey key : diff.redefined()) {
            if (clearance.isCleared(key) || clearance.isJudged(key)) {
                continue;
            }
            COSBase old = diff.oldObject(key);
            COSBase now = diff.newObject(key);
            Integer page = RevisionDiff.page(diff.shownBefore(), key);
            if (isType(old, COSName.PAGES)) {
                int was = diff.before().getNumberOfPages();
                int is = diff.after().getNumberOfPages();
                clearance.report(Finding.of(is > was ? "PAGES_ADDED" : is < was ? "PAGES_REMOVED" : "PAGE_CONTENT",
                        null, ModificationLevel.OTHER, is > was ? (is - was) + " page(s) added" : is < was
                                ? (was - is) + " page(s) removed" : "the page tree was changed"), key);
                continue;
            }
            if (page != null) {
                clearance.report(Finding.of("PAGE_CONTENT", page, ModificationLevel.OTHER, "what page " + page
                        + " draws with (its content or resources: object " + key.getNumber() + " " + key.getGeneration() + ", " + describe(old)
                        + ") was given a new definition after signing: the same page now shows something else"), key);
            }
            String entry = page == null ? catalogEntry(diff, key) : null;
            if (entry != null) {
                clearance.report(Finding.of("CATALOG_CHANGED", null, ModificationLevel.OTHER, CatalogRule.entry(
                        COSName.getPDFName(entry)) + " (object " + key.getNumber() + " " + key.getGeneration()
                        + " was given a new definition)"), key);
            }
            clearance.report(Finding.of("OBJECT_REDEFINED", null, ModificationLevel.OTHER, "object "
                    + key.getNumber() + " " + key.getGeneration() + " (" + describe(old) + ") of the signed revision "
                    + (now == null || now instanceof COSNull ? "was removed" : "was given a new definition"
                    + (describe(now).equals(describe(old)) ? "" : " (now " + describe(now) + ")")) + " after signing"
                    + " and no rule allows it"), key);
        }
    }

    /** The catalog entry (other than the pages) through which the older revision reaches an object, if any. */
    private static String catalogEntry(RevisionDiff diff, COSObjectKey key) {
        for (Map.Entry<COSName, COSBase> entry : diff.oldCatalog().entrySet()) {
            if (!COSName.PAGES.equals(entry.getKey())
                    && Reach.from(entry.getValue(), Set.of(COSName.P, COSName.PARENT)).containsKey(key)) {
                return entry.getKey().getName();
            }
        }
        return null;
    }

    private static boolean isType(COSBase object, COSName type) {
        return object instanceof COSDictionary dictionary && type.equals(dictionary.getCOSName(COSName.TYPE));
    }

    static String describe(COSBase object) {
        if (object == null || object instanceof COSNull) {
            return "nothing";
        }
        if (object instanceof COSDictionary dictionary) {
            COSName type = dictionary.getCOSName(COSName.TYPE);
            COSName subtype = dictionary.getCOSName(COSName.SUBTYPE);
            String kind = dictionary instanceof COSStream ? "stream" : "dictionary";
            if (type == null && subtype == null) {
                return "a " + kind;
            }
            return "a " + (type == null ? "" : "/" + type.getName()) + (subtype == null ? "" : (type == null ? "/" : " /")
                    + subtype.getName()) + " " + kind;
        }
        if (object instanceof COSArray) {
            return "an array";
        }
        return "a " + object.getClass().getSimpleName().replace("COS", "").toLowerCase(Locale.ROOT);
    }
}
