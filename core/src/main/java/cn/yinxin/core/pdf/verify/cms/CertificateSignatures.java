package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.Providers;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which certificates' signatures verified under which keys, by the exact bytes of both: a delegated OCSP responder's
 * certificate comes with every document a CA's seals made that day, and checking its signature again for each one
 * is work with a known answer. Only successes are kept (a failure is checked again, and stays a failure); the
 * answer is a function of the two byte strings, so a kept one cannot be wrong for another document. Bounded.
 */
public final class CertificateSignatures {

    private static final int SIZE = 1024;
    private static final Map<String, Boolean> VERIFIED = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SIZE;
        }
    };

    private CertificateSignatures() {
    }

    /** Throws as {@link X509Certificate#verify(PublicKey, java.security.Provider)} does when it does not verify. */
    public static void verify(X509Certificate certificate, PublicKey key) throws GeneralSecurityException {
        String id = id(certificate, key);
        synchronized (VERIFIED) {
            if (VERIFIED.containsKey(id)) {
                return;
            }
        }
        certificate.verify(key, Providers.bouncyCastle());
        synchronized (VERIFIED) {
            VERIFIED.put(id, Boolean.TRUE);
        }
    }

    private static String id(X509Certificate certificate, PublicKey key) throws GeneralSecurityException {
        return ChainCache.fingerprint(certificate.getEncoded(), key.getEncoded());
    }
}
