package cn.yinxin.core.pdf.verify.cms;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The certificate chains one verifier has built, by the exact bytes of the certificate and of the intermediates it
 * was built from. Every document of one seal chains the same way, and Bouncy Castle's PKIX path builder (signatures,
 * names, basic constraints, key usage, name constraints) was a twentieth of each verification. All it checks is a
 * function of those bytes and the trust anchors (fixed per verifier) except the validity dates, so a chain found once
 * is taken again only when each of its certificates is valid at the new validation time; otherwise the path is built
 * afresh. Bounded (least recently used out), safe for concurrent verifications.
 */
final class ChainCache {

    static final int DEFAULT_SIZE = 512;

    private final Map<String, List<X509Certificate>> chains;

    ChainCache(int size) {
        this.chains = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<X509Certificate>> eldest) {
                return size() > size;
            }
        };
    }

    /** The chain for {@code certificate} valid at {@code at}: a known one if all of it is valid then, else built. */
    List<X509Certificate> chain(X509Certificate certificate, List<X509Certificate> intermediates, Instant at,
                                Supplier<List<X509Certificate>> build) {
        String key = key(certificate, intermediates);
        List<X509Certificate> known;
        synchronized (chains) {
            known = key == null ? null : chains.get(key);
        }
        if (known != null && validAt(known, at)) {
            return known;
        }
        List<X509Certificate> built = build.get();
        if (built != null && key != null) {
            synchronized (chains) {
                chains.put(key, List.copyOf(built));
            }
        }
        return built;
    }

    private static boolean validAt(List<X509Certificate> chain, Instant at) {
        Date date = Date.from(at);
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity(date);
            } catch (CertificateException e) {
                return false;
            }
        }
        return true;
    }

    private static String key(X509Certificate certificate, List<X509Certificate> intermediates) {
        try {
            byte[][] parts = new byte[intermediates.size() + 1][];
            parts[0] = certificate.getEncoded();
            for (int i = 0; i < intermediates.size(); i++) {
                parts[i + 1] = intermediates.get(i).getEncoded();
            }
            return fingerprint(parts);
        } catch (CertificateEncodingException e) {
            return null; // not cached: built every time
        }
    }

    /** SHA-256 over the parts, each preceded by its length (so that no two lists of parts run together alike). */
    static String fingerprint(byte[]... parts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (byte[] bytes : parts) {
            digest.update((byte) (bytes.length >>> 24));
            digest.update((byte) (bytes.length >>> 16));
            digest.update((byte) (bytes.length >>> 8));
            digest.update((byte) bytes.length);
            digest.update(bytes);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
