package cn.yinxin.core.qr;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.Providers;
import com.upokecenter.cbor.CBORException;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads and checks the text of a signed QR code made by {@link QrSigner} (or any EU DCC-style code with its own
 * prefix): prefix, Base45, zlib when present, COSE_Sign1, signature by a known signer, then the times.
 *
 * <p>Every refusal is a {@link RejectedException} with one of {@link Problem#QR_INVALID} (not our format, damaged,
 * unsupported algorithm, claims missing), {@link Problem#UNKNOWN_QR_SIGNER} (no certificate with the key id),
 * {@link Problem#QR_SIGNATURE_INVALID} (no candidate's key verifies, or the signer's certificate was not valid at
 * {@code iat}), {@link Problem#QR_NOT_YET_VALID} ({@code iat} or {@code nbf} in the future) and
 * {@link Problem#QR_EXPIRED} ({@code exp} reached). The signature is checked before the times: a forged code is
 * reported as forged, never as merely expired.
 *
 * <p>Which certificates count as signers is the caller's decision (a trust list); this class does not build chains.
 */
public final class QrVerifier {

    /** A QR code holds at most 4,296 alphanumeric characters; anything longer is not one of ours. */
    static final int MAX_TEXT = 4296;
    /** Inflated size limit: a signed QR payload is a few hundred bytes; stops a zlib bomb. */
    static final int MAX_INFLATED = 16 * 1024;

    /** The certificates that may have signed, by key id. Key ids can collide: return every candidate. */
    @FunctionalInterface
    public interface SignerDirectory {
        List<X509Certificate> candidates(byte[] kid);

        /**
         * A directory of the given certificates, each under its {@link QrSigner#kid(X509Certificate)}. Make it once
         * for a set of signers, not per code: it also keeps each certificate's validity period read.
         */
        static SignerDirectory of(Collection<X509Certificate> certificates) {
            return new Indexed(certificates);
        }
    }

    /** A certificate's validity period, as instants. */
    private record Validity(Instant notBefore, Instant notAfter) {

        static Validity of(X509Certificate certificate) {
            return new Validity(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        }
    }

    /**
     * Certificates by key id, with their validity periods read once (Bouncy Castle's certificates parse the
     * dates' text again on every getNotBefore/getNotAfter, with a SimpleDateFormat).
     */
    private static final class Indexed implements SignerDirectory {

        private final Map<String, List<X509Certificate>> byKid = new LinkedHashMap<>();
        private final Map<X509Certificate, Validity> validity = new IdentityHashMap<>();

        Indexed(Collection<X509Certificate> certificates) {
            for (X509Certificate certificate : certificates) {
                byKid.computeIfAbsent(HexFormat.of().formatHex(QrSigner.kid(certificate)), k -> new ArrayList<>())
                        .add(certificate);
                validity.put(certificate, Validity.of(certificate));
            }
        }

        @Override
        public List<X509Certificate> candidates(byte[] kid) {
            return byKid.getOrDefault(HexFormat.of().formatHex(kid), List.of());
        }

        Validity validity(X509Certificate certificate) {
            Validity known = validity.get(certificate);
            return known != null ? known : Validity.of(certificate);
        }
    }

    /** A code that passed: its claims, and the certificate whose key verified it. */
    public record Verified(CwtClaims claims, X509Certificate signer) {
    }

    private final String prefix;
    private final SignerDirectory signers;
    private final Clock clock;
    private final Duration skew;

    /** Prefix {@code YX1:}, no clock skew allowed. */
    public QrVerifier(Collection<X509Certificate> signers, Clock clock) {
        this(QrSigner.DEFAULT_PREFIX, SignerDirectory.of(signers), clock, Duration.ZERO);
    }

    /**
     * @param allowedSkew how far {@code iat}/{@code nbf} may lie ahead of this clock (the issuer's clock may run a
     *                    little fast); {@code exp} gets no grace
     */
    public QrVerifier(String prefix, SignerDirectory signers, Clock clock, Duration allowedSkew) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.signers = Objects.requireNonNull(signers, "signers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.skew = Objects.requireNonNull(allowedSkew, "allowedSkew");
    }

    /**
     * @throws RejectedException when the code is refused; its problem says why
     */
    public Verified verify(String text) {
        if (text == null || !text.startsWith(prefix)) {
            throw invalid("The text does not start with " + prefix + ": it is not a code of this kind.");
        }
        if (text.length() > MAX_TEXT) {
            throw invalid("The text is longer than any QR code holds.");
        }
        byte[] packed;
        try {
            packed = Base45.decode(text.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            throw invalid("The text after the prefix is not Base45: " + e.getMessage());
        }
        byte[] message = packed.length > 0 && packed[0] == 0x78 ? inflate(packed) : packed;
        return verifyToken(message);
    }

    /**
     * A signed token as it travels outside QR codes (a status list: a tagged COSE_Sign1 message, neither
     * compressed nor Base45), checked as a code is.
     *
     * @throws RejectedException when the token is refused; its problem says why
     */
    public Verified verifyToken(byte[] message) {
        return verifyToken(message, MAX_INFLATED);
    }

    /**
     * A signed token of at most {@code maxBytes}: a status list of millions of licences is a few hundred kilobytes,
     * far past the 16 KiB a code's payload may have, so its reader names its own limit.
     *
     * @throws RejectedException when the token is refused; its problem says why
     */
    public Verified verifyToken(byte[] message, int maxBytes) {
        if (message == null || message.length > maxBytes) {
            throw invalid(message == null ? "The token is missing." : "The token has " + message.length
                    + " bytes, more than the " + maxBytes + " allowed.");
        }
        CoseSign1 cose;
        int alg;
        byte[] kid;
        try {
            cose = CoseSign1.decode(message);
            CBORObject algorithm = cose.header(CoseSign1.HEADER_ALG, true);
            if (algorithm == null || !algorithm.isIntegral() || !algorithm.CanValueFitInInt32()) {
                throw invalid("The COSE message names no algorithm in its protected header.");
            }
            alg = algorithm.AsInt32Value();
            CBORObject keyId = cose.header(CoseSign1.HEADER_KID, false);
            if (keyId == null || keyId.getType() != CBORType.ByteString) {
                throw invalid("The COSE message names no key id.");
            }
            kid = keyId.GetByteString();
        } catch (CBORException | IllegalStateException | IllegalArgumentException e) {
            throw invalid("The code is not a COSE_Sign1 message: " + e.getMessage());
        }
        if (alg != CoseSign1.ES256) {
            throw invalid("The code is signed with COSE algorithm " + alg + "; only ES256 (-7) is accepted.");
        }

        List<X509Certificate> candidates = signers.candidates(kid);
        if (candidates == null || candidates.isEmpty()) {
            throw new RejectedException(Problem.UNKNOWN_QR_SIGNER,
                    "No known signer has key id " + HexFormat.of().formatHex(kid) + ".");
        }
        X509Certificate signer = verifiedBy(cose, candidates);
        if (signer == null) {
            throw new RejectedException(Problem.QR_SIGNATURE_INVALID, "The signature does not verify with the key of "
                    + (candidates.size() == 1 ? "the signer" : "any of the " + candidates.size() + " signers")
                    + " with key id " + HexFormat.of().formatHex(kid) + ".");
        }

        CwtClaims claims;
        try {
            claims = Cbor.claims(Cbor.decode(cose.payload));
        } catch (CBORException | IllegalStateException | IllegalArgumentException | NullPointerException e) {
            throw invalid("The signed payload is not a CWT claims map: " + e.getMessage());
        }
        checkTimes(claims, signer);
        return new Verified(claims, signer);
    }

    /**
     * One Bouncy Castle ES256 verifier per thread (the fastest ES256 check in this JVM: about 8 times the JDK's
     * SunEC on Temurin 25 here, see docs/benchmarks.md), reset by initVerify for every code.
     */
    private static final ThreadLocal<Signature> ES256 = ThreadLocal.withInitial(() -> {
        try {
            return Signature.getInstance(Es256.JCA_RAW, Providers.bouncyCastle());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle has no " + Es256.JCA_RAW, e);
        }
    });

    private static X509Certificate verifiedBy(CoseSign1 cose, List<X509Certificate> candidates) {
        if (!Es256.isRaw(cose.signature)) {
            return null;
        }
        byte[] toBeSigned = CoseSign1.toBeSigned(cose.protectedBytes, cose.payload);
        Signature verifier = ES256.get();
        for (X509Certificate candidate : candidates) {
            if (!Es256.fits(candidate.getPublicKey())) {
                continue;
            }
            try {
                verifier.initVerify(candidate.getPublicKey());
                verifier.update(toBeSigned);
                if (verifier.verify(cose.signature)) {
                    return candidate;
                }
            } catch (GeneralSecurityException e) {
                // this candidate's key cannot check it (or r or s is out of range): try the next
            }
        }
        return null;
    }

    private void checkTimes(CwtClaims claims, X509Certificate signer) {
        for (int key : new int[] {CwtClaims.IAT, CwtClaims.EXP, CwtClaims.NBF}) {
            if (claims.get(key) != null && claims.time(key) == null) {
                throw invalid("Claim " + key + " is not a time in whole seconds.");
            }
        }
        Instant issued = claims.issuedAt();
        if (issued == null) {
            throw invalid("The code carries no issue time (iat).");
        }
        Instant now = clock.instant();
        Instant latestAcceptable = now.plus(skew);
        if (issued.isAfter(latestAcceptable)) {
            throw new RejectedException(Problem.QR_NOT_YET_VALID, "The code says it was issued at " + issued
                    + ", after now (" + now + ").");
        }
        Instant notBefore = claims.notBefore();
        if (notBefore != null && notBefore.isAfter(latestAcceptable)) {
            throw new RejectedException(Problem.QR_NOT_YET_VALID, "The code is valid from " + notBefore + ".");
        }
        Instant expires = claims.expiresAt();
        if (expires != null && !now.isBefore(expires)) {
            throw new RejectedException(Problem.QR_EXPIRED, "The code expired at " + expires + ".");
        }
        Validity validity = signers instanceof Indexed indexed ? indexed.validity(signer) : Validity.of(signer);
        if (issued.isBefore(validity.notBefore()) || issued.isAfter(validity.notAfter())) {
            throw new RejectedException(Problem.QR_SIGNATURE_INVALID, "The code says it was issued at " + issued
                    + ", outside its signer's certificate validity (" + validity.notBefore() + " to "
                    + validity.notAfter() + ").");
        }
    }

    private static byte[] inflate(byte[] packed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(packed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(packed.length * 2);
            byte[] buffer = new byte[1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw invalid("The zlib data is truncated.");
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_INFLATED) {
                    throw invalid("The zlib data inflates to more than " + MAX_INFLATED + " bytes.");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw invalid("The zlib data is damaged: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static RejectedException invalid(String detail) {
        return new RejectedException(Problem.QR_INVALID, detail);
    }
}
