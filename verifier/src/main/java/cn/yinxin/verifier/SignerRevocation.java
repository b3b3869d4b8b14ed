package cn.yinxin.verifier;

import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.RevocationSource;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the certificate that signed a QR code is revoked, asked online of the OCSP responder it names (else its
 * CRL). An answer counts only when signed by the certificate's issuer or by a responder the issuer certified for
 * OCSP signing. Answers are kept for a minute, so a queue of officers scanning codes of one seal asks once.
 * (core/pdf's RevocationCheck does the same for PDF signatures, with embedded data first; it is not public.)
 */
final class SignerRevocation {

    enum State { GOOD, REVOKED, UNKNOWN, UNAVAILABLE, NOT_CHECKABLE }

    record Status(State state, Instant revokedAt, String reason, String source, Instant producedAt) {
    }

    static final Duration KEEP = Duration.ofSeconds(60);

    private final RevocationSource online;
    private final Clock clock;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    private record Kept(Status status, Instant until) {
    }

    /** @param online null: the verifier is configured offline, nothing is asked */
    SignerRevocation(RevocationSource online, Clock clock) {
        this.online = online;
        this.clock = clock;
    }

    boolean online() {
        return online != null;
    }

    Status status(X509Certificate certificate, X509Certificate issuer) {
        boolean named = certificate.getExtensionValue(Extension.authorityInfoAccess.getId()) != null
                || certificate.getExtensionValue(Extension.cRLDistributionPoints.getId()) != null;
        if (!named) {
            return new Status(State.NOT_CHECKABLE, null, null, null, null);
        }
        if (online == null) {
            return new Status(State.UNAVAILABLE, null, null, "the verifier is configured offline", null);
        }
        String key = issuer.getSubjectX500Principal().getName() + "#" + certificate.getSerialNumber();
        Kept known = kept.get(key);
        Instant now = clock.instant();
        if (known != null && now.isBefore(known.until())) {
            return known.status();
        }
        Status status = ask(certificate, issuer);
        if (status.state() != State.UNAVAILABLE) {
            kept.put(key, new Kept(status, now.plus(KEEP)));
        }
        return status;
    }

    private Status ask(X509Certificate certificate, X509Certificate issuer) {
        List<String> failures = new ArrayList<>();
        try {
            byte[] answer = online.ocsp(certificate, issuer);
            if (answer != null && new OCSPResp(answer).getResponseObject() instanceof BasicOCSPResp basic) {
                Status found = fromOcsp(basic, certificate, issuer);
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
                X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509", Providers.bouncyCastle())
                        .generateCRL(new ByteArrayInputStream(der));
                Status found = fromCrl(crl, certificate, issuer);
                if (found != null) {
                    return found;
                }
                failures.add("the CRL is not signed by the certificate's issuer");
            }
        } catch (Exception e) {
            failures.add(e.getMessage());
        }
        return new Status(State.UNAVAILABLE, null, null, String.join("; ", failures), null);
    }

    private static Status fromOcsp(BasicOCSPResp response, X509Certificate certificate, X509Certificate issuer)
            throws Exception {
        var digests = new JcaDigestCalculatorProviderBuilder().build();
        for (SingleResp single : response.getResponses()) {
            CertificateID id = single.getCertID();
            if (!id.getSerialNumber().equals(certificate.getSerialNumber())
                    || !id.matchesIssuer(new JcaX509CertificateHolder(issuer), digests)) {
                continue;
            }
            if (!signedByIssuerOrDelegate(response, issuer)) {
                return null;
            }
            Instant produced = response.getProducedAt().toInstant();
            Object status = single.getCertStatus();
            if (status == null) {
                return new Status(State.GOOD, null, null, "OCSP", produced);
            }
            if (status instanceof RevokedStatus revoked) {
                String reason = revoked.hasRevocationReason()
                        ? reasonName(revoked.getRevocationReason()) : null;
                return new Status(State.REVOKED, revoked.getRevocationTime().toInstant(), reason, "OCSP", produced);
            }
            return new Status(State.UNKNOWN, null, null, "OCSP", produced);
        }
        return null;
    }

    private static boolean signedByIssuerOrDelegate(BasicOCSPResp response, X509Certificate issuer) throws Exception {
        var verifiers = new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle());
        if (response.isSignatureValid(verifiers.build(issuer.getPublicKey()))) {
            return true;
        }
        var converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder holder : response.getCerts()) {
            X509Certificate responder = converter.getCertificate(holder);
            if (!responder.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                    || responder.getExtendedKeyUsage() == null
                    || !responder.getExtendedKeyUsage().contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                continue;
            }
            try {
                responder.verify(issuer.getPublicKey(), Providers.bouncyCastle());
                responder.checkValidity(response.getProducedAt());
            } catch (GeneralSecurityException e) {
                continue;
            }
            if (response.isSignatureValid(verifiers.build(responder.getPublicKey()))) {
                return true;
            }
        }
        return false;
    }

    private static Status fromCrl(X509CRL crl, X509Certificate certificate, X509Certificate issuer) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return null;
        }
        try {
            crl.verify(issuer.getPublicKey(), Providers.bouncyCastle());
        } catch (GeneralSecurityException e) {
            return null;
        }
        X509CRLEntry entry = crl.getRevokedCertificate(certificate);
        Instant issued = crl.getThisUpdate().toInstant();
        if (entry == null) {
            return new Status(State.GOOD, null, null, "CRL", issued);
        }
        String reason = entry.getRevocationReason() == null ? null : entry.getRevocationReason().name();
        return new Status(State.REVOKED, entry.getRevocationDate().toInstant(), reason, "CRL", issued);
    }

    private static String reasonName(int code) {
        String text = CRLReason.lookup(code).toString();
        return text.startsWith("CRLReason: ") ? text.substring("CRLReason: ".length()) : text;
    }
}
