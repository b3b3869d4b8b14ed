package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.Providers;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultSignatureNameFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RawContentVerifier;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Set;

/**
 * Bouncy Castle's ECDSA content verifier without its second check. {@code JcaContentVerifierProviderBuilder} gives
 * a verifier that, after verifying the signature over what was written to it, verifies the same signature value
 * once more with a raw {@code NONEwithECDSA} instance that was given no data (in a {@code finally}, so that a
 * PKCS#11 provider's state is reset): a full ECDSA verification whose answer is thrown away, for every CMS
 * signature, time-stamp token and OCSP answer: half of the ECDSA work of a verification. Here the signature is verified
 * by the same Bouncy Castle algorithm (by the name its own operator helper gives the OID) with the same key, once.
 *
 * <p>A signature without signed attributes is checked by Bouncy Castle over the digest it computed
 * ({@link RawContentVerifier}): that goes to Bouncy Castle's own raw verifier as before.
 */
public final class EcdsaVerifier implements ContentVerifier, RawContentVerifier {

    /** The ECDSA signature algorithms (with SHA-2) this verifier takes. */
    static final Set<ASN1ObjectIdentifier> ALGORITHMS = Set.of(X9ObjectIdentifiers.ecdsa_with_SHA224,
            X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512);
    /** Where Bouncy Castle's operator helper takes a signature algorithm's JCA name from. */
    private static final DefaultSignatureNameFinder NAMES = new DefaultSignatureNameFinder();

    private final AlgorithmIdentifier algorithm;
    private final RawContentVerifier raw;
    private final Signature signature;
    private final OutputStream stream;

    /**
     * As {@code new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle()).build(key)} (used for
     * CMS signatures, time-stamp tokens and OCSP answers), its ECDSA verifiers verifying once.
     */
    public static ContentVerifierProvider provider(PublicKey key) throws OperatorCreationException {
        return provider(key, null);
    }

    /** As {@link #provider(PublicKey)}, telling Bouncy Castle the {@code certificate} (null: none) the key is from. */
    static ContentVerifierProvider provider(PublicKey key, X509CertificateHolder certificate)
            throws OperatorCreationException {
        ContentVerifierProvider bouncyCastle = new JcaContentVerifierProviderBuilder()
                .setProvider(Providers.bouncyCastle()).build(key);
        return new ContentVerifierProvider() {
            @Override
            public boolean hasAssociatedCertificate() {
                return certificate != null;
            }

            @Override
            public X509CertificateHolder getAssociatedCertificate() {
                return certificate;
            }

            @Override
            public ContentVerifier get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
                ContentVerifier verifier = bouncyCastle.get(algorithm);
                return ALGORITHMS.contains(algorithm.getAlgorithm()) && verifier instanceof RawContentVerifier raw
                        ? new EcdsaVerifier(algorithm, raw, key) : verifier;
            }
        };
    }

    /** @param raw Bouncy Castle's verifier for {@code algorithm} and {@code key}, for the digest-only check */
    EcdsaVerifier(AlgorithmIdentifier algorithm, RawContentVerifier raw, PublicKey key)
            throws OperatorCreationException {
        this.algorithm = algorithm;
        this.raw = raw;
        try {
            signature = Signature.getInstance(NAMES.getAlgorithmName(algorithm), Providers.bouncyCastle());
            signature.initVerify(key);
        } catch (GeneralSecurityException e) {
            throw new OperatorCreationException("exception on setup: " + e, e);
        }
        stream = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int off, int len) throws IOException {
                try {
                    signature.update(bytes, off, len);
                } catch (SignatureException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
        };
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
    }

    @Override
    public OutputStream getOutputStream() {
        return stream;
    }

    /** As Bouncy Castle's verifier, without the second, empty check. */
    @Override
    public boolean verify(byte[] expected) {
        try {
            return signature.verify(expected);
        } catch (SignatureException e) {
            throw new RuntimeOperatorException("exception obtaining signature: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean verify(byte[] digest, byte[] expected) {
        return raw.verify(digest, expected);
    }
}
