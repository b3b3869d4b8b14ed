package cn.yinxin.core.pki.keys;

import cn.yinxin.core.pki.Providers;

import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;

/** Content signers for certificates, CRLs, OCSP responses, time-stamps and CMS, for every key algorithm. */
public final class Signers {

    /** GB/T 35276 default signer ID; stated explicitly because older Bouncy Castle defaulted to empty. */
    public static final byte[] SM2_USER_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);

    private Signers() {
    }

    public static ContentSigner of(SealKey key) throws GeneralSecurityException {
        return of(key.privateKey(), key.certificate().getPublicKey(), key.provider());
    }

    /**
     * @param provider the key's own provider (PKCS#11) or null: then Bouncy Castle for software keys
     */
    public static ContentSigner of(PrivateKey privateKey, PublicKey publicKey, Provider provider)
            throws GeneralSecurityException {
        KeyAlgorithm algorithm = KeyAlgorithm.of(publicKey);
        Provider chosen = provider != null ? provider : Providers.forSigning(privateKey);
        if (algorithm == KeyAlgorithm.SM2) {
            return new Sm2ContentSigner(privateKey, chosen != null ? chosen : Providers.bouncyCastle());
        }
        JcaContentSignerBuilder builder = new JcaContentSignerBuilder(algorithm.signatureAlgorithm());
        if (chosen != null) {
            builder.setProvider(chosen);
        }
        try {
            return builder.build(privateKey);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with this key: " + e.getMessage(), e);
        }
    }
}
