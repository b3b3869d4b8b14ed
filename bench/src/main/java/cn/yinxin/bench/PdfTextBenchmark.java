package cn.yinxin.bench;

import cn.yinxin.core.pdf.PdfText;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The text of a one-page licence-like PDF (12 lines of Chinese and Latin text, fonts embedded as subsets), written
 * with {@link PdfText} in two ways in alternating rounds of the same run: the PdfText left open, so every document
 * parses the CJK font again (as every licence did before), and closed after the save, so the next document reuses
 * the parsed fonts. CPU time of the writing thread per document (issue 19, licence issuance).
 *
 * <pre>java -cp bench/target/bench.jar cn.yinxin.bench.PdfTextBenchmark [--rounds N] [--documents N]</pre>
 */
public final class PdfTextBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(Runs.option(args, "--rounds", "4"));
        int documents = Integer.parseInt(Runs.option(args, "--documents", "100"));
        Path font = PdfText.defaultCjkFont();
        write(font, false, documents);   // warm-up of both
        write(font, true, documents);
        System.out.println("| round | fonts parsed per document, CPU ms | fonts reused, CPU ms | ratio | load (1 min) |");
        System.out.println("|---|---|---|---|---|");
        for (int round = 1; round <= rounds; round++) {
            String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            double parsed = write(font, false, documents);
            double reused = write(font, true, documents);
            System.out.printf("| %d | %.2f | %.2f | %.2f | %s |%n", round, parsed, reused, parsed / reused, load);
        }
    }

    /** CPU ms per document. */
    private static double write(Path font, boolean reuse, int documents) throws Exception {
        var cpu = ManagementFactory.getThreadMXBean();
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < documents; i++) {
            try (PDDocument document = new PDDocument()) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                PdfText text = PdfText.load(document, font);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    for (int line = 0; line < 12; line++) {
                        text.show(content, "机动车驾驶证 持证人" + i + " 北京市东城区某路" + line + "号 C1 2010-03-15", 12, 50,
                                700 - 18 * line);
                    }
                }
                document.save(new ByteArrayOutputStream());
                if (reuse) {
                    text.close();
                }
            }
        }
        return (cpu.getCurrentThreadCpuTime() - start) / 1e6 / documents;
    }
}
