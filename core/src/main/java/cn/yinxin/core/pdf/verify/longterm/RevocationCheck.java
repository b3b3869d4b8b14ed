package cn.yinxin.core.pdf.verify.longterm;

import cn.yinxin.core.pki.ReadableNames;
import cn.yinxin.core.pdf.verify.cms.CertificateSignatures;
import cn.yinxin.core.pdf.verify.cms.Certificates;
import cn.yinxin.core.pdf.verify.cms.EcdsaVerifier;
import cn.yinxin.core.pdf.verify.cms.PublicKeys;

import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.revocation.RevocationSource;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The revocation status of each certificate of a signer's chain (below the trusted root) at the signature's
 * best-signature-time: from the validation data the document carries (DSS dictionary) when issued after that time
 * or within the {@link RevocationFreshness} window before it, and, when allowed and the document's data prove
 * nothing after that time, from the OCSP responder or CRL the certificate names. A REVOKED answer from any source
 * beats a GOOD one; otherwise the newest answer wins. OCSP answers must be signed by the issuer or by a responder it certified for OCSP signing; CRLs by the
 * issuer. A certificate that names no revocation service at all cannot be checked and says so.
 */
public final class RevocationCheck {

    public enum State { GOOD, REVOKED, UNKNOWN, UNAVAILABLE, NOT_CHECKABLE }

    /** What is known about one certificate, and from where. */
    public record Status(X509Certificate certificate, State state, Instant revokedAt, String reason, String source,
                  Instant issuedAt) {

        public String describe() {
            String who = "\"" + ReadableNames.of(certificate.getSubjectX500Principal()) + "\"";
            return switch (state) {
                case GOOD -> who + " was not revoked (" + source + ", issued " + issuedAt + ").";
                case REVOKED -> who + " was revoked on " + revokedAt + (reason == null ? "" : " (" + reason + ")")
                        + " (" + source + ", issued " + issuedAt + ").";
                case UNKNOWN -> who + " is unknown to its OCSP responder (" + source + ").";
                case UNAVAILABLE -> who + ": no revocation information could be obtained" + (source == null ? "" : " (" + source + ")") + ".";
                case NOT_CHECKABLE -> who + " names no OCSP responder and no CRL: its revocation cannot be checked.";
            };
        }
    }

    private final ValidationData embedded;
    private final RevocationSource online;
    private final RevocationFreshness freshness;
    /**
     * Whether an embedded OCSP answer is signed by a certificate's issuer (or a responder it certified), by answer
     * and issuer, for this document only: each status asked reads every embedded answer, and a chain's certificates,
     * a second signature's and its time-stamp's ask again about the same answers (a document with two B-LT seals
     * verified 8 OCSP signatures: the 4 answers about its certificates twice each). Each answer's signature is still
     * verified in every verification; answers fetched online are not kept.
     */
    private final Map<BasicOCSPResp, Map<X509Certificate, Boolean>> signedBy = new IdentityHashMap<>();

    /** @param online null: offline, only what the document carries */
    public RevocationCheck(ValidationData embedded, RevocationSource online, RevocationFreshness freshness) {
        this.embedded = embedded;
        this.online = online;
        this.freshness = freshness;
    }

    public RevocationCheck(ValidationData embedded, RevocationSource online) {
        this(embedded, online, RevocationFreshness.DEFAULT);
    }

    /** Online only, with no document: the verifier's check of a QR code's signer. */
    public RevocationCheck(RevocationSource online) {
        this(ValidationData.NONE, online);
    }

    /**
     * The status of every certificate of {@code chain} (signer first, trusted root last, not checked) at
     * {@code bestSignatureTime}: the time a verified time-stamp proves the signature existed, else the validation
     * time.
     */
    public List<Status> check(List<X509Certificate> chain, Instant bestSignatureTime) {
        List<Status> statuses = new ArrayList<>();
        for (int i = 0; i + 1 < chain.size(); i++) {
            statuses.add(status(chain.get(i), chain.get(i + 1), bestSignatureTime));
        }
        return statuses;
    }

    /** The status now (the system clock), asked online (nothing embedded): a QR code's signer, for the verifier. */
    public Status status(X509Certificate certificate, X509Certificate issuer) {
        return status(certificate, issuer, Instant.now());
    }

