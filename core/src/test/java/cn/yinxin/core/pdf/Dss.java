package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.report.Verdict;

import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;

import java.security.cert.X509Certificate;
import java.util.List;

/** EU DSS, offline, trusting one root (as test-support's DssJudge, which core's tests cannot depend on). */
public final class Dss {

    /**
     * @param intact the signed bytes are as signed (message digest)
     * @param valid  the signature value is valid
     */
    public record Verdict(String level, boolean intact, boolean valid, String indication, String subIndication) {

        /** What a B-B signature can be offline, without revocation data: intact and valid, only its chain unproven. */
        public boolean soundWithoutRevocation() {
            return intact && valid && !List.of("HASH_FAILURE", "SIG_CRYPTO_FAILURE", "FORMAT_FAILURE").contains(subIndication);
        }
    }

    /** Every signature of the document, in DSS's order. */
    public static List<Verdict> validate(byte[] pdf, X509Certificate trustedRoot) {
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        verifier.setAIASource(null);
        verifier.setOcspSource(null);
        verifier.setCrlSource(null);
        CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
        trusted.addCertificate(new CertificateToken(trustedRoot));
        verifier.setTrustedCertSources(trusted);
        SignedDocumentValidator validator = SignedDocumentValidator.fromDocument(new InMemoryDocument(pdf));
        validator.setCertificateVerifier(verifier);
        var reports = validator.validateDocument();
        var simple = reports.getSimpleReport();
        return simple.getSignatureIdList().stream().map(id -> {
            var signature = reports.getDiagnosticData().getSignatureById(id);
            return new Verdict(simple.getSignatureFormat(id).name(), signature.isSignatureIntact(),
                    signature.isSignatureValid(), String.valueOf(simple.getIndication(id)),
                    String.valueOf(simple.getSubIndication(id)));
        }).toList();
    }

    private Dss() {
    }
}
