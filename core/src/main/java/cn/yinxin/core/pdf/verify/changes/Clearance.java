package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSObjectKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the rules have said about one revision so far: the redefined objects each cleared (and at which level), the
 * findings, and the facts one rule leaves for the next (the widgets a signing or a form fill explains).
 */
final class Clearance {

    private final Map<COSObjectKey, ModificationLevel> cleared = new HashMap<>();
    private final Set<COSObjectKey> judged = new HashSet<>();
    private final List<Finding> findings = new ArrayList<>();
    /** Widgets a rule explained (a signature's, a new empty signature field's), with the level it gave them. */
    private final Map<COSObjectKey, ModificationLevel> explainedWidgets = new HashMap<>();
    /** Widgets whose new appearance is part of a form fill the form rule reported. */
    private final Set<COSObjectKey> filledWidgets = new HashSet<>();
    private final List<SignatureWidget> signatureWidgets = new ArrayList<>();

    void clear(COSObjectKey key, ModificationLevel level) {
        if (key != null && level != ModificationLevel.OTHER) {
            cleared.merge(key, level, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
    }

    boolean isCleared(COSObjectKey key) {
        return cleared.containsKey(key);
    }

    /** A finding; when no rule allows it ({@link ModificationLevel#OTHER}) the objects named are judged already. */
    void report(Finding finding, COSObjectKey... about) {
        findings.add(finding);
        for (COSObjectKey key : about) {
            if (key != null) {
                judged.add(key);
            }
        }
    }

    /** Whether a rule has already reported why this object's change is not allowed. */
    boolean isJudged(COSObjectKey key) {
        return judged.contains(key);
    }

    void explainWidget(COSObjectKey key, ModificationLevel level) {
        if (key != null) {
            explainedWidgets.put(key, level);
        }
    }

    ModificationLevel explainedWidget(COSObjectKey key) {
        return key == null ? null : explainedWidgets.get(key);
    }

    void filledWidget(COSObjectKey key) {
        if (key != null) {
            filledWidgets.add(key);
        }
    }

    boolean isFilledWidget(COSObjectKey key) {
        return key != null && filledWidgets.contains(key);
    }

    void signatureWidget(SignatureWidget widget) {
        signatureWidgets.add(widget);
    }

    List<Finding> findings() {
        return findings;
    }

    List<SignatureWidget> signatureWidgets() {
        return signatureWidgets;
    }
}