    /**
     * The status of {@code certificate} as it bears on a signature that existed at {@code bestSignatureTime}. Every
     * embedded answer about it is read. A REVOKED answer (other than a suspension) wins over any GOOD one, however
     * old: a revocation is final. Otherwise only answers issued after the best-signature-time prove anything, or,
     * offline, answers issued within the freshness window before it; the newest of those wins. When the embedded
     * answers prove nothing after that time, an online verifier asks the certificate's responder or CRL.
     */
    public Status status(X509Certificate certificate, X509Certificate issuer, Instant bestSignatureTime) {
        // OCSP and CRL times carry whole seconds; so is the time they are compared with
        Instant provenFrom = bestSignatureTime.truncatedTo(ChronoUnit.SECONDS);
        Instant freshFrom = provenFrom.minus(freshness.window());
        List<Status> answers = new ArrayList<>();
        for (BasicOCSPResp response : embedded.ocsps()) {
            Status found = fromOcsp(response, certificate, issuer, "embedded OCSP response", signedBy);
            if (found != null) {
                answers.add(found);
            }
        }
        for (X509CRL crl : embedded.crls()) {
            Status found = fromCrl(crl, certificate, issuer, "embedded CRL");
            if (found != null) {
                answers.add(found);
            }
        }
        Status revoked = earliestRevocation(answers);
        if (revoked != null) {
            return revoked;
        }
        List<Status> fresh = new ArrayList<>(answers.stream().filter(a -> !a.issuedAt().isBefore(freshFrom)).toList());
        List<Status> stale = answers.stream().filter(a -> a.issuedAt().isBefore(freshFrom)).toList();
        boolean proven = fresh.stream().anyMatch(a -> !a.issuedAt().isBefore(provenFrom));
        boolean named = certificate.getExtensionValue(Extension.authorityInfoAccess.getId()) != null
                || certificate.getExtensionValue(Extension.cRLDistributionPoints.getId()) != null;
        List<String> failures = new ArrayList<>();
        if (!proven && online != null && named) {
            Status asked = askOnline(certificate, issuer, failures);
            if (asked != null && asked.state() == State.REVOKED && !suspension(asked)) {
                return asked;
            }
            if (asked != null) {
                // the responder's or CA's current word: as fresh as anything can be had
                fresh.add(asked);
            }
        }
        if (!fresh.isEmpty()) {
            return newest(fresh);
        }
        if (!stale.isEmpty()) {
            Status newestStale = newest(stale);
            failures.addFirst("the document's newest " + newestStale.source() + " about it was issued on "
                    + newestStale.issuedAt() + ", before the time the signature is proven to exist (" + provenFrom
                    + "): it cannot show a revocation in between, and is not used");
            return new Status(certificate, State.UNAVAILABLE, null, null, String.join("; ", failures), null);
        }
        if (!named) {
            return new Status(certificate, State.NOT_CHECKABLE, null, null, null, null);
        }
        if (online == null) {
            return new Status(certificate, State.UNAVAILABLE, null, null, "offline, and the document carries none", null);
        }
        return new Status(certificate, State.UNAVAILABLE, null, null, String.join("; ", failures), null);
    }

    /** The OCSP responder's answer, else the CRL's, fetched now; null (and why, in {@code failures}) if none. */
    private Status askOnline(X509Certificate certificate, X509Certificate issuer, List<String> failures) {
        try {
            byte[] answer = online.ocsp(certificate, issuer);
            if (answer != null && new OCSPResp(answer).getResponseObject() instanceof BasicOCSPResp basic) {
                Status found = fromOcsp(basic, certificate, issuer, "OCSP response fetched now", new HashMap<>());
                if (found != null) {
                    return found;
                }
                failures.add("the OCSP answer is not about this certificate or not signed by its issuer");
            }
        } catch (Exception e) {
            failures.add(e.getMessage());
        }
        try {
            byte[] der = online.crl(certificate);
            if (der != null) {
                X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
                Status found = fromCrl(crl, certificate, issuer, "CRL fetched now");
                if (found != null) {
                    return found;
                }
                failures.add("the CRL is not signed by the certificate's issuer");
            }
        } catch (Exception e) {
            failures.add(e.getMessage());
        }
        return null;
    }

    /** The REVOKED answer with the earliest revocation time, suspensions left out (a later answer may lift one). */
    private static Status earliestRevocation(List<Status> answers) {
        return answers.stream().filter(a -> a.state() == State.REVOKED && !suspension(a))
                .min(Comparator.comparing(Status::revokedAt)).orElse(null);
    }

    /** The most recently issued answer; of two issued at once, the worse (REVOKED, then UNKNOWN, then GOOD). */
    private static Status newest(List<Status> answers) {
        return answers.stream().max(Comparator.comparing(Status::issuedAt)
                .thenComparing(a -> switch (a.state()) {
                    case REVOKED -> 2;
                    case UNKNOWN -> 1;
                    default -> 0;
                })).orElseThrow();
    }

    /** certificateHold (RFC 5280 5.3.1): a suspension the CA may lift, unlike every other reason. */
    private static boolean suspension(Status status) {
        return "certificateHold".equals(status.reason()) || "CERTIFICATE_HOLD".equals(status.reason());
    }

