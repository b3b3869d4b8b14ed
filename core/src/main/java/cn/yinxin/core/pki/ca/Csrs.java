package cn.yinxin.core.pki.ca;

import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.Sm2Verification;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.io.StringReader;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Set;

/** Certificate signing requests (PKCS#10) from outside: parsed, proof of possession checked, key strength checked. */
public final class Csrs {

    private static final Set<String> SIGNATURE_ALGORITHMS = Set.of(
            "1.2.840.113549.1.1.11", // sha256WithRSAEncryption
            "1.2.840.113549.1.1.12", // sha384WithRSAEncryption
            "1.2.840.113549.1.1.13", // sha512WithRSAEncryption
            "1.2.840.10045.4.3.2",   // ecdsa-with-SHA256
            "1.2.840.10045.4.3.3",   // ecdsa-with-SHA384
            "1.2.156.10197.1.501");  // SM3withSM2

    private Csrs() {
    }

    /** The public key of a sound CSR in PEM; a clear refusal otherwise. */
    public static PublicKey publicKey(String pem) {
        PKCS10CertificationRequest csr;
        try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
            Object object = parser.readObject();
            if (!(object instanceof PKCS10CertificationRequest request)) {
                throw new RejectedException(Problem.BAD_CSR, "Send one PEM block 'CERTIFICATE REQUEST' (PKCS#10).");
            }
            csr = request;
        } catch (RejectedException e) {
            throw e;
        } catch (Exception e) {
            throw new RejectedException(Problem.BAD_CSR, "The CSR cannot be parsed: " + e.getMessage());
        }
        String algorithm = csr.getSignatureAlgorithm().getAlgorithm().getId();
        if (!SIGNATURE_ALGORITHMS.contains(algorithm)) {
            throw new RejectedException(Problem.UNSUPPORTED_ALGORITHM, "The CSR is signed with " + algorithm
                    + "; accepted are SHA-256/384/512 with RSA, ECDSA with SHA-256/384, and SM3withSM2.");
        }
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(csr).setProvider(Providers.bouncyCastle()).getPublicKey();
        } catch (Exception e) {
            throw new RejectedException(Problem.BAD_CSR, "The CSR's public key cannot be read: " + e.getMessage());
        }
        KeyAlgorithm keyAlgorithm;
        try {
            keyAlgorithm = KeyAlgorithm.of(key);
        } catch (IllegalArgumentException e) {
            throw new RejectedException(Problem.UNSUPPORTED_ALGORITHM, "Keys of type " + key.getAlgorithm()
                    + " on this curve are not accepted; use RSA (2048 bits or more), ECDSA P-256 or SM2.");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
            throw new RejectedException(Problem.WEAK_KEY, "The RSA key has " + rsa.getModulus().bitLength()
                    + " bits; at least 2048 are required.");
        }
        try {
            boolean signed = keyAlgorithm == KeyAlgorithm.SM2
                    ? Sm2Verification.verifies(csr, key)
                    : csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle())
                            .build(key));
            if (!signed) {
                throw new RejectedException(Problem.BAD_CSR,
                        "The CSR's signature does not match its key: the requester does not prove it holds the key.");
            }
        } catch (RejectedException e) {
            throw e;
        } catch (Exception e) {
            throw new RejectedException(Problem.BAD_CSR, "The CSR's signature cannot be checked: " + e.getMessage());
        }
        return key;
    }
}
