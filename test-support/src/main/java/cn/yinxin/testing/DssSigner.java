package cn.yinxin.testing;

import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.pades.PAdESSignatureParameters;
import eu.europa.esig.dss.pades.signature.PAdESService;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.token.Pkcs12SignatureToken;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;

/** EU DSS as another signer: documents signed by someone else's software, to stamp on top of. */
public final class DssSigner {

    private DssSigner() {
    }

    /** A PAdES-BASELINE-B signature by DSS with the first key of a PKCS#12 file. */
    public static byte[] sign(byte[] pdf, Path p12, String password) throws IOException {
        try (var token = new Pkcs12SignatureToken(p12.toFile(), new KeyStore.PasswordProtection(password.toCharArray()))) {
            var key = token.getKeys().get(0);
            PAdESSignatureParameters parameters = new PAdESSignatureParameters();
            parameters.setSignatureLevel(SignatureLevel.PAdES_BASELINE_B);
            parameters.setDigestAlgorithm(DigestAlgorithm.SHA256);
            parameters.setSigningCertificate(key.getCertificate());
            parameters.setCertificateChain(key.getCertificateChain());
            PAdESService service = new PAdESService(new CommonCertificateVerifier());
            DSSDocument document = new InMemoryDocument(pdf);
            var value = token.sign(service.getDataToSign(document, parameters), parameters.getDigestAlgorithm(), key);
            try (var in = service.signDocument(document, parameters, value).openStream()) {
                return in.readAllBytes();
            }
        }
    }
}
