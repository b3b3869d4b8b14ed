package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.pki.Providers;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Calendar;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PKCS#7 signature without signed attributes (adbe.pkcs7.detached; what {@code openssl cms -sign -noattr} and
 * older signing tools make): the signature value signs the digest of the bytes directly. It is a valid PDF
 * signature (ISO 32000-1 12.8.3.3), and a change of the bytes still breaks it.
 */
class Pkcs7WithoutSignedAttributesTest {

    @Test
    void aDirectSignatureOverTheByteRangeIsValidAndAChangeBreaksIt() throws Exception {
        TestMaterial material = new TestMaterial();
        byte[] signed = signDirectly(TestMaterial.onePagePdf(0), material);
        PdfVerifier verifier = new PdfVerifier(List.of(material.root));

        VerificationReport report = verifier.verify(signed);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        var signature = report.signatures().get(0);
        assertThat(signature.format()).isEqualTo("PKCS#7 (adbe.pkcs7.detached)");
        assertThat(signature.reasons()).anyMatch(r -> r.contains("no signed attributes"));

        byte[] changed = signed.clone();
        changed["%PDF-1.".length()] ^= 0x01; // the header's version digit: signed, and still a readable PDF
        VerificationReport broken = verifier.verify(changed);
        assertThat(broken.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(broken.signatures().get(0).subIndication()).isEqualTo(SubIndication.SIG_CRYPTO_FAILURE);
    }

    private static byte[] signDirectly(byte[] pdf, TestMaterial material) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf); SignatureOptions options = new SignatureOptions()) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED);
            signature.setSignDate(Calendar.getInstance());
            options.setPreferredSignatureSize(8192);
            document.addSignature(signature, options);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ExternalSigningSupport external = document.saveIncrementalForExternalSigning(out);
            byte[] content = external.getContent().readAllBytes();

            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bouncyCastle()).build())
                    .setDirectSignature(true)
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.bouncyCastle())
                            .build(material.sealKey.privateKey()), material.sealKey.certificate()));
            generator.addCertificates(new JcaCertStore(material.sealKey.chain()));
            external.setSignature(generator.generate(new CMSProcessableByteArray(content), false).getEncoded());
            return out.toByteArray();
        }
    }
}
