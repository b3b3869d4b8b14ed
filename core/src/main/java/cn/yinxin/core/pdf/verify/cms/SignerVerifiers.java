package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.Providers;
import org.bouncycastle.cms.CMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.SignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.security.cert.X509Certificate;

/**
 * What {@code JcaSimpleSignerInfoVerifierBuilder.build(certificate)} makes with Bouncy Castle as the provider, with
 * its two name tables made once: building the algorithm-name table (a few hundred map entries) for every signature
 * and time-stamp was 1 % of a verification. Both tables are only read after they are built (safe to share); the
 * verifier of the certificate's key and the digests are made anew each time, as before.
 */
final class SignerVerifiers {

    private static final CMSSignatureAlgorithmNameGenerator NAMES = new DefaultCMSSignatureAlgorithmNameGenerator();
    private static final SignatureAlgorithmIdentifierFinder ALGORITHMS = new DefaultSignatureAlgorithmIdentifierFinder();

    private SignerVerifiers() {
    }

    static SignerInformationVerifier of(X509Certificate certificate) throws OperatorCreationException {
        return new SignerInformationVerifier(NAMES, ALGORITHMS,
                new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle()).build(certificate),
                new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bouncyCastle()).build());
    }
}
