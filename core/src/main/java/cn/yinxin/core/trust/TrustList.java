package cn.yinxin.core.trust;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.keys.Signers;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The published list of recognised CAs, as a JWS (RFC 7515, compact serialisation) signed by the trust-list
 * signer: header {alg, typ "yinxin-trust-list+json", x5c: signer chain}; payload the JSON below. ES256 for P-256,
 * RS256 for RSA, and for SM2 the private alg "SM3withSM2" (no JOSE algorithm is registered for it).
 *
 * <pre>
 * {"sequence":3,"issuedAt":"...","nextUpdate":"...",
 *  "cas":[{"name":"...","certificate":"base64 DER","sha256":"hex","trustedFor":["AGENCY_SEALS"],
 *          "validFrom":"...","validUntil":"...","own":true}]}
 * </pre>
 */
public record TrustList(long sequence, Instant issuedAt, Instant nextUpdate, List<TrustedCa> cas) {

    public static final String TYPE = "yinxin-trust-list+json";

    /**
     * The CA certificates trusted at {@code when} for one of {@code purposes}; SEAL_MAKING never makes an anchor (it
     * names a maker, see {@link #sealMakers}).
     */
    public List<X509Certificate> anchors(Instant when, Set<TrustedCa.Purpose> purposes) {
        return cas.stream().filter(c -> c.validAt(when) && c.trustedFor().stream()
                        .filter(TrustedCa.Purpose.OF_A_CA::contains).anyMatch(purposes::contains))
                .map(TrustedCa::certificate).toList();
    }

    /**
     * The seal makers' certificates the list recognises at {@code when} (SEAL_MAKING entries that are not CA
     * certificates: a CA named for it would make every key it certified a seal maker).
     */
    public List<X509Certificate> sealMakers(Instant when) {
        return cas.stream().filter(c -> c.validAt(when) && c.trustedFor().contains(TrustedCa.Purpose.SEAL_MAKING)
                        && c.certificate().getBasicConstraints() < 0)
                .map(TrustedCa::certificate).toList();
    }

    /** Signs the list; the result is what the ca-service publishes. */
    public String sign(SealKey signer) throws GeneralSecurityException {
        KeyAlgorithm algorithm = KeyAlgorithm.of(signer.certificate().getPublicKey());
        List<String> x5c = new ArrayList<>();
        for (X509Certificate c : signer.chain()) {
            x5c.add(Base64.getEncoder().encodeToString(c.getEncoded()));
        }
        String header = Json.write(Map.of("alg", jwsAlgorithm(algorithm), "typ", TYPE, "x5c", x5c));
        String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload().getBytes(StandardCharsets.UTF_8));
        var contentSigner = Signers.of(signer);
        try {
            contentSigner.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        byte[] signature = contentSigner.getSignature();
        if (algorithm == KeyAlgorithm.EC_P256) {
            signature = derToJose(signature);
        }
        return input + "." + b64(signature);
    }

    /**
     * Checks a published list: the signature, that the signer's chain ends at one of {@code roots}, and that the
     * signer is the trust-list signer (its certificate carries {@link CertificateMaker#TRUST_LIST_SIGNING_PURPOSE}).
     *
     * @throws GeneralSecurityException when the list is not authentic
     */
    public static TrustList verify(String jws, Collection<X509Certificate> roots, Instant now)
            throws GeneralSecurityException {
        return verify(jws, roots, now, Set.of());
    }

    /**
     * The same, with the signer pinned: when {@code pinnedSigners} (SHA-256 of the signer certificates' DER, hex) is
     * not empty, only those certificates may sign, and a pinned one needs no key purpose (a key store made before
     * the purpose existed); when it is empty, the key purpose decides. Either way every other certificate under the
     * root (a seal, the TSA, an OCSP signer) is refused: chaining to the root says who certified a key, not what for.
     *
     * @throws GeneralSecurityException when the list is not authentic or not signed by the trust-list signer
     */
    public static TrustList verify(String jws, Collection<X509Certificate> roots, Instant now, Set<String> pinnedSigners)
            throws GeneralSecurityException {
        String[] parts = jws.trim().split("\\.");
        if (parts.length != 3) {
            throw new GeneralSecurityException("not a JWS in compact form");
        }
        Map<String, Object> header = Json.read(new String(unb64(parts[0]), StandardCharsets.UTF_8));
        if (!TYPE.equals(header.get("typ"))) {
            throw new GeneralSecurityException("not a Yinxin trust list (typ " + header.get("typ") + ")");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Object c : (List<?>) header.getOrDefault("x5c", List.of())) {
            chain.addAll(Pem.readCertificates(Base64.getDecoder().decode((String) c)));
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("the trust list names no signer");
        }
        X509Certificate signer = chain.get(0);
        chainsTo(signer, chain, roots, now);
        mayAnswerForTrustLists(signer, pinnedSigners);
        KeyAlgorithm algorithm = KeyAlgorithm.of(signer.getPublicKey());
        if (!jwsAlgorithm(algorithm).equals(header.get("alg"))) {
            throw new GeneralSecurityException("the header's alg does not fit the signer's key");
        }
        byte[] signature = unb64(parts[2]);
        Signature verifier = Signature.getInstance(algorithm.signatureAlgorithm(), Providers.bouncyCastle());
        if (algorithm == KeyAlgorithm.SM2) {
            verifier.setParameter(new SM2ParameterSpec(Signers.SM2_USER_ID));
        }
        verifier.initVerify(signer.getPublicKey());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        if (!verifier.verify(algorithm == KeyAlgorithm.EC_P256 ? joseToDer(signature) : signature)) {
            throw new GeneralSecurityException("the trust list's signature does not verify");
        }
        return parsePayload(new String(unb64(parts[1]), StandardCharsets.UTF_8));
    }

