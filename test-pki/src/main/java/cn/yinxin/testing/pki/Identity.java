package cn.yinxin.testing.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A named key holder of the test PKI: its private key and its chain, leaf first, up to and including its root.
 *
 * @param status what it was made to be; the PKI's revocations may change since ({@link TestPki#revoke})
 */
public record Identity(String name, Status status, PrivateKey privateKey, List<X509Certificate> chain) {

    public Identity {
        chain = List.copyOf(chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The certificate that signed this one (the identity's own for a root). */
    public X509Certificate issuer() {
        return chain.size() > 1 ? chain.get(1) : chain.get(0);
    }
}
