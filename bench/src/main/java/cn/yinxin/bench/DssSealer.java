package cn.yinxin.bench;

import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.SignatureValue;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.pades.PAdESSignatureParameters;
import eu.europa.esig.dss.pades.SignatureFieldParameters;
import eu.europa.esig.dss.pades.SignatureImageParameters;
import eu.europa.esig.dss.pades.signature.PAdESService;
import eu.europa.esig.dss.service.tsp.OnlineTSPSource;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.token.DSSPrivateKeyEntry;
import eu.europa.esig.dss.token.Pkcs12SignatureToken;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;

/** The reference: EU DSS signing PAdES B-B or B-T (with a TSA) and a visible image, from the same PKCS#12 file. */
final class DssSealer {

    private static final float MM = 72 / 25.4f;

    private final Pkcs12SignatureToken token;
    private final DSSPrivateKeyEntry key;
    private final PAdESService service = new PAdESService(new CommonCertificateVerifier());
    private final byte[] image;
    private final SignatureLevel level;

    /**
     * @param image  the seal image, or null for an invisible signature (DSS's fastest case)
     * @param tsaUrl null for B-B; the TSA for B-T
     */
    DssSealer(Path p12, String password, byte[] image, String tsaUrl) throws IOException {
        this.token = new Pkcs12SignatureToken(p12.toFile(), new KeyStore.PasswordProtection(password.toCharArray()));
        this.key = token.getKeys().get(0);
        this.image = image;
        this.level = tsaUrl == null ? SignatureLevel.PAdES_BASELINE_B : SignatureLevel.PAdES_BASELINE_T;
        if (tsaUrl != null) {
            service.setTspSource(new OnlineTSPSource(tsaUrl));
        }
    }

    byte[] seal(byte[] pdf) throws IOException {
        PAdESSignatureParameters parameters = new PAdESSignatureParameters();
        parameters.setSignatureLevel(level);
        parameters.setDigestAlgorithm(DigestAlgorithm.SHA256);
        parameters.setSigningCertificate(key.getCertificate());
        parameters.setCertificateChain(key.getCertificateChain());
        if (image != null) {
            parameters.setImageParameters(look());
        }

        DSSDocument document = new InMemoryDocument(pdf);
        ToBeSigned toBeSigned = service.getDataToSign(document, parameters);
        SignatureValue value = token.sign(toBeSigned, parameters.getDigestAlgorithm(), key);
        try (var in = service.signDocument(document, parameters, value).openStream()) {
            return in.readAllBytes();
        }
    }

    private SignatureImageParameters look() {
        SignatureImageParameters look = new SignatureImageParameters();
        look.setImage(new InMemoryDocument(image));
        SignatureFieldParameters field = new SignatureFieldParameters();
        field.setPage(1);
        field.setOriginX((150 - 21) * MM);
        field.setOriginY((230 - 21) * MM);
        field.setWidth(42 * MM);
        field.setHeight(42 * MM);
        look.setFieldParameters(field);
        return look;
    }
}
