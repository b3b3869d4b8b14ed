package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.Providers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One key object per elliptic-curve public key, by its exact encoding (SubjectPublicKeyInfo). Bouncy Castle keeps
 * the precomputed multiples of a point on the point object, and after a few verifications with the same object it
 * builds the fixed-point comb it uses for the curve's generator: a P-256 signature then verifies in ~52 us instead of
 * ~120-160 us with a new key object each time (certificates are read anew for every document, so were their keys).
 * A document carries four such signatures (its own, its time-stamp's, two OCSP answers), under keys that come back
 * with every document of the same CA and seal.
 *
 * <p>Only the key is kept, never whether anything verified under it: every signature is verified each time. The
 * kept key is the one the same bytes decode to, so it cannot be another document's key. Bounded.
 */
public final class PublicKeys {

    private static final int SIZE = 512;
    private static final Map<String, PublicKey> KEPT = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PublicKey> eldest) {
            return size() > SIZE;
        }
    };

    private PublicKeys() {
    }

    /**
     * The kept key object for {@code key} (the same encoding), kept now if it is the first; any key that is no
     * elliptic-curve key, or that cannot be read again the same, is given back as it is.
     */
    public static PublicKey kept(PublicKey key) {
        byte[] encoded = key instanceof ECPublicKey ? key.getEncoded() : null;
        if (encoded == null) {
            return key;
        }
        String id = new String(encoded, StandardCharsets.ISO_8859_1);
        synchronized (KEPT) {
            PublicKey known = KEPT.get(id);
            if (known != null) {
                return known;
            }
        }
        PublicKey decoded;
        try {
            decoded = KeyFactory.getInstance("EC", Providers.bouncyCastle())
                    .generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
        if (!Arrays.equals(decoded.getEncoded(), encoded)) {
            return key; // an encoding Bouncy Castle writes otherwise: nothing kept for it
        }
        synchronized (KEPT) {
            KEPT.putIfAbsent(id, decoded);
            return KEPT.get(id);
        }
    }
}
