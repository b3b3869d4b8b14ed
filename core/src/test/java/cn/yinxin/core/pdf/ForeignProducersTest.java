package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static cn.yinxin.core.pdf.ForeignProducers.*;

class ForeignProducersTest {

    static byte[] emptyAmount() throws Exception {
        try (var d = org.apache.pdfbox.Loader.loadPDF(PdfCrafting.formPdf(false))) {
            d.getDocumentCatalog().getAcroForm(null).getField("amount").setValue("");
            return TestMaterial.save(d);
        }
    }

    static byte[] qpdf(byte[] pdf) throws Exception {
        Path in = Files.createTempFile("foreign", ".pdf");
        Path out = Files.createTempFile("foreign", ".pdf");
        Files.write(in, pdf);
        Process process = new ProcessBuilder("qpdf", "--object-streams=generate", in.toString(), out.toString())
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor();
        return Files.readAllBytes(out);
    }

    @Test
    void survey() throws Exception {
        ForeignPki pki = new ForeignPki();
        byte[] plain = TestMaterial.onePagePdf(0);
        byte[] form = formWithEmptySignatureField();
        Map<String, Callable<byte[]>> docs = new LinkedHashMap<>();
        var k = pki.sealKey;
        var p = pki.personKey;
        docs.put("dss-bb", () -> dss(pki, plain, k, SignatureLevel.PAdES_BASELINE_B, x -> { }));
        docs.put("dss-bt", () -> dss(pki, plain, k, SignatureLevel.PAdES_BASELINE_T, x -> { }));
        docs.put("dss-bt-to-lt", () -> dssExtend(pki, dss(pki, plain, k, SignatureLevel.PAdES_BASELINE_T, x -> { }), SignatureLevel.PAdES_BASELINE_LT));
        docs.put("dss-bt-to-lta", () -> dssExtend(pki, dss(pki, plain, k, SignatureLevel.PAdES_BASELINE_T, x -> { }), SignatureLevel.PAdES_BASELINE_LTA));
        docs.put("dss-lta-direct", () -> dss(pki, plain, k, SignatureLevel.PAdES_BASELINE_LTA, x -> { }));
        docs.put("dss-visible", () -> dss(pki, plain, k, SignatureLevel.PAdES_BASELINE_B, visible(null, 300, 100)));
        docs.put("dss-field", () -> dss(pki, form, k, SignatureLevel.PAdES_BASELINE_B, visible("Approval", 0, 0)));
        docs.put("dss-two-signers", () -> dss(pki, dss(pki, plain, k, SignatureLevel.PAdES_BASELINE_T, x -> { }), p, SignatureLevel.PAdES_BASELINE_T, visible(null, 300, 300)));
        docs.put("dss-two-then-lta", () -> dssExtend(pki, dss(pki, dss(pki, plain, k, SignatureLevel.PAdES_BASELINE_T, x -> { }), p, SignatureLevel.PAdES_BASELINE_T, visible(null, 300, 300)), SignatureLevel.PAdES_BASELINE_LTA));
        docs.put("dss-doc-ts-after", () -> dssDocumentTimeStamp(pki, dss(pki, plain, k, SignatureLevel.PAdES_BASELINE_B, x -> { })));
        docs.put("openpdf-invisible", () -> openPdf(plain, k, false, null));
        docs.put("openpdf-visible", () -> openPdf(plain, k, true, null));
        docs.put("openpdf-field", () -> openPdf(form, k, false, "Approval"));
        docs.put("openpdf-two", () -> openPdf(openPdf(plain, k, true, null), p, false, null));
        docs.put("openpdf-over-dss", () -> openPdf(dss(pki, plain, k, SignatureLevel.PAdES_BASELINE_T, x -> { }), p, true, null));
        docs.put("dss-over-openpdf", () -> dss(pki, openPdf(plain, k, true, null), p, SignatureLevel.PAdES_BASELINE_T, visible(null, 300, 300)));
        docs.put("openpdf-then-dss-lta", () -> dssExtend(pki, openPdf(plain, k, true, null), SignatureLevel.PAdES_BASELINE_LTA));
        docs.put("pdfbox-field", () -> pdfBox(form, k, "Approval", 0));
        docs.put("pdfbox-new", () -> pdfBox(form, k, null, 0));
        docs.put("pdfbox-certify2-fill", () -> PdfCrafting.fill(pdfBox(form, k, null, 2), "250"));
        docs.put("pdfbox-certify2-fill-sign", () -> pdfBox(PdfCrafting.fill(pdfBox(form, k, null, 2), "250"), p, "Approval", 0));
        docs.put("pdfbox-certify3-comment", () -> comment(pdfBox(form, k, null, 3), "looks fine"));
        docs.put("pdfbox-approval-comment", () -> comment(pdfBox(form, k, null, 0), "looks fine"));
        docs.put("pdfbox-acrobat-dss", () -> acrobatDss(pki, pdfBox(form, k, null, 0), k));
        docs.put("pdfbox-acrobat-dss-then-sign", () -> pdfBox(acrobatDss(pki, pdfBox(form, k, null, 0), k), p, "Approval", 0));
        docs.put("dss-then-pdfbox-fill", () -> PdfCrafting.fill(dss(pki, form, k, SignatureLevel.PAdES_BASELINE_B, x -> { }), "250"));
        byte[] emptyForm = PdfCrafting.formPdf(false);
        docs.put("dss-emptyfield-then-fill", () -> PdfCrafting.fill(dss(pki, emptyAmount(), k, SignatureLevel.PAdES_BASELINE_B, x -> { }), "250"));
        docs.put("dss-certify2-fill-sign", () -> dss(pki, PdfCrafting.fill(dss(pki, form, k, SignatureLevel.PAdES_BASELINE_B, x -> x.setPermission(eu.europa.esig.dss.enumerations.CertificationPermission.MINIMAL_CHANGES_PERMITTED)), "250"), p, SignatureLevel.PAdES_BASELINE_B, visible("Approval", 0, 0)));
        docs.put("dss-certify3-comment", () -> comment(dss(pki, form, k, SignatureLevel.PAdES_BASELINE_B, x -> x.setPermission(eu.europa.esig.dss.enumerations.CertificationPermission.CHANGES_PERMITTED)), "ok"));
        docs.put("pdfbox-emptyfield-fill-then-lta", () -> dssExtend(pki, PdfCrafting.fill(pdfBox(emptyAmount(), k, null, 0), "250"), SignatureLevel.PAdES_BASELINE_LTA));
        docs.put("qpdf-rewrite", () -> qpdf(dss(pki, plain, k, SignatureLevel.PAdES_BASELINE_B, x -> { })));
        PdfVerifier verifier = new PdfVerifier(List.of(pki.root), pki.revocation());
        StringBuilder table = new StringBuilder();
        for (var entry : docs.entrySet()) {
            byte[] pdf;
            try {
                pdf = entry.getValue().call();
            } catch (Exception e) {
                table.append(entry.getKey()).append("\tMAKE FAILED ").append(e).append('\n');
                e.printStackTrace();
                continue;
            }
            Files.write(Path.of("/tmp/foreign/" + entry.getKey() + ".pdf"), pdf);
            VerificationReport report = verifier.verify(pdf);
            StringBuilder dss = new StringBuilder();
            try {
                var validator = SignedDocumentValidator.fromDocument(new InMemoryDocument(pdf));
                validator.setCertificateVerifier(pki.dssVerifier());
                var reports = validator.validateDocument();
                var simple = reports.getSimpleReport();
                for (String id : simple.getSignatureIdList()) {
                    var sig = reports.getDiagnosticData().getSignatureById(id);
                    dss.append(sig.getSignatureFieldNames()).append('=').append(simple.getIndication(id)).append('/')
                            .append(simple.getSubIndication(id)).append(' ').append(simple.getSignatureFormat(id))
                            .append(" mods=").append(sig.arePdfModificationsDetected()).append(' ')
                            .append(sig.getPdfUndefinedChanges().stream().map(m -> m.getType() + " " + m.getAction()).toList())
                            .append("; ");
                }
            } catch (Exception e) {
                dss.append("DSS FAILED ").append(e);
            }
            table.append(entry.getKey()).append("\tYX ").append(report.verdict()).append(' ');
            for (var s : report.signatures()) {
                table.append(s.field()).append('=').append(s.indication()).append('/').append(s.subIndication())
                        .append(s.changesAfterSigning().stream().filter(c -> !c.allowed()).map(c -> c.kind() + ":" + c.description()).toList())
                        .append("; ");
            }
            table.append("\n\tDSS ").append(dss).append('\n');
        }
        Files.writeString(Path.of("/tmp/foreign/survey.txt"), table);
        System.out.println(table);
    }
}
