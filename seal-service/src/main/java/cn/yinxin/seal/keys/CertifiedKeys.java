package cn.yinxin.seal.keys;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.keys.KeyVault;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.keys.Signers;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * A new seal key, made in the key store and certified by the CA from a CSR that the key's handle signs (it may sit
 * in an HSM): what creating a seal and renewing one both need. The alias is fresh each time, so a key left by an
 * attempt that failed later never blocks the next one.
 */
@Component
public class CertifiedKeys {

    /** The key's alias in the key store, its handle with its chain, and what the CA answered. */
    public record Made(String alias, SealKey key, CaClient.Issued issued) {

        public X509Certificate certificate() {
            return key.certificate();
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SealKeys keys;
    private final CaClient ca;

    public CertifiedKeys(SealKeys keys, CaClient ca) {
        this.keys = keys;
        this.ca = ca;
    }

    /** Makes the key and has the CA certify it for the seal {@code name} of {@code agency} (USCC {@code agencyCode}). */
    public Made make(String sealId, KeyAlgorithm algorithm, String name, String agency, String agencyCode,
                     Integer validityDays) throws GeneralSecurityException {
        String alias = newAlias(sealId);
        CaClient.Issued[] issued = new CaClient.Issued[1];
        SealKey key = keys.create(alias, algorithm, made -> {
            issued[0] = ca.certify(csr(made, name, agency, agencyCode), name, agency, agencyCode, validityDays);
            return issued[0].chain();
        });
        return new Made(alias, key, issued[0]);
    }

    /** A fresh suffix: a key left by an attempt that failed later never blocks the next one. */
    private static String newAlias(String sealId) {
        return sealId + "-" + HexFormat.of().formatHex(RANDOM.generateSeed(4));
    }

    /** A PKCS#10 request signed by the new key's handle (it may sit in an HSM). */
    private static String csr(KeyVault.NewKey key, String name, String agency, String agencyCode)
            throws GeneralSecurityException {
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(
                    CertificateMaker.sealSubject(name, agency, agencyCode), key.publicKey());
            var csr = builder.build(Signers.of(key.handle(), key.publicKey(), key.provider()));
            StringWriter out = new StringWriter();
            try (var pem = new JcaPEMWriter(out)) {
                pem.writeObject(csr);
            }
            return out.toString();
        } catch (IOException e) {
            throw new GeneralSecurityException("the CSR cannot be written: " + e.getMessage(), e);
        }
    }
}
