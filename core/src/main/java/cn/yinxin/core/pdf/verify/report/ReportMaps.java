package cn.yinxin.core.pdf.verify.report;

import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verification report as plain maps and lists, in a stable field order, so any JSON writer at the edge
 * (Vert.x, Jackson) produces the same document without depending on the core's classes.
 */
public final class ReportMaps {

    private ReportMaps() {
    }

    public static Map<String, Object> toMap(VerificationReport report) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("verdict", report.verdict().name());
        map.put("summary", report.summary());
        map.put("documentBytes", report.documentBytes());
        map.put("validationTime", report.validationTime().toString());
        List<Object> signatures = new ArrayList<>();
        for (SignatureReport s : report.signatures()) {
            signatures.add(signature(s));
        }
        map.put("signatures", signatures);
        if (report.licence() != null) {
            Map<String, Object> licence = new LinkedHashMap<>();
            licence.put("identifier", report.licence().identifier());
            licence.put("status", report.licence().status());
            licence.put("explanation", report.licence().explanation());
            map.put("licence", licence);
        }
        return map;
    }

    /** One signature's part of the JSON, in the order its keys have always had. */
    private static Map<String, Object> signature(SignatureReport s) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("field", s.field());
        map.put("indication", s.indication().name());
        map.put("subIndication", s.subIndication() == null ? null : s.subIndication().name());
        map.put("reasons", s.reasons());
        map.put("format", s.format());
        map.put("signer", signer(s));
        map.put("seal", seal(s));
        map.put("person", person(s));
        map.put("handwritten", handwritten(s));
        map.put("claimedSigningTime", s.claimedSigningTime() == null ? null : s.claimedSigningTime().toString());
        map.put("timeStampedAt", s.timeStampedAt() == null ? null : s.timeStampedAt().toString());
        map.put("coverage", coverage(s));
        List<Object> changes = changes(s);
        map.put("changesAfterSigning", changes);
        map.put("modifiedAfterSigning", modified(s, changes));
        map.put("nationalSeal", nationalSeal(s));
        return map;
    }

    /**
     * Whether the document was changed after the signature in a way it does not allow: true for a change not allowed
     * and for signed bytes that no longer match (HASH_FAILURE: the change is inside what was signed), false only for
     * a signature that did not fail and whose changes were all allowed, else null (the signature failed before its
     * changes were looked at: nothing is known either way, and "unchanged" would contradict its reasons).
     */
    private static Boolean modified(SignatureReport s, List<Object> changes) {
        if (s.subIndication() == SubIndication.HASH_FAILURE
                || changes.stream().anyMatch(c -> !((Map<?, ?>) c).get("allowed").equals(true))) {
            return true;
        }
        return s.indication() == Indication.TOTAL_FAILED ? null : false;
    }

    private static Map<String, Object> signer(SignatureReport s) {
        if (s.signer() == null) {
            return null;
        }
        Map<String, Object> signer = new LinkedHashMap<>();
        signer.put("name", s.signer().name());
        signer.put("subject", s.signer().subject());
        signer.put("issuer", s.signer().issuer());
        signer.put("serialNumber", s.signer().serialNumber());
        signer.put("notBefore", s.signer().notBefore().toString());
        signer.put("notAfter", s.signer().notAfter().toString());
        return signer;
    }

    private static Map<String, Object> seal(SignatureReport s) {
        if (s.seal() == null) {
            return null;
        }
        Map<String, Object> seal = new LinkedHashMap<>();
        seal.put("name", s.seal().name());
        seal.put("agency", s.seal().agency());
        seal.put("agencyCode", s.seal().agencyCode());
        return seal;
    }

    private static Map<String, Object> person(SignatureReport s) {
        if (s.person() == null) {
            return null;
        }
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("name", s.person().name());
        person.put("residentId", s.person().maskedResidentId());
        return person;
    }

    private static Map<String, Object> handwritten(SignatureReport s) {
        if (s.handwritten() == null) {
            return null;
        }
        Map<String, Object> handwritten = new LinkedHashMap<>();
        handwritten.put("bound", s.handwritten().bound());
        handwritten.put("strokes", s.handwritten().strokes());
        handwritten.put("points", s.handwritten().points());
        handwritten.put("capturedAt", s.handwritten().capturedAt() == null ? null
                : s.handwritten().capturedAt().toString());
        handwritten.put("documentSha256", s.handwritten().documentSha256());
        handwritten.put("explanation", s.handwritten().explanation());
        handwritten.put("svg", s.handwritten().svg());
        return handwritten;
    }

    private static Map<String, Object> coverage(SignatureReport s) {
        if (s.coverage() == null) {
            return null;
        }
        Map<String, Object> coverage = new LinkedHashMap<>();
        coverage.put("byteRange", List.of(s.coverage().byteRange()[0], s.coverage().byteRange()[1],
                s.coverage().byteRange()[2], s.coverage().byteRange()[3]));
        coverage.put("signedBytes", s.coverage().signedBytes());
        coverage.put("revisionEnd", s.coverage().revisionEnd());
        coverage.put("coversWholeDocument", s.coverage().coversWholeDocument());
        coverage.put("bytesAppendedAfter", s.coverage().bytesAppendedAfter());
        return coverage;
    }

    private static List<Object> changes(SignatureReport s) {
        List<Object> changes = new ArrayList<>();
        for (var c : s.changesAfterSigning()) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("kind", c.kind());
            change.put("page", c.page());
            change.put("allowed", c.allowed());
            change.put("description", c.description());
            if (c.pictures() != null) {
                // the page as signed and as now (small PNGs, a few pages at most), for a clerk to see what was sealed
                Map<String, Object> pictures = new LinkedHashMap<>();
                pictures.put("signed", dataUri(c.pictures().signedPng()));
                pictures.put("now", dataUri(c.pictures().nowPng()));
                change.put("pictures", pictures);
            }
            changes.add(change);
        }
        return changes;
    }

    private static Map<String, Object> nationalSeal(SignatureReport s) {
        if (s.nationalSeal() == null) {
            return null;
        }
        var n = s.nationalSeal();
        Map<String, Object> national = new LinkedHashMap<>();
        national.put("standard", n.standard());
        national.put("valid", n.valid());
        national.put("problem", n.problem());
        national.put("esId", n.esId());
        national.put("name", n.name());
        national.put("vendor", n.vendor());
        national.put("maker", n.maker());
        national.put("validStart", n.validStart() == null ? null : n.validStart().toString());
        national.put("validEnd", n.validEnd() == null ? null : n.validEnd().toString());
        national.put("signedAt", n.signedAt() == null ? null : n.signedAt().toString());
        national.put("timeStamped", n.timeStamped());
        national.put("propertyInfo", n.propertyInfo());
        national.put("sealStatus", n.sealStatus());
        national.put("reasons", n.reasons());
        return national;
    }

    private static String dataUri(byte[] png) {
        return png == null ? null : "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }
}
