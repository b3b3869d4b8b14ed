package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The visual proof on PDFs signed by other products (../shared/corpus/foreign-pdf, EU DSS's own test documents),
 * against EU DSS's findings in its MANIFEST.tsv: where EU DSS sees a visual difference or pages added or removed,
 * the signature carries a visible change; where it sees the document intact and unmodified, none.
 */
class ForeignCorpusVisualTest {

    @Test
    void visibleChangesWhereEuDssSeesThemAndNoneWhereItSeesNone() throws Exception {
        Path corpus = corpus();
        assumeTrue(corpus != null, "the foreign corpus is not beside the project");
        PdfVerifier verifier = new PdfVerifier(List.of(new TestMaterial().root));
        int changed = 0;
        int intact = 0;
        List<String> wrong = new ArrayList<>();
        for (String line : Files.readAllLines(corpus.resolve("MANIFEST.tsv"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] column = line.split("\t");
            String file = column[0];
            List<String> fields = Arrays.stream(column[1].replaceAll("^\\[|]$", "").split(",\\s*")).toList();
            boolean dssIntact = Boolean.parseBoolean(column[2]);
            String modifications = column[5];
            boolean visuallyModified = modifications.contains("visual[") || modifications.contains("pages[");
            boolean unmodified = dssIntact && modifications.equals("-");
            if (!visuallyModified && !unmodified) {
                continue;
            }
            VerificationReport report = verifier.verify(Files.readAllBytes(corpus.resolve(file)));
            for (SignatureReport signature : report.signatures()) {
                if (!fields.contains(signature.field())) {
                    continue;
                }
                boolean seen = signature.changesAfterSigning().stream().anyMatch(c -> c.kind().equals("VISIBLE_CHANGE"));
                if (visuallyModified) {
                    changed++;
                    if (!seen || report.verdict() == Verdict.VALID) {
                        wrong.add(file + " [" + signature.field() + "]: EU DSS sees " + modifications + ", we see none");
                    }
                } else {
                    intact++;
                    if (seen) {
                        wrong.add(file + " [" + signature.field() + "]: intact for EU DSS, we see "
                                + signature.changesAfterSigning());
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
        // hide, replace, removed pages, added page; and the intact signatures of the corpus
        assertThat(changed).isEqualTo(4);
        assertThat(intact).isGreaterThanOrEqualTo(15);
    }

    private static Path corpus() {
        String configured = System.getProperty("yinxin.foreignCorpus");
        return Stream.of(configured == null ? null : Path.of(configured), Path.of("../shared/corpus/foreign-pdf"),
                        Path.of("../../shared/corpus/foreign-pdf"), Path.of("/work/shared/corpus/foreign-pdf"))
                .filter(p -> p != null && Files.isRegularFile(p.resolve("MANIFEST.tsv")))
                .findFirst().orElse(null);
    }
}