    /** @param signedBy what is known of answers' signatures, by answer and issuer (filled in here) */
    private static Status fromOcsp(BasicOCSPResp response, X509Certificate certificate, X509Certificate issuer,
                                   String source, Map<BasicOCSPResp, Map<X509Certificate, Boolean>> signedBy) {
        try {
            CertificateID wanted = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), certificate.getSerialNumber());
            for (SingleResp single : response.getResponses()) {
                CertificateID id = single.getCertID();
                boolean matches = id.getSerialNumber().equals(certificate.getSerialNumber())
                        && (id.getHashAlgOID().equals(wanted.getHashAlgOID()) ? id.equals(wanted)
                        : id.matchesIssuer(new JcaX509CertificateHolder(issuer), new JcaDigestCalculatorProviderBuilder().build()));
                if (!matches) {
                    continue;
                }
                if (!signedByIssuerOrDelegate(response, issuer, signedBy)) {
                    return null;
                }
                // when the responder knew the status (a pre-produced answer is signed later than that)
                Instant produced = single.getThisUpdate().toInstant();
                Object status = single.getCertStatus();
                if (status == null) {
                    return new Status(certificate, State.GOOD, null, null, source, produced);
                }
                if (status instanceof RevokedStatus revoked) {
                    String reason = revoked.hasRevocationReason() ? reasonName(revoked.getRevocationReason()) : null;
                    return new Status(certificate, State.REVOKED, revoked.getRevocationTime().toInstant(), reason,
                            source, produced);
                }
                return new Status(certificate, State.UNKNOWN, null, null, source, produced);
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    /** As {@link #signedByIssuerOrDelegate(BasicOCSPResp, X509Certificate)}, once per answer and issuer. */
    private static boolean signedByIssuerOrDelegate(BasicOCSPResp response, X509Certificate issuer,
                                                    Map<BasicOCSPResp, Map<X509Certificate, Boolean>> signedBy)
            throws Exception {
        Map<X509Certificate, Boolean> known = signedBy.computeIfAbsent(response, r -> new HashMap<>());
        Boolean signed = known.get(issuer);
        if (signed == null) {
            signed = signedByIssuerOrDelegate(response, issuer);
            known.put(issuer, signed);
        }
        return signed;
    }

    private static boolean signedByIssuerOrDelegate(BasicOCSPResp response, X509Certificate issuer) throws Exception {
        // the responder the answer names: the issuer itself (by name) is tried first only then; otherwise the
        // delegated responder's certificate it carries (saves one signature check per answer)
        var responderId = response.getResponderId().toASN1Primitive();
        boolean byIssuerName = responderId.getName() != null && X500Name.getInstance(
                issuer.getSubjectX500Principal().getEncoded()).equals(responderId.getName());
        if ((byIssuerName || response.getCerts().length == 0)
                && response.isSignatureValid(EcdsaVerifier.provider(PublicKeys.kept(issuer.getPublicKey())))) {
            return true;
        }
        for (X509CertificateHolder holder : response.getCerts()) {
            X509Certificate responder = Certificates.bouncyCastle(holder);
            // a delegated responder: certified by the same issuer, for OCSP signing, valid when it answered
            if (!responder.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                    || responder.getExtendedKeyUsage() == null
                    || !responder.getExtendedKeyUsage().contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                continue;
            }
            try {
                CertificateSignatures.verify(responder, issuer.getPublicKey());
                responder.checkValidity(response.getProducedAt());
            } catch (GeneralSecurityException e) {
                continue;
            }
            if (response.isSignatureValid(EcdsaVerifier.provider(PublicKeys.kept(responder.getPublicKey())))) {
                return true;
            }
        }
        // an answer by the issuer identified by key hash, carrying certificates nonetheless
        return !byIssuerName && response.getCerts().length > 0
                && response.isSignatureValid(EcdsaVerifier.provider(PublicKeys.kept(issuer.getPublicKey())));
    }

    private static Status fromCrl(X509CRL crl, X509Certificate certificate, X509Certificate issuer, String source) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return null;
        }
        try {
            crl.verify(PublicKeys.kept(issuer.getPublicKey()), Providers.bouncyCastle());
        } catch (GeneralSecurityException e) {
            return null;
        }
        Instant issued = crl.getThisUpdate().toInstant();
        X509CRLEntry entry = crl.getRevokedCertificate(certificate);
        if (entry == null) {
            return new Status(certificate, State.GOOD, null, null, source, issued);
        }
        String reason = entry.getRevocationReason() == null ? null : entry.getRevocationReason().name();
        return new Status(certificate, State.REVOKED, entry.getRevocationDate().toInstant(), reason, source, issued);
    }

    private static String reasonName(int code) {
        try {
            return CRLReason.lookup(code).toString().replace("CRLReason: ", "");
        } catch (RuntimeException e) {
            return "reason " + code;
        }
    }

}
