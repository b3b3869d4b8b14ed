package cn.yinxin.cli;

import tools.jackson.databind.JsonNode;

/** The verification report as a clerk reads it in a terminal. */
final class HumanReport {

    private HumanReport() {
    }

    static String render(JsonNode report) {
        StringBuilder out = new StringBuilder();
        out.append(report.path("verdict").asString()).append("  ").append(report.path("summary").asString()).append('\n');
        int n = 1;
        for (JsonNode s : report.path("signatures")) {
            out.append("  [").append(n++).append("] ").append(s.path("field").asString()).append(": ")
                    .append(s.path("indication").asString());
            if (!s.path("subIndication").isNull()) {
                out.append(" / ").append(s.path("subIndication").asString());
            }
            out.append("  ").append(s.path("format").asString()).append('\n');
            JsonNode seal = s.path("seal");
            if (seal.isObject()) {
                out.append("      seal:   ").append(seal.path("name").asString()).append(" — ")
                        .append(seal.path("agency").asString()).append(" (").append(seal.path("agencyCode").asString())
                        .append(")\n");
            } else if (s.path("signer").isObject()) {
                out.append("      signer: ").append(s.path("signer").path("subject").asString()).append('\n');
            }
            if (!s.path("claimedSigningTime").isNull()) {
                out.append("      claimed signing time: ").append(s.path("claimedSigningTime").asString()).append('\n');
            }
            JsonNode coverage = s.path("coverage");
            if (coverage.isObject()) {
                out.append("      covers: ").append(coverage.path("coversWholeDocument").asBoolean()
                        ? "the whole document"
                        : "bytes 0.." + coverage.path("revisionEnd").asLong() + "; "
                                + coverage.path("bytesAppendedAfter").asLong() + " bytes were added after it")
                        .append('\n');
            }
            for (JsonNode reason : s.path("reasons")) {
                out.append("      - ").append(reason.asString()).append('\n');
            }
            for (JsonNode change : s.path("changesAfterSigning")) {
                out.append("      ").append(change.path("allowed").asBoolean() ? "allowed change: " : "CHANGED AFTER SIGNING: ")
                        .append(change.path("description").asString()).append('\n');
            }
        }
        return out.toString().stripTrailing();
    }
}
