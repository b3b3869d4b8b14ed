package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.Providers;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.Set;

/**
 * The digest of a signature's signed bytes (the whole document but its signature value): the JDK's own SHA-2, which
 * HotSpot runs on the processor's SHA instructions (150 KB: ~70 us against ~510 us with Bouncy Castle's Java code
 * here, a twentieth of a 100-page verification), and Bouncy Castle's for every other algorithm it knows (SM3). Both
 * compute the same standard function; only the speed differs.
 */
final class Digests {

    /** SHA-224, SHA-256, SHA-384, SHA-512 (NIST OIDs): the algorithms the JDK's SUN provider names by OID. */
    static final Set<String> SHA2 = Set.of("2.16.840.1.101.3.4.2.4", "2.16.840.1.101.3.4.2.1",
            "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3");

    private Digests() {
    }

    /** A new digest for the algorithm {@code oid}; NoSuchAlgorithmException when neither provider knows it. */
    static MessageDigest of(String oid) throws NoSuchAlgorithmException {
        Provider jdk = Security.getProvider("SUN");
        if (jdk != null && SHA2.contains(oid)) {
            try {
                return MessageDigest.getInstance(oid, jdk);
            } catch (NoSuchAlgorithmException e) {
                // a JDK without it: Bouncy Castle's below
            }
        }
        return MessageDigest.getInstance(oid, Providers.bouncyCastle());
    }
}
