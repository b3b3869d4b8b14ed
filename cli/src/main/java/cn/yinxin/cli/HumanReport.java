package cn.yinxin.cli;

import tools.jackson.databind.JsonNode;

/** The verification report as a clerk reads it in a terminal. */
final class HumanReport {

    private HumanReport() {
    }

    static String render(JsonNode report) {
        StringBuilder out = new StringBuilder();
        out.append(report.path("verdict").asString()).append("  ").append(shown(report.path("summary").asString())).append('\n');
        int n = 1;
        for (JsonNode s : report.path("signatures")) {
            out.append("  [").append(n++).append("] ").append(shown(s.path("field").asString())).append(": ")
                    .append(s.path("indication").asString());
            if (!s.path("subIndication").isNull()) {
                out.append(" / ").append(s.path("subIndication").asString());
            }
            out.append("  ").append(s.path("format").asString()).append('\n');
            JsonNode seal = s.path("seal");
            if (seal.isObject()) {
                out.append("      seal:   ").append(shown(seal.path("name").asString())).append(" — ")
                        .append(shown(seal.path("agency").asString())).append(" (").append(shown(seal.path("agencyCode").asString()))
                        .append(")\n");
            } else if (s.path("signer").isObject()) {
                out.append("      signer: ").append(shown(s.path("signer").path("subject").asString())).append('\n');
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
                out.append("      - ").append(shown(reason.asString())).append('\n');
            }
            for (JsonNode change : s.path("changesAfterSigning")) {
                out.append("      ").append(change.path("allowed").asBoolean() ? "allowed change: " : "CHANGED AFTER SIGNING: ")
                        .append(shown(change.path("description").asString())).append('\n');
            }
        }
        return out.toString().stripTrailing();
    }

    /**
     * A text the document (or its signer's certificate) chose, as a terminal may be given it: control characters
     * (escape sequences move the cursor and erase lines: a field name rewrote the verdict line above it), line and
     * paragraph separators and format characters (bidi overrides) are shown escaped, as \u001b. A run of spaces is
     * one space: hundreds of them wrapped the text after them onto lines of its own in the terminal, where it read as
     * lines of the report.
     */
    static String shown(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE) {
                shown.append(String.format("\\u%04x", c));
            } else if (type == Character.SPACE_SEPARATOR) {
                if (shown.isEmpty() || shown.charAt(shown.length() - 1) != ' ') {
                    shown.append(' ');
                }
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }
}
