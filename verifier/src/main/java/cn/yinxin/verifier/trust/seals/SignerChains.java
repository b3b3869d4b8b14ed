package cn.yinxin.verifier.trust.seals;

import cn.yinxin.core.licence.Uscc;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.qr.QrSigner;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which seals' certificates may sign QR codes: each certificate a seal has or had, chained (PKIX, without
 * revocation, which the QR check asks itself) to the verifier's trust anchors, and refused when it is not a seal's
 * certificate at all. Nothing here is fetched: the chains come from the seal service's listing, which confers no
 * trust.
 */
final class SignerChains {

    private final Clock clock;

    SignerChains(Clock clock) {
        this.clock = clock;
    }

    /** The trusted signers and the rejected certificates among {@code seals}, for these anchors. */
    Signers build(List<Seal> seals, List<X509Certificate> anchors) {
        List<Signer> trusted = new ArrayList<>();
        List<Signers.Rejected> rejected = new ArrayList<>();
        Set<TrustAnchor> trustAnchors = anchors.stream().map(a -> new TrustAnchor(a, null)).collect(Collectors.toSet());
        for (Seal seal : seals) {
            List<Seal.Earlier> chains = new ArrayList<>();
            chains.add(new Seal.Earlier(seal.chain(), null)); // the current one
            chains.addAll(seal.previous());
            for (Seal.Earlier one : chains) {
                judge(seal, one, trustAnchors, trusted, rejected);
            }
        }
        return new Signers(List.copyOf(trusted), List.copyOf(rejected));
    }

    /** One certificate of a seal: a signer, or rejected with the reason. */
    private void judge(Seal seal, Seal.Earlier one, Set<TrustAnchor> trustAnchors, List<Signer> trusted,
                       List<Signers.Rejected> rejected) {
        X509Certificate certificate = one.chain().get(0);
        Seal named = one.replacedAt() == null ? seal : seal.namedBy(certificate);
        String kid = HexFormat.of().formatHex(QrSigner.kid(certificate));
        if (trustAnchors.isEmpty()) {
            rejected.add(new Signers.Rejected(named, kid, "the verifier has no trust anchors"));
            return;
        }
        String notASeal = notASealCertificate(certificate);
        if (notASeal != null) {
            rejected.add(new Signers.Rejected(named, kid, notASeal));
            return;
        }
        try {
            X509Certificate issuer = issuer(certificate, one.chain(), trustAnchors);
            trusted.add(new Signer(named, certificate, issuer, kid, one.replacedAt()));
        } catch (Exception e) {
            rejected.add(new Signers.Rejected(named, kid, "its certificate does not chain to a trusted root ("
                    + e.getMessage() + ")"));
        }
    }

    /**
     * Why a certificate that may chain to a trust anchor is still no seal's (null: it may be one). The same roots
     * vouch for people's signing certificates, time-stamping and OCSP responders: a listing (plain HTTP) that passed
     * one of those off as a seal's would otherwise let its key sign codes for the seal. A seal certificate names its
     * agency by a valid Unified Social Credit Code (organizationIdentifier), which the codes' issuer must match.
     */
    static String notASealCertificate(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        String code = SealJson.attribute(subject, BCStyle.ORGANIZATION_IDENTIFIER);
        if (code == null || !Uscc.isValid(code)) {
            return "its certificate names no agency by a Unified Social Credit Code: it is not a seal certificate";
        }
        try {
            List<String> purposes = certificate.getExtendedKeyUsage();
            if (purposes != null && (purposes.contains("1.3.6.1.5.5.7.3.8") || purposes.contains("1.3.6.1.5.5.7.3.9"))) {
                return "its certificate is for time-stamping or OCSP signing, not a seal's";
            }
        } catch (CertificateParsingException e) {
            return "its extended key usage cannot be read";
        }
        return null;
    }

    /** The issuer of {@code certificate} on its path to one of {@code anchors}; throws when there is no such path. */
    private X509Certificate issuer(X509Certificate certificate, List<X509Certificate> chain,
                                   Set<TrustAnchor> anchors) throws Exception {
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(certificate);
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
        parameters.setRevocationEnabled(false);
        // an expired (or replaced) certificate's old codes may still be genuine: check the chain while it was valid
        Instant when = clock.instant();
        if (when.isAfter(certificate.getNotAfter().toInstant())) {
            when = certificate.getNotAfter().toInstant().minusSeconds(1);
        }
        parameters.setDate(Date.from(when));
        parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
        PKIXCertPathBuilderResult path = (PKIXCertPathBuilderResult)
                CertPathBuilder.getInstance("PKIX", Providers.bouncyCastle()).build(parameters);
        var certificates = path.getCertPath().getCertificates();
        return certificates.size() > 1 ? (X509Certificate) certificates.get(1) : path.getTrustAnchor().getTrustedCert();
    }
}
