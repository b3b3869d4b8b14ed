package cn.yinxin.core.pdf;

import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.validation.reports.Reports;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * EU DSS, offline, trusting one root: an outside opinion on the crafted documents (as test-support's DssJudge,
 * which core's tests cannot reach).
 */
final class DssOpinion {

    /**
     * What DSS concludes for one signature: its indication and sub-indication, as DSS names them; whether the
     * signed bytes are intact; and what its modification detection saw in later revisions: visual or page
     * differences, and object changes it cannot classify as signing, form filling, annotations or validation data.
     */
    record Opinion(String indication, String subIndication, boolean intact, boolean differencesSeen,
                   List<String> undefinedChanges, List<String> annotationChanges) {

        boolean passed() {
            return "TOTAL_PASSED".equals(indication);
        }
    }

    private DssOpinion() {
    }

    /** DSS's conclusion for every signature it finds, in the document's order; empty if it finds none. */
    static List<Opinion> of(byte[] pdf, X509Certificate root) {
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        verifier.setAIASource(null);
        verifier.setOcspSource(null);
        verifier.setCrlSource(null);
        CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
        trusted.addCertificate(new CertificateToken(root));
        verifier.setTrustedCertSources(trusted);
        SignedDocumentValidator validator = SignedDocumentValidator.fromDocument(new InMemoryDocument(pdf));
        validator.setCertificateVerifier(verifier);
        Reports reports = validator.validateDocument();
        var simple = reports.getSimpleReport();
        return simple.getSignatureIdList().stream().map(id -> {
            var signature = reports.getDiagnosticData().getSignatureById(id);
            return new Opinion(String.valueOf(simple.getIndication(id)), String.valueOf(simple.getSubIndication(id)),
                    signature.isSignatureIntact(), signature.arePdfModificationsDetected(),
                    names(signature.getPdfUndefinedChanges()), names(signature.getPdfAnnotationChanges()));
        }).toList();
    }

    private static List<String> names(List<eu.europa.esig.dss.diagnostic.jaxb.XmlObjectModification> modifications) {
        return modifications.stream().map(m -> m.getType() + " " + m.getAction()).toList();
    }

    /** A PAdES-BASELINE-B signature made by EU DSS (its own PDFBox-based writer) with {@code key}: another signing tool. */
    static byte[] sign(byte[] pdf, cn.yinxin.core.pki.keys.SealKey key) throws Exception {
        var parameters = new eu.europa.esig.dss.pades.PAdESSignatureParameters();
        parameters.setSignatureLevel(eu.europa.esig.dss.enumerations.SignatureLevel.PAdES_BASELINE_B);
        parameters.setDigestAlgorithm(eu.europa.esig.dss.enumerations.DigestAlgorithm.SHA256);
        parameters.setSigningCertificate(new CertificateToken(key.certificate()));
        parameters.setCertificateChain(key.chain().stream().map(CertificateToken::new).toList());
        var service = new eu.europa.esig.dss.pades.signature.PAdESService(new CommonCertificateVerifier());
        var document = new InMemoryDocument(pdf);
        var toBeSigned = service.getDataToSign(document, parameters);
        var jca = java.security.Signature.getInstance("SHA256withECDSA");
        jca.initSign(key.privateKey());
        jca.update(toBeSigned.getBytes());
        var value = new eu.europa.esig.dss.model.SignatureValue(
                eu.europa.esig.dss.enumerations.SignatureAlgorithm.ECDSA_SHA256, jca.sign());
        try (var in = service.signDocument(document, parameters, value).openStream()) {
            return in.readAllBytes();
        }
    }
}
