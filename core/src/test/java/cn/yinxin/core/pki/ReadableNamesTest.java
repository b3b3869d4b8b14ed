package cn.yinxin.core.pki;

import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificate names as a clerk reads them in a report: the JDK's RFC 2253 form printed every attribute it has no
 * keyword for as hex, so a Spanish citizen's certificate read "2.5.4.5=#1309393939393939393053,2.5.4.4=#0c08...".
 */
class ReadableNamesTest {

    @Test
    void everyAttributeByItsNameAndEveryTextAsTextMostSpecificFirst() throws Exception {
        var name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "ES")
                .addRDN(BCStyle.ORGANIZATION_IDENTIFIER, "VATES-A01337260").addRDN(BCStyle.DN_QUALIFIER, "-dni 99999999S")
                .addRDN(BCStyle.GIVENNAME, "CIUDADANO").addRDN(BCStyle.SURNAME, "FICTICIO")
                .addRDN(BCStyle.SERIALNUMBER, "99999999S").addRDN(BCStyle.CN, "Ficticio, Ciudadano").build();
        X500Principal principal = new X500Principal(name.getEncoded());
        assertThat(principal.getName()).as("the JDK's own form").contains("2.5.4.5=#13");
        assertThat(ReadableNames.of(principal)).isEqualTo("CN=Ficticio\\, Ciudadano,SERIALNUMBER=99999999S,"
                + "SURNAME=FICTICIO,GIVENNAME=CIUDADANO,DN=-dni 99999999S,organizationIdentifier=VATES-A01337260,C=ES");
    }

    @Test
    void namesTheJdkKnowsReadAsTheyDid() {
        X500Principal principal = new X500Principal("CN=示例市行政审批服务局行政审批专用章,OU=审批科,L=郑州,O=示例市行政审批服务局,C=CN");
        assertThat(ReadableNames.of(principal)).isEqualTo(principal.getName());
    }

    @Test
    void aForeignSignersNameInTheReportIsText() throws Exception {
        Path corpus = Path.of("/work/shared/corpus/foreign-pdf");
        for (Path candidate : List.of(Path.of("..", "..", "shared", "corpus", "foreign-pdf"),
                Path.of("..", "shared", "corpus", "foreign-pdf"))) {
            if (Files.isDirectory(candidate)) {
                corpus = candidate;
            }
        }
        VerificationReport report = new PdfVerifier(List.of()).verify(Files.readAllBytes(corpus.resolve("DSS-1983.pdf")));
        String subject = report.signatures().get(0).signer().subject();
        assertThat(subject).contains("CN=CIUDADANO FICTICIO ACTIVO,", "SERIALNUMBER=99999990S",
                "SURNAME=FICTICIO", "GIVENNAME=CIUDADANO").doesNotContain("=#");
        assertThat(report.signatures().get(1).signer().subject()).contains("organizationIdentifier=VATES-A01337260")
                .doesNotContain("=#");
    }
}
