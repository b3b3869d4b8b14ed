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
import java.util.ArrayList;
import java.util.List;

/**
 * The text of a one-page licence-like PDF (12 lines of Chinese and Latin text, fonts embedded as subsets), written
 * with {@link PdfText} in three ways in alternating rounds of the same run: the PdfText left open, so every document
 * parses the CJK font again (as every licence did before); closed after the save, so the next document reuses the
 * parsed fonts; and {@link PdfText#forText}, the text told in advance so the fonts are cut to its glyphs before PDFBox
 * embeds them (what licences do now). CPU time and allocation of the writing thread per document (issue 19,
 * licence issuance), and the size of the document.
 *
 * <pre>java -cp bench/target/bench.jar cn.yinxin.bench.PdfTextBenchmark [--rounds N] [--documents N]</pre>
 */
public final class PdfTextBenchmark {

    private enum Way { PARSED, REUSED, KNOWN_TEXT }

    private record Cost(double cpuMs, double allocatedMb, int bytes) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(Runs.option(args, "--rounds", "4"));
        int documents = Integer.parseInt(Runs.option(args, "--documents", "100"));
        Path font = PdfText.defaultCjkFont();
        for (Way way : Way.values()) {
            write(font, way, documents);   // warm-up
        }
        System.out.println("| round | fonts parsed per document: CPU ms, MB allocated | fonts reused | text told in advance "
                + "| reused / told, CPU | document bytes (reused / told) | load (1 min) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int round = 1; round <= rounds; round++) {
            String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            Cost parsed = write(font, Way.PARSED, documents);
            Cost reused = write(font, Way.REUSED, documents);
            Cost known = write(font, Way.KNOWN_TEXT, documents);
            System.out.printf("| %d | %.2f, %.1f | %.2f, %.1f | %.2f, %.1f | %.2f | %d / %d | %s |%n", round, parsed.cpuMs,
                    parsed.allocatedMb, reused.cpuMs, reused.allocatedMb, known.cpuMs, known.allocatedMb,
                    reused.cpuMs / known.cpuMs, reused.bytes, known.bytes, load);
        }
    }

    private static Cost write(Path font, Way way, int documents) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        int bytes = 0;
        for (int i = 0; i < documents; i++) {
            try (PDDocument document = new PDDocument()) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                List<String> lines = new ArrayList<>();
                for (int line = 0; line < 12; line++) {
                    lines.add("机动车驾驶证 持证人" + i + " 北京市东城区某路" + line + "号 C1 2010-03-15");
                }
                PdfText text = way == Way.KNOWN_TEXT ? PdfText.forText(document, font, lines) : PdfText.load(document, font);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    for (int line = 0; line < 12; line++) {
                        text.show(content, lines.get(line), 12, 50, 700 - 18 * line);
                    }
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                document.save(out);
                bytes = out.size();
                if (way != Way.PARSED) {
                    text.close();
                }
            }
        }
        return new Cost((threads.getCurrentThreadCpuTime() - start) / 1e6 / documents,
                (threads.getCurrentThreadAllocatedBytes() - allocated) / 1e6 / documents, bytes);
    }
}
