package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.Providers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.SignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/**
 * What {@code JcaSimpleSignerInfoVerifierBuilder.build(certificate)} makes with Bouncy Castle as the provider (the
 * certificate associated, so Bouncy Castle still checks it against the signing time and, for a time-stamp, the
 * TSA's certificate reference), with three differences in how, not what: its two name tables are made once (building
 * the algorithm-name table for every signature and time-stamp was 1 % of a verification; both are only read once
 * built, safe to share); the certificate's key is the {@linkplain PublicKeys#kept kept key object} of the same
 * encoding; and an ECDSA signature over signed attributes is verified once ({@link EcdsaVerifier}: Bouncy Castle's
 * verifier checks a second, empty signature after each one, for PKCS#11 providers). Each signature is verified
 * every time.
 */
final class SignerVerifiers {

    private static final CMSSignatureAlgorithmNameGenerator NAMES = new DefaultCMSSignatureAlgorithmNameGenerator();
    private static final SignatureAlgorithmIdentifierFinder ALGORITHMS = new DefaultSignatureAlgorithmIdentifierFinder();

    private SignerVerifiers() {
    }

    static SignerInformationVerifier of(X509Certificate certificate) throws OperatorCreationException {
        return new SignerInformationVerifier(NAMES, ALGORITHMS, contentVerifiers(certificate),
                new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bouncyCastle()).build());
    }

    /** As {@code JcaContentVerifierProviderBuilder.build(certificate)}, with the kept key object. */
    static ContentVerifierProvider contentVerifiers(X509Certificate certificate) throws OperatorCreationException {
        X509CertificateHolder holder;
        try {
            holder = new JcaX509CertificateHolder(certificate);
        } catch (CertificateEncodingException e) {
            throw new OperatorCreationException("cannot process certificate: " + e.getMessage(), e);
        }
        return EcdsaVerifier.provider(PublicKeys.kept(certificate.getPublicKey()), holder);
    }
}
