package cn.yinxin.testing;

import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.validation.reports.Reports;

import java.security.cert.X509Certificate;

/** EU DSS, offline, trusting one root: the outside judge of our PAdES output. */
public final class DssJudge {

    public record Verdict(SignatureLevel level, boolean intact, boolean signatureValid, String indication,
                   String subIndication) {
    }

    /** Offline: no revocation data is fetched. */
    public static Verdict validate(byte[] pdf, X509Certificate trustedRoot) {
        return validate(pdf, trustedRoot, offline());
    }

    private static CommonCertificateVerifier offline() {
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        verifier.setAIASource(null);
        verifier.setOcspSource(null);
        verifier.setCrlSource(null);
        return verifier;
    }

    /** Online: DSS fetches OCSP responses and CRLs from the addresses in the certificates. */
    public static Verdict validateOnline(byte[] pdf, X509Certificate trustedRoot) {
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        verifier.setAIASource(null);
        verifier.setOcspSource(new eu.europa.esig.dss.service.ocsp.OnlineOCSPSource());
        verifier.setCrlSource(new eu.europa.esig.dss.service.crl.OnlineCRLSource());
        return validate(pdf, trustedRoot, verifier);
    }

    /** Every signature of the document, offline. */
    public static java.util.List<Verdict> validateAll(byte[] pdf, X509Certificate trustedRoot) {
        return validateAll(pdf, trustedRoot, offline());
    }

    /** Every signature of the document, with OCSP responses and CRLs fetched from the certificates' addresses. */
    public static java.util.List<Verdict> validateAllOnline(byte[] pdf, X509Certificate trustedRoot) {
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        verifier.setAIASource(null);
        verifier.setOcspSource(new eu.europa.esig.dss.service.ocsp.OnlineOCSPSource());
        verifier.setCrlSource(new eu.europa.esig.dss.service.crl.OnlineCRLSource());
        return validateAll(pdf, trustedRoot, verifier);
    }

    private static java.util.List<Verdict> validateAll(byte[] pdf, X509Certificate trustedRoot,
                                                       CommonCertificateVerifier verifier) {
        Reports reports = reports(pdf, trustedRoot, verifier);
        var simple = reports.getSimpleReport();
        return simple.getSignatureIdList().stream().map(id -> {
            var signature = reports.getDiagnosticData().getSignatureById(id);
            return new Verdict(simple.getSignatureFormat(id), signature.isSignatureIntact(), signature.isSignatureValid(),
                    String.valueOf(simple.getIndication(id)), String.valueOf(simple.getSubIndication(id)));
        }).toList();
    }

    private static Verdict validate(byte[] pdf, X509Certificate trustedRoot, CommonCertificateVerifier verifier) {
        Reports reports = reports(pdf, trustedRoot, verifier);
        var simple = reports.getSimpleReport();
        String id = simple.getFirstSignatureId();
        var signature = reports.getDiagnosticData().getSignatureById(id);
        return new Verdict(simple.getSignatureFormat(id), signature.isSignatureIntact(), signature.isSignatureValid(),
                String.valueOf(simple.getIndication(id)), String.valueOf(simple.getSubIndication(id)));
    }

    private static Reports reports(byte[] pdf, X509Certificate trustedRoot, CommonCertificateVerifier verifier) {
        CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
        trusted.addCertificate(new CertificateToken(trustedRoot));
        verifier.setTrustedCertSources(trusted);
        SignedDocumentValidator validator = SignedDocumentValidator.fromDocument(new InMemoryDocument(pdf));
        validator.setCertificateVerifier(verifier);
        return validator.validateDocument();
    }

    private DssJudge() {
    }
}
