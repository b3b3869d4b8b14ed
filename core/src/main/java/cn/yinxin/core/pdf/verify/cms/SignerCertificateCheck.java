package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.ReadableNames;
import cn.yinxin.core.pdf.verify.cms.CmsSignatureCheck.Result;
import cn.yinxin.core.pdf.verify.longterm.RevocationCheck;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.SignerInformation;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The signer's certificate at the time the signature is proven to exist (ETSI EN 319 102-1 5.2.6, X.509
 * certificate validation, with 5.6.2.1's past signature validation when a signature time-stamp proves existence):
 * the time-stamp, the certificate's validity, its chain to a trusted root, and the revocation of the chain.
 */
final class SignerCertificateCheck {

    private final CmsSignatureCheck chains;

    SignerCertificateCheck(CmsSignatureCheck chains) {
        this.chains = chains;
    }

    /** The signer's certificate, at the time the signature is proven to exist: validity, chain, revocation. */
    Result judge(SignerInformation signer, X509Certificate certificate, List<X509Certificate> embedded,
                 Instant claimedTime, Instant now, RevocationCheck revocation, List<String> reasons,
                 boolean hasV2, boolean hasSigningTime) {
        Instant timeStampedAt = signatureTimeStamp(signer, embedded, now, reasons);
        // a valid signature time-stamp proves the signature existed then (its POE): the certificate is judged at
        // that time, so that a time-stamped signature outlives its certificate
        Instant at = timeStampedAt != null ? timeStampedAt : now;
        Result outside = validity(certificate, claimedTime, at, timeStampedAt, reasons, hasV2, hasSigningTime);
        if (outside != null) {
            return outside;
        }
        List<X509Certificate> chain = chains.chain(certificate, embedded, at);
        if (chain == null) {
            reasons.add("The signer's certificate does not chain to any trusted root (issuer: "
                    + ReadableNames.of(certificate.getIssuerX500Principal()) + ").");
            return new Result(Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND, reasons, certificate,
                    hasV2, hasSigningTime, timeStampedAt);
        }
        reasons.add("The signer's certificate chains to the trusted root \""
                + ReadableNames.of(chain.get(chain.size() - 1).getSubjectX500Principal()) + "\".");
        return revocation(chain, at, timeStampedAt, revocation, reasons, certificate, hasV2, hasSigningTime);
    }

    /** The certificate's validity period against the proven time (and the claimed signing time), or null. */
    private static Result validity(X509Certificate certificate, Instant claimedTime, Instant at, Instant timeStampedAt,
                                   List<String> reasons, boolean hasV2, boolean hasSigningTime) {
        if (timeStampedAt != null && certificate.getNotAfter().toInstant().isBefore(timeStampedAt)) {
            reasons.add("The signature was time-stamped on " + timeStampedAt + ", after the signer's certificate "
                    + "expired on " + certificate.getNotAfter().toInstant() + ".");
            return new Result(Indication.TOTAL_FAILED, SubIndication.EXPIRED, reasons, certificate,
                    hasV2, hasSigningTime, timeStampedAt);
        }
        if (certificate.getNotAfter().toInstant().isBefore(at)) {
            reasons.add("The signer's certificate expired on " + certificate.getNotAfter().toInstant()
                    + " and nothing (no time-stamp) proves the signature existed before.");
            return new Result(Indication.INDETERMINATE, SubIndication.OUT_OF_BOUNDS_NO_POE, reasons, certificate,
                    hasV2, hasSigningTime, timeStampedAt);
        }
        if (certificate.getNotBefore().toInstant().isAfter(at)
                || claimedTime != null && certificate.getNotBefore().toInstant().isAfter(claimedTime)) {
            reasons.add("The signer's certificate was not yet valid at the claimed signing time.");
            return new Result(Indication.TOTAL_FAILED, SubIndication.NOT_YET_VALID, reasons, certificate,
                    hasV2, hasSigningTime, timeStampedAt);
        }
        return null;
    }

    /**
     * The revocation of the chain, from the signature's best-signature-time on (RevocationFreshness): a revocation
     * after a proven time does not count against the signature.
     */
    private static Result revocation(List<X509Certificate> chain, Instant at, Instant timeStampedAt,
                                     RevocationCheck revocation, List<String> reasons, X509Certificate certificate,
                                     boolean hasV2, boolean hasSigningTime) {
        Indication indication = Indication.TOTAL_PASSED;
        SubIndication sub = null;
        // revocation data count from the signature's best-signature-time on (RevocationFreshness)
        for (RevocationCheck.Status status : revocation.check(chain, at)) {
            reasons.add(status.describe());
            SubIndication found = switch (status.state()) {
                case REVOKED -> {
                    if (timeStampedAt != null && timeStampedAt.isBefore(status.revokedAt())) {
                        reasons.add("The time-stamp proves the signature was made before that revocation.");
                        yield null;
                    }
                    yield timeStampedAt != null ? SubIndication.REVOKED : SubIndication.REVOKED_NO_POE;
                }
                case UNKNOWN, UNAVAILABLE -> SubIndication.TRY_LATER;
                case GOOD, NOT_CHECKABLE -> null;
            };
            if (found != null && (sub == null || found.ordinal() < sub.ordinal())) {
                sub = found;
                indication = found == SubIndication.REVOKED ? Indication.TOTAL_FAILED : Indication.INDETERMINATE;
            }
        }
        if (sub == SubIndication.REVOKED) {
            reasons.add("The time-stamp proves the signature was made after the revocation: it is not valid.");
        } else if (sub == SubIndication.REVOKED_NO_POE) {
            reasons.add("Nothing proves the signature was made before the revocation.");
        } else if (sub == SubIndication.TRY_LATER) {
            reasons.add("Without revocation information the signature cannot be confirmed; try again when the "
                    + "OCSP responder or CRL can be reached, or ask for a PAdES-BASELINE-LT document.");
        }
        return new Result(indication, sub, reasons, certificate, hasV2, hasSigningTime, timeStampedAt);
    }

    /** The time a valid signature time-stamp proves, or null; says what it found among the reasons. */
    private Instant signatureTimeStamp(SignerInformation signer, List<X509Certificate> embedded, Instant now,
                                       List<String> reasons) {
        AttributeTable unsigned = signer.getUnsignedAttributes();
        Attribute attribute = unsigned == null ? null
                : unsigned.get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
        if (attribute == null) {
            return null;
        }
        TimeStampCheck.Result token;
        try {
            token = TimeStampCheck.check(attribute.getAttrValues().getObjectAt(0).toASN1Primitive().getEncoded(),
                    signer.getSignature());
        } catch (IOException e) {
            reasons.add("The signature time-stamp cannot be read; it is ignored.");
            return null;
        }
        if (!token.valid()) {
            reasons.add("The signature time-stamp is not valid (" + token.problem() + "); it is ignored.");
            return null;
        }
        List<X509Certificate> pool = new ArrayList<>(embedded);
        pool.addAll(token.embedded());
        X509Certificate root = chains.chainToTrustedRoot(token.tsa(), pool, token.time());
        if (root == null) {
            reasons.add("The signature time-stamp of " + token.time() + " comes from a TSA that does not chain to a "
                    + "trusted root; it is ignored.");
            return null;
        }
        reasons.add("A time-stamp from \"" + ReadableNames.of(token.tsa().getSubjectX500Principal()) + "\" proves the signature "
                + "existed on " + token.time() + ".");
        return token.time();
    }
}