    private static void mayAnswerForTrustLists(X509Certificate signer, Set<String> pinnedSigners)
            throws GeneralSecurityException {
        String subject = signer.getSubjectX500Principal().getName();
        if (!pinnedSigners.isEmpty()) {
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(signer.getEncoded()));
            if (!pinnedSigners.contains(sha256)) {
                throw new GeneralSecurityException("the trust list is signed by " + subject + " (SHA-256 " + sha256
                        + "), which is not the pinned trust-list signer");
            }
            return;
        }
        if (!CertificateMaker.hasTrustListPurpose(signer)) {
            throw new GeneralSecurityException("the trust list is signed by " + subject + ", whose certificate is not "
                    + "for signing trust lists (no key purpose " + CertificateMaker.TRUST_LIST_SIGNING_PURPOSE + ")");
        }
    }

    private String payload() throws GeneralSecurityException {
        List<Object> entries = new ArrayList<>();
        for (TrustedCa ca : cas) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", ca.name());
            entry.put("certificate", Base64.getEncoder().encodeToString(ca.certificate().getEncoded()));
            entry.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.certificate().getEncoded())));
            entry.put("trustedFor", ca.trustedFor().stream().map(Enum::name).sorted().toList());
            entry.put("validFrom", ca.validFrom().toString());
            entry.put("validUntil", ca.validUntil().toString());
            entry.put("own", ca.own());
            entries.add(entry);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("sequence", sequence);
        payload.put("issuedAt", issuedAt.toString());
        payload.put("nextUpdate", nextUpdate.toString());
        payload.put("cas", entries);
        return Json.write(payload);
    }

    private static TrustList parsePayload(String json) throws GeneralSecurityException {
        Map<String, Object> payload = Json.read(json);
        List<TrustedCa> cas = new ArrayList<>();
        for (Object o : (List<?>) payload.get("cas")) {
            Map<?, ?> e = (Map<?, ?>) o;
            Set<TrustedCa.Purpose> purposes = EnumSet.noneOf(TrustedCa.Purpose.class);
            for (Object p : (List<?>) e.get("trustedFor")) {
                // a purpose this version does not know is trusted for nothing here (a newer CA's list still counts)
                Arrays.stream(TrustedCa.Purpose.values()).filter(known -> known.name().equals(p)).forEach(purposes::add);
            }
            cas.add(new TrustedCa((String) e.get("name"),
                    Pem.readCertificates(Base64.getDecoder().decode((String) e.get("certificate"))).get(0), purposes,
                    Instant.parse((String) e.get("validFrom")), Instant.parse((String) e.get("validUntil")),
                    Boolean.TRUE.equals(e.get("own"))));
        }
        return new TrustList(((Number) payload.get("sequence")).longValue(), Instant.parse((String) payload.get("issuedAt")),
                Instant.parse((String) payload.get("nextUpdate")), cas);
    }

    private static void chainsTo(X509Certificate signer, List<X509Certificate> chain, Collection<X509Certificate> roots,
                                 Instant now) throws GeneralSecurityException {
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(signer);
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(
                roots.stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toSet()), target);
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(now));
        parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
        try {
            CertPathBuilder.getInstance("PKIX", Providers.bouncyCastle()).build(parameters);
        } catch (Exception e) {
            throw new GeneralSecurityException("the trust list's signer does not chain to a trusted root: " + e.getMessage(), e);
        }
    }

    private static String jwsAlgorithm(KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case EC_P256 -> "ES256";
            case RSA_2048, RSA_3072 -> "RS256";
            case SM2 -> "SM3withSM2";
        };
    }

    private static byte[] derToJose(byte[] der) {
        ASN1Sequence seq = ASN1Sequence.getInstance(der);
        byte[] out = new byte[64];
        copyUnsigned(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue(), out, 0);
        copyUnsigned(ASN1Integer.getInstance(seq.getObjectAt(1)).getValue(), out, 32);
        return out;
    }

    private static void copyUnsigned(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 32 ? bytes.length - 32 : 0;
        int length = bytes.length - start;
        System.arraycopy(bytes, start, out, offset + 32 - length, length);
    }

    private static byte[] joseToDer(byte[] raw) throws GeneralSecurityException {
        if (raw.length != 64) {
            throw new GeneralSecurityException("an ES256 signature has 64 bytes");
        }
        try {
            return new DERSequence(new ASN1Encodable[] {
                new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, 32))),
                new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64)))}).getEncoded();
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String b64(byte[] data) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
    }

    private static byte[] unb64(String text) throws GeneralSecurityException {
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not base64url", e);
        }
    }
}
