package cn.yinxin.core.ofd.verify;

import cn.yinxin.core.pki.Providers;

import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Certificate chains to the verifier's trusted roots (the verifier's configuration, never the document's), for the
 * revocation check of the seal maker's and the signer's chains. Revocation is not judged here.
 */
final class Chains {

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> intermediates;

    Chains(Collection<X509Certificate> roots, Collection<X509Certificate> intermediates) {
        this.anchors = roots.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet());
        this.intermediates = List.copyOf(intermediates);
    }

    /** The chain from {@code certificate} to its root (root last), or null. */
    List<X509Certificate> chain(X509Certificate certificate, Instant at) {
        for (TrustAnchor anchor : anchors) {
            if (anchor.getTrustedCert().equals(certificate)) {
                return List.of(certificate);
            }
        }
        if (anchors.isEmpty()) {
            return null;
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            parameters.addCertStore(CertStore.getInstance("Collection",
                    new CollectionCertStoreParameters(intermediates)));
            var result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX", Providers.bouncyCastle())
                    .build(parameters);
            List<X509Certificate> chain = new ArrayList<>();
            result.getCertPath().getCertificates().forEach(c -> chain.add((X509Certificate) c));
            chain.add(result.getTrustAnchor().getTrustedCert());
            return chain;
        } catch (Exception e) {
            return null;
        }
    }
}
