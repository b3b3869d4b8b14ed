package cn.yinxin.verifier.report;

import cn.yinxin.core.text.Language;
import cn.yinxin.core.text.Messages;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sentence the verifier's checks can give a clerk has a Chinese text: the sources of the checks are read,
 * each string a reason is built from (a literal, joined with {@code +} to values and to alternatives {@code (c ? "a"
 * : "b")}) is written out with a stand-in for each value, and the catalogue (core's {@code text/messages*.properties})
 * must recognise it. A new or reworded reason without its catalogue entry fails here, naming file and line.
 */
class ReasonCatalogueTest {

    /** The checks whose every sentence is catalogued (see docs/architecture.md, "Chinese first"). */
    private static final List<Path> CHECKS = List.of(
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/PdfVerifier.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/SignatureCheck.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/CheckedSignature.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/NamedLicence.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/AnnotatedCopyCheck.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/VerdictSummary.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/ShownOtherwise.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/cms/CmsSignatureCheck.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/cms/SignerCertificateCheck.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/cms/SignerInfos.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/longterm/RevocationCheck.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/cms/TimeStampCheck.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/cms/CryptoConstraints.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/cms/SignerPurpose.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/national/NationalSealCheck.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/national/SealInContents.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/national/SealStatusCheck.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/LicenceStatusCheck.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/ses/SesVerifier.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/handwriting/HandwritingCheck.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/VisualProof.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/DecodeBudget.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/InputBounds.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/FaxRaster.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/changes/AnnotationRule.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/changes/AnnotationTraits.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/changes/DocumentTitle.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/changes/CatalogRule.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/changes/ChangeAnalysis.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/changes/CrossReferenceRule.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/changes/FormRule.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/changes/DefaultFonts.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/changes/SeenValues.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/changes/HousekeepingRule.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/changes/PageRule.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/pdf/verify/changes/SignatureAdditionRule.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/qr/QrVerifier.java"),
            Path.of("src/main/java/cn/yinxin/verifier/qr/QrCheck.java"),
            Path.of("src/main/java/cn/yinxin/verifier/qr/QrResult.java"),
            Path.of("src/main/java/cn/yinxin/verifier/qr/SignerFindings.java"),
            Path.of("src/main/java/cn/yinxin/verifier/qr/LicenceListCheck.java"),
            Path.of("src/main/java/cn/yinxin/verifier/trust/TrustStatus.java"),
            Path.of("src/main/java/cn/yinxin/verifier/qr/PresentationCheck.java"),
            Path.of("src/main/java/cn/yinxin/verifier/trust/StatusLists.java"),
            Path.of("src/main/java/cn/yinxin/verifier/trust/seals/FetchedSealDirectory.java"),
            Path.of("src/main/java/cn/yinxin/verifier/trust/seals/SealService.java"),
            Path.of("src/main/java/cn/yinxin/verifier/trust/seals/SealCache.java"),
            Path.of("src/main/java/cn/yinxin/verifier/trust/seals/SignerChains.java"),
            Path.of("src/main/java/cn/yinxin/verifier/ofd/OfdCheck.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/ofd/verify/OfdVerifier.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/ofd/verify/Coverage.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/ofd/verify/SealSignatureCheck.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/ofd/verify/SignatureXml.java"),
            Path.of("../core/src/main/java/cn/yinxin/core/ofd/verify/Chains.java"));

    /** Strings in those files that no clerk reads (log lines, names of things, exceptions that become no reason). */
    private static final Set<String> NOT_SHOWN = Set.of(
            "validation time",                       // a javadoc-like parameter text in an exception
            "licence valid",                         // a comment's words
            "SHA-1 is always available",             // an AssertionError that cannot happen
            "an unusual SignedData content type",    // part of the CMS flavour detail (not a verdict reason)
            "SHA-1 with RSA", "SHA-1 with ECDSA", "SHA-1 with DSA", // algorithm names inside a catalogued reason
            "Bouncy Castle has no \u2039v\u203a",    // an IllegalStateException at start-up
            "key id ([0-9a-f]{16})",                 // a pattern the code matches, not a text
            "verification limits must be positive", // configuration errors at start-up
            "the time limit of a verification must be positive",
            "an OFD limit must be between 1 and ‹v›: ‹v›", // OfdCheck: a setting refused at start-up
            "not a certificate",                     // an exception's message inside a catalogued reason's argument
            // the seal directory's log lines and fetch errors: the operator's log, not a clerk's answer
            "‹v› seal certificates from ‹v› (fetched ‹v›)",
            "Ignoring the seal cache ‹v›: ‹v›",
            "No certificate for seal ‹v› (‹v›)", "No certificate for seal ‹v› (‹v›); keeping the one known",
            "‹v› seal certificates from ‹v›",
            "Seal certificates not fetched from ‹v› (‹v›); keeping the ‹v› known",
            "‹v›/certificates answered HTTP ‹v›", "/certificates answered HTTP ‹v›",
            "/certificates names no current certificate", "\u2039v\u203a/certificates names no current certificate",
            "The seal cache ‹v› could not be written: ‹v›",
            "‹v› answered HTTP ‹v›");

    private static final String VALUE = "\u2039v\u203a";

    @Test
    void everyReasonOfTheChecksHasAChineseText() throws IOException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Path file : CHECKS) {
            String source = withoutComments(Files.readString(file));
            for (Chain chain : chains(source)) {
                for (String sentence : chain.sentences()) {
                    if (!looksLikeWords(sentence) || NOT_SHOWN.contains(sentence)) {
                        continue;
                    }
                    checked++;
                    // String.format's %d, %.0f: a value like any other; %% is a per cent sign
                    String written = formatted(sentence);
                    String sample = written.replace(VALUE, "X1");
                    Messages.Keyed keyed = Messages.recognise(sample);
                    if (keyed == null && !partOfACataloguedSentence(written)) {
                        missing.add(file.getFileName() + ":" + chain.line() + "  " + sentence);
                    } else if (keyed != null && Messages.own(keyed.key(), Language.ZH) == null) {
                        missing.add(file.getFileName() + ":" + chain.line() + "  " + keyed.key() + " (no Chinese)");
                    }
                }
            }
        }
        assertThat(checked).as("sentences found in the checks' sources").isGreaterThan(150);
        assertThat(missing).as("reasons with no catalogue entry (add them to core's cn/yinxin/core/text/messages.properties"
                + " and messages_zh.properties)").isEmpty();
    }

    /**
     * A piece of a sentence the code completes elsewhere (a certificate's name put before "was not revoked", the
     * DocMDP words appended to a change): covered when its fixed words occur, in order, in one catalogued English
     * text.
     */
    private static boolean partOfACataloguedSentence(String fragment) {
        String[] pieces = fragment.split(java.util.regex.Pattern.quote(VALUE));
        for (String key : Messages.keys(Language.EN)) {
            String english = Messages.own(key, Language.EN);
            if (english == null || !(key.startsWith("reason.") || key.startsWith("summary.") || key.startsWith("phrase."))) {
                continue;
            }
            String fixed = english.replaceAll("\\{\\d}", VALUE);
            int at = 0;
            boolean all = true;
            for (String piece : pieces) {
                int found = fixed.indexOf(piece, at);
                if (found < 0) {
                    all = false;
                    break;
                }
                at = found + piece.length();
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** A String.format pattern as it comes out: each %d or %.0f a value, %% a per cent sign; other text as is. */
    private static String formatted(String sentence) {
        return sentence.matches("(?s).*%[.0-9]*[df].*")
                ? sentence.replaceAll("%[.0-9]*[df]", VALUE).replace("%%", "%") : sentence;
    }

    private record Chain(int line, List<String> sentences) {
    }

    private static boolean looksLikeWords(String text) {
        String fixed = text.replace(VALUE, "");
        return fixed.length() > 12 && fixed.matches("(?s).*[A-Za-z]{2,} [A-Za-z].*");
    }

    /** The source with comments blanked (quotes in comments are not strings), strings and lines kept in place. */
    static String withoutComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' && s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3) + 3;
                out.append(s, i, end);
                i = end;
            } else if (c == '"') {
                int end = stringEnd(s, i);
                out.append(s, i, end);
                i = end;
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + (s.charAt(i + 1) == '\\' ? 3 : 2)) + 1;
                out.append(s, i, end);
                i = end;
            } else if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2) + 2;
                for (int j = i; j < end; j++) {
                    out.append(s.charAt(j) == '\n' ? '\n' : ' ');
                }
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int stringEnd(String s, int start) {
        int j = start + 1;
        while (s.charAt(j) != '"') {
            j += s.charAt(j) == '\\' ? 2 : 1;
        }
        return j + 1;
    }

    private static String literal(String s, int start, int end) {
        return s.substring(start + 1, end - 1).replace("\\\"", "\"").replace("\\\\", "\\").replace("\\n", "\n");
    }

    /** Every concatenation that starts with a string literal (or with one value joined to one), as sentences. */
    private static List<Chain> chains(String s) {
        List<Chain> chains = new ArrayList<>();
        int i = 0;
        while ((i = s.indexOf('"', i)) >= 0) {
            if (i > 0 && s.charAt(i - 1) == '\'') {
                i++;
                continue;
            }
            if (s.startsWith("\"\"\"", i)) {
                i = s.indexOf("\"\"\"", i + 3) + 3;
                continue;
            }
            int line = 1 + (int) s.substring(0, i).chars().filter(c -> c == '\n').count();
            boolean valueBefore = previousNonSpace(s, i) == '+';
            int[] end = new int[1];
            List<String> sentences = expression(s, i, end);
            if (valueBefore) {
                sentences = sentences.stream().map(x -> VALUE + x).toList();
            }
            chains.add(new Chain(line, sentences));
            i = end[0];
        }
        return chains;
    }

    private static char previousNonSpace(String s, int i) {
        int j = i - 1;
        while (j >= 0 && Character.isWhitespace(s.charAt(j))) {
            j--;
        }
        return j < 0 ? ' ' : s.charAt(j);
    }

    /** The alternatives a {@code +} chain from {@code start} can write, and where it ends. */
    private static List<String> expression(String s, int start, int[] end) {
        List<String> sentences = List.of("");
        int i = start;
        while (true) {
            i = skipSpace(s, i);
            List<String> operand;
            if (s.charAt(i) == '"') {
                int e = stringEnd(s, i);
                operand = List.of(literal(s, i, e));
                i = e;
            } else {
                int e = operandEnd(s, i);
                operand = alternatives(s.substring(i, e).trim());
                i = e;
            }
            List<String> joined = new ArrayList<>();
            for (String a : sentences) {
                for (String b : operand) {
                    if (joined.size() < 64) {
                        joined.add(a + b);
                    }
                }
            }
            sentences = joined;
            int next = skipSpace(s, i);
            if (next < s.length() && s.charAt(next) == '+' && s.charAt(next + 1) != '+' && s.charAt(next + 1) != '=') {
                i = next + 1;
            } else {
                end[0] = i;
                return sentences;
            }
        }
    }

    /** A parenthesised {@code c ? a : b} of strings gives each; any other value a stand-in. */
    private static List<String> alternatives(String operand) {
        if (operand.startsWith("(") && operand.endsWith(")")) {
            String inner = operand.substring(1, operand.length() - 1);
            int question = topLevel(inner, '?', 0);
            int colon = question < 0 ? -1 : topLevel(inner, ':', question + 1);
            if (question > 0 && colon > 0) {
                List<String> all = new ArrayList<>(branch(inner.substring(question + 1, colon)));
                all.addAll(branch(inner.substring(colon + 1)));
                return all;
            }
        }
        return List.of(VALUE);
    }

    private static List<String> branch(String text) {
        String t = text.trim();
        if (t.startsWith("\"")) {
            int[] end = new int[1];
            List<String> found = expression(t, 0, end);
            if (skipSpace(t, end[0]) >= t.length()) {
                return found;
            }
        }
        if (t.contains("?") && topLevel(t, '?', 0) > 0) {
            return alternatives("(" + t + ")");
        }
        return List.of(VALUE);
    }

    private static int topLevel(String s, char wanted, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = stringEnd(s, i) - 1;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == wanted && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int operandEnd(String s, int i) {
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                i = stringEnd(s, i);
                continue;
            }
            if (c == '\'') {
                i = s.indexOf('\'', i + (s.charAt(i + 1) == '\\' ? 3 : 2)) + 1;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (depth == 0 && (c == '+' || c == ',' || c == ';' || c == ':' || c == '?')) {
                break;
            }
            i++;
        }
        return i;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
