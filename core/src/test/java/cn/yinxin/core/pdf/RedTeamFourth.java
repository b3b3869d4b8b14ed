package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fourth red team's shared crafting: one genuine seal, one incremental edit as a text editor or PDFBox would make
 * it, one verification through {@link PdfVerifier}. With -Dredteam.out=DIR every crafted file is written there, to
 * look at it with poppler or pdf.js.
 */
final class RedTeamFourth {

    /** An edit made to the sealed document; the fixture marks nothing, the edit marks what it changes. */
    @FunctionalInterface
    interface Edit {
        void apply(PDDocument document) throws Exception;
    }

    final TestMaterial material;
    final PdfVerifier verifier;

    RedTeamFourth() throws Exception {
        material = new TestMaterial();
        verifier = new PdfVerifier(List.of(material.root));
    }

    /** {@code pdf} sealed by the test seal (page 1, lower left), and seen VALID as it is. */
    byte[] sealed(String name, byte[] pdf) throws Exception {
        byte[] sealed = new PdfSealer().seal(pdf, material.request(1, 100, 100));
        assertThat(verify(name + "-sealed", sealed).verdict()).as("the genuine document").isEqualTo(Verdict.VALID);
        return sealed;
    }

    /** {@code document} with {@code edit} appended as one incremental update. */
    static byte[] incremental(byte[] document, Edit edit) throws Exception {
        try (PDDocument loaded = Loader.loadPDF(document)) {
            edit.apply(loaded);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            loaded.saveIncremental(out);
            return out.toByteArray();
        }
    }

    VerificationReport verify(String name, byte[] pdf) throws Exception {
        String dir = System.getProperty("redteam.out");
        if (dir != null) {
            Files.write(Path.of(dir, name + ".pdf"), pdf);
        }
        VerificationReport report = verifier.verify(pdf);
        if (dir != null) {
            StringBuilder line = new StringBuilder(name + ": " + report.verdict());
            for (var signature : report.signatures()) {
                line.append(" | ").append(signature.field()).append(' ').append(signature.indication());
                signature.changesAfterSigning().forEach(c -> line.append(" [").append(c.kind()).append(c.allowed()
                        ? " allowed" : " REFUSED: " + c.description()).append(']'));
            }
            System.out.println(line);
        }
        return report;
    }

    static void assertNotValid(VerificationReport report) {
        assertThat(report.verdict()).as(report.toString()).isNotEqualTo(Verdict.VALID);
    }
}
