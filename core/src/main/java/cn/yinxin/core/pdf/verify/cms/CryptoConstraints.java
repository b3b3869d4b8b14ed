package cn.yinxin.core.pdf.verify.cms;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.security.PublicKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

/**
 * Algorithms and key sizes a signature may no longer rest on (ETSI TS 119 312; EU DSS's default policy): a
 * signature made with them proves nothing against a forger who can find collisions or factor the key, however
 * intact it looks. Such a signature is INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE: not broken, not confirmed.
 */
final class CryptoConstraints {

    /** Digest algorithms (alone, or inside a signature algorithm identifier) with known collisions. */
    private static final Map<String, String> WEAK = Map.ofEntries(
            Map.entry(PKCSObjectIdentifiers.md2.getId(), "MD2"),
            Map.entry(PKCSObjectIdentifiers.md4.getId(), "MD4"),
            Map.entry(PKCSObjectIdentifiers.md5.getId(), "MD5"),
            Map.entry(OIWObjectIdentifiers.idSHA1.getId(), "SHA-1"),
            Map.entry(PKCSObjectIdentifiers.md2WithRSAEncryption.getId(), "MD2 with RSA"),
            Map.entry(PKCSObjectIdentifiers.md4WithRSAEncryption.getId(), "MD4 with RSA"),
            Map.entry(PKCSObjectIdentifiers.md5WithRSAEncryption.getId(), "MD5 with RSA"),
            Map.entry(PKCSObjectIdentifiers.sha1WithRSAEncryption.getId(), "SHA-1 with RSA"),
            Map.entry(OIWObjectIdentifiers.sha1WithRSA.getId(), "SHA-1 with RSA"),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA1.getId(), "SHA-1 with ECDSA"),
            Map.entry(X9ObjectIdentifiers.id_dsa_with_sha1.getId(), "SHA-1 with DSA"));

    static final int MIN_RSA_BITS = 2048;
    static final int MIN_DSA_BITS = 2048;
    static final int MIN_EC_BITS = 250;

    private CryptoConstraints() {
    }

    /**
     * Why the signature cannot be relied on, or null when its algorithms and key are strong enough.
     *
     * @param digest    the SignerInfo's digest algorithm
     * @param signature the SignerInfo's signature algorithm
     * @param sha1OfDocument an adbe.pkcs7.sha1 signature: what is signed is the document's SHA-1 digest
     */
    static String weakness(ASN1ObjectIdentifier digest, ASN1ObjectIdentifier signature, PublicKey key,
                           boolean sha1OfDocument) {
        if (sha1OfDocument) {
            return "The signature signs the document's SHA-1 digest (adbe.pkcs7.sha1): SHA-1 is broken (collisions "
                    + "can be made), so another document could share this signature.";
        }
        String weak = WEAK.get(digest.getId());
        if (weak == null) {
            weak = WEAK.get(signature.getId());
        }
        if (weak != null) {
            return "The signature is made with " + weak + ", an algorithm no longer trusted (collisions can be "
                    + "made), so another document could share this signature.";
        }
        int bits = bits(key);
        int minimum = key instanceof RSAPublicKey ? MIN_RSA_BITS : key instanceof DSAPublicKey ? MIN_DSA_BITS
                : key instanceof ECPublicKey ? MIN_EC_BITS : 0;
        if (bits > 0 && bits < minimum) {
            return "The signer's " + key.getAlgorithm() + " key has " + bits + " bits, fewer than the " + minimum
                    + " a signature needs today: it may have been broken.";
        }
        return null;
    }

    private static int bits(PublicKey key) {
        return switch (key) {
            case RSAPublicKey rsa -> rsa.getModulus().bitLength();
            case DSAPublicKey dsa -> dsa.getParams() == null ? 0 : dsa.getParams().getP().bitLength();
            case ECPublicKey ec -> ec.getParams().getCurve().getField().getFieldSize();
            default -> 0;
        };
    }
}
