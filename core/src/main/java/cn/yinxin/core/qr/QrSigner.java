package cn.yinxin.core.qr;

import cn.yinxin.core.Zlib;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.Deflater;

/**
 * Makes the text of a signed QR code, after the EU Digital COVID Certificate pipeline (STANDARDS.md section 4):
 * claims -> CWT (CBOR map) -> COSE_Sign1 (ES256, protected header {1: -7, 4: kid}, tag 18) -> zlib when it makes
 * the message shorter -> Base45 -> prefix {@code YX1:}. The text uses only the QR code's alphanumeric characters.
 *
 * <p>The key signs through {@link Signature} ("SHA256withECDSA") and is never read: a PKCS#11 handle works.
 * The signature arrives as DER and is turned into COSE's raw r||s (64 bytes). Only P-256 keys: COSE has no
 * registered algorithm for SM2, and ES256 is what verifiers in the field support.
 */
public final class QrSigner {

    /** Our context identifier; not {@code HC1:}, which means an EU health certificate. */
    public static final String DEFAULT_PREFIX = "YX1:";

    /** Whether to zlib the COSE message before Base45 (the reader recognises zlib by its first byte, 0x78). */
    public enum Compression {
        NONE,
        ZLIB,
        /** zlib only when it makes the message shorter (compact integer-keyed CBOR rarely shrinks). */
        WHEN_SMALLER
    }

    private final PrivateKey key;
    private final Provider provider;
    private final String prefix;
    private final Compression compression;
    private final byte[] kid;
    private final byte[] protectedHeader;

    /** Signs with the seal key's own certificate, prefix {@code YX1:}, zlib when smaller. */
    public QrSigner(SealKey key) {
        this(key.privateKey(), key.certificate(), key.provider(), DEFAULT_PREFIX, Compression.WHEN_SMALLER);
    }

    /**
     * @param provider the provider that can use the key; null: Bouncy Castle for keys in memory, the key's own
     *                 provider (JCA's delayed selection) for hardware keys
     */
    public QrSigner(PrivateKey key, X509Certificate certificate, Provider provider, String prefix,
                    Compression compression) {
        this.key = Objects.requireNonNull(key, "key");
        if (!Es256.fits(certificate.getPublicKey())) {
            throw new IllegalArgumentException("signed QR codes use ES256: the certificate needs a P-256 key, not "
                    + certificate.getPublicKey().getAlgorithm());
        }
        if (prefix.isEmpty() || !prefix.chars().allMatch(c -> Base45.ALPHABET.indexOf(c) >= 0)) {
            throw new IllegalArgumentException("the prefix must use only QR alphanumeric characters: " + prefix);
        }
        this.provider = provider != null ? provider : Providers.forSigning(key);
        this.prefix = prefix;
        this.compression = Objects.requireNonNull(compression, "compression");
        this.kid = kid(certificate);
        this.protectedHeader = CoseSign1.protectedHeader(CoseSign1.ES256, kid);
    }

    /** COSE key id of a signer: the first 8 bytes of SHA-256 over its certificate (DER), as in the EU DCC. */
    public static byte[] kid(X509Certificate certificate) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()), 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the certificate cannot be encoded", e);
        }
    }

    public byte[] kid() {
        return kid.clone();
    }

    public String prefix() {
        return prefix;
    }

    /** The text to put into the QR code. */
    public String sign(CwtClaims claims) throws GeneralSecurityException {
        byte[] message = coseSign1(claims);
        byte[] packed = switch (compression) {
            case NONE -> message;
            case ZLIB -> Zlib.compress(message, Deflater.BEST_COMPRESSION);
            case WHEN_SMALLER -> {
                byte[] zipped = Zlib.compress(message, Deflater.BEST_COMPRESSION);
                yield zipped.length < message.length ? zipped : message;
            }
        };
        return prefix + Base45.encode(packed);
    }

    /** The tagged COSE_Sign1 message over the claims, before compression and Base45. */
    public byte[] coseSign1(CwtClaims claims) throws GeneralSecurityException {
        byte[] payload = Cbor.claims(claims).EncodeToBytes();
        Signature signature = provider == null ? Signature.getInstance(Es256.JCA) : Signature.getInstance(Es256.JCA, provider);
        signature.initSign(key);
        signature.update(CoseSign1.toBeSigned(protectedHeader, payload));
        return CoseSign1.encode(protectedHeader, payload, Es256.derToRaw(signature.sign()));
    }
}
