package cn.yinxin.verifier.trust.seals;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * One seal as the seal service describes it: its current chain, and the chains of the certificates it had before
 * it was renewed (newest first).
 */
public record Seal(String id, String name, String agency, String agencyCode, String status, String statusReason,
                   Instant statusChangedAt, List<X509Certificate> chain, List<Earlier> previous) {

    /** A certificate the seal had before a renewal, and when it was replaced (its key destroyed then). */
    public record Earlier(List<X509Certificate> chain, Instant replacedAt) {
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * The seal as the certificate {@code certificate} names it: an earlier certificate vouches for its own
     * subject only (the listing, fetched over plain HTTP, could pair any trusted certificate with any seal).
     */
    Seal namedBy(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        return new Seal(id, SealJson.first(SealJson.attribute(subject, BCStyle.CN), name),
                SealJson.attribute(subject, BCStyle.O), SealJson.attribute(subject, BCStyle.ORGANIZATION_IDENTIFIER),
                status, statusReason, statusChangedAt, chain, previous);
    }
}
