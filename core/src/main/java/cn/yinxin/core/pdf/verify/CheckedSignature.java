package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pdf.verify.changes.ChangeAnalysis;
import cn.yinxin.core.pdf.verify.changes.FieldLock;
import cn.yinxin.core.pdf.verify.changes.Finding;
import cn.yinxin.core.pdf.verify.changes.FormFields;
import cn.yinxin.core.pdf.verify.changes.ModificationLevel;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.SignatureReportBuilder;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.report.VerificationReport.Change;
import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;

import java.util.ArrayList;
import java.util.List;

/**
 * One signature as checked on its own: either concluded already (its bytes or value fail, whatever came after),
 * or waiting for the judgement of what the later revisions changed.
 */
record CheckedSignature(SignatureReportBuilder builder, SignatureReport concluded, long[] range, Boolean intact,
                    FieldLock lock, String proof) {

    static CheckedSignature done(SignatureReport report, long[] range, Boolean intact) {
        return new CheckedSignature(null, report, range, intact, FieldLock.NONE, null);
    }

    /** A second field showing a signature dictionary another field shows: one signature passed off as two. */
    static CheckedSignature shared(String field, String first, PDSignature signature) {
        var builder = new SignatureReportBuilder(field, null, signature.getSubFilter());
        String reason = "The field \"" + field + "\" shows the same signature dictionary as the field \"" + first
                + "\": one signature is made to look like two.";
        builder.changes(List.of(new Change("SIGNATURE_SHARED", null, false, reason)));
        return done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, reason),
                FormFields.byteRange(signature.getCOSObject()), null);
    }

    boolean timeStamp() {
        return proof != null;
    }

    /**
     * @param visual the visual proof of the pages as signed against the pages now, or null when nothing came after
     *               this signature (or the proof is off)
     */
    SignatureReport finish(byte[] pdf, ChangeAnalysis analysis, RevisionLayout layout, Integer docMdp,
                           VisualProof.Outcome visual) {
        if (concluded != null) {
            return concluded;
        }
        long revisionEnd = range[2] + range[3];
        if (revisionEnd < pdf.length) {
            List<Change> changes = changes(analysis, revisionEnd, docMdp);
            changes.addAll(layout.problemsAfter(revisionEnd));
            builder.changes(changes);
            List<Change> all = new ArrayList<>(changes);
            if (visual != null) {
                builder.moreChanges(visual.changes());
                all.addAll(visual.changes());
            }
            // the rules and the pictures, each a proof of its own
            List<String> forbidden = all.stream().filter(c -> !c.allowed()).map(Change::description).toList();
            if (!forbidden.isEmpty()) {
                // even when the signer cannot be confirmed (no chain, no revocation data), a forbidden change fails
                return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, (proof == null
                        ? "The document was changed after this signature in a way a signature cannot allow: "
                        : proof + " But the document was changed after it: ") + String.join("; ", forbidden) + ".");
            }
        }
        String before = proof == null ? "" : proof + " ";
        if (visual != null && visual.failure() != null) {
            // the rules found nothing, but what the page shows is not what was signed
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, before + visual.failure());
        }
        if (visual != null && visual.incomplete() != null && (proof != null
                || builder.indication() == Indication.TOTAL_PASSED)) {
            return builder.conclude(Indication.INDETERMINATE, null, before + visual.incomplete());
        }
        return proof == null ? builder.build() : builder.conclude(Indication.TOTAL_PASSED, null, proof);
    }

    /** The later revisions' findings, each allowed when this signature's level and locks allow it. */
    private List<Change> changes(ChangeAnalysis analysis, long revisionEnd, Integer docMdp) {
        ModificationLevel allowed = ModificationLevel.allowedBy(docMdp);
        List<Change> changes = new ArrayList<>();
        for (Finding finding : analysis.after(revisionEnd)) {
            boolean locked = finding.field() != null && lock.locks(finding.field());
            boolean ok = finding.level() != ModificationLevel.OTHER && finding.level().compareTo(allowed) <= 0
                    && !locked;
            String why = ok || finding.level() == ModificationLevel.OTHER ? ""
                    : locked ? " (this signature locks the field \"" + finding.field() + "\")"
                    : " (" + forbiddenBy(docMdp) + ")";
            changes.add(new Change(finding.kind(), finding.page(), ok, finding.description() + why));
        }
        return changes;
    }

    private static String forbiddenBy(Integer docMdp) {
        return docMdp == null ? "a sealed document allows form filling and signing only"
                : "the certification (DocMDP P=" + docMdp + ") allows "
                + (docMdp == 1 ? "no change" : docMdp == 2 ? "form filling and signing only"
                : "form filling, signing and annotations only");
    }
}
