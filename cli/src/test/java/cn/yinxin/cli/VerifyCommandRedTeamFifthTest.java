package cn.yinxin.cli;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.keystores.SamplePki;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Red team 5: {@code yinxin verify} printed what the document names (a signature field's name) to the clerk's
 * terminal as it is. A PDF's field name may hold any characters: terminal control sequences in it (cursor up, erase
 * line) overwrote the verdict line "INVALID ..." with "VALID  1 signature(s) valid" on the screen, and line breaks
 * in it printed lines of their own that read as findings. Whatever the document chose is shown with its control
 * characters escaped.
 */
class VerifyCommandRedTeamFifthTest {

    private static final String FORGED_LINES = "Signature1" + " ".repeat(300) + "\u001b[1A\u001b[2K\rVALID  The document is "
            + "sealed and unchanged."
            + "\n      seal:   北京市市场监督管理局\u2028\u202e";

    @RegisterExtension
    final Console console = new Console();
    @TempDir
    Path dir;

    @Test
    void aFieldNameWithTerminalControlsCannotRewriteTheVerdictOnTheScreen() throws Exception {
        Path keystores = dir.resolve("pki");
        SamplePki.create(keystores);
        Path seal = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
        SealKey key = SealKey.fromPkcs12(seal.resolve("seal.p12"), SamplePki.PASSWORD.toCharArray());
        byte[] sealed = new PdfSealer().seal(Files.readAllBytes(keystores.resolve("samples/approval-result.pdf")),
                new SealRequest(key, new SealAppearance(Files.readAllBytes(seal.resolve("seal.png")), 42, 42),
                        new SealPlacement(1, 150, 230), SamplePki.SEAL_NAME, null, Instant.now()));
        Path renamed = dir.resolve("renamed.pdf");
        try (var document = Loader.loadPDF(sealed)) {
            COSDictionary field = document.getDocumentCatalog().getAcroForm(null).getFields().getFirst().getCOSObject();
            field.setItem(COSName.T, new COSString(FORGED_LINES));
            field.setNeedToBeUpdated(true);
            try (var file = Files.newOutputStream(renamed)) {
                document.saveIncremental(file);
            }
        }

        console.reset();
        int exit = new CommandLine(new Yinxin()).execute("verify", renamed.toString(), "--trust",
                keystores.resolve("trust").toString());
        String shown = console.out();

        assertThat(exit).as(shown + console.err()).isNotZero();
        assertThat(shown).as("what the terminal was given").doesNotContain("\u001b", "\r", "\u2028", "\u202e")
                .doesNotContain("\n      seal:   北京市市场监督管理局");
        assertThat(shown.lines().filter(line -> line.startsWith("VALID"))).as(shown).isEmpty();
        // red team 6: hundreds of spaces in the name wrapped the words after them onto lines of their own in the
        // terminal; a run of spaces is shown as one
        assertThat(shown).as("what the terminal was given").doesNotContain(" ".repeat(20));
    }
}
