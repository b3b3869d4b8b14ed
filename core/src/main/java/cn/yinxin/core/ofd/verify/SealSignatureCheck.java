package cn.yinxin.core.ofd.verify;

import cn.yinxin.core.pki.ReadableNames;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.longterm.RevocationCheck;
import cn.yinxin.core.pdf.national.SealStatusCheck;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.ses.ElectronicSeal;
import cn.yinxin.core.ses.ReadableCertificate;
import cn.yinxin.core.ses.SealSignature;
import cn.yinxin.core.ses.SealStatusSource;
import cn.yinxin.core.ses.SesSignatureV1;
import cn.yinxin.core.ses.SesVerifier;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The GB/T 38540 checks of one OFD seal's SignedValue.dat, with the checks of STANDARDS.md section 2: those of
 * {@link SesVerifier} (format; the maker's signature, chain and key usage; the seal's validity; the signer's SM2
 * signature, chain and validity; the signer in the seal's certList; the time-stamp over the signature bits;
 * dataHash = SM3(Signature.xml)), and here also: the revocation of the signer's and the seal maker's chains at
 * the time that counts (the time-stamp's, else now), and the seal's own status at its issuer.
 */
final class SealSignatureCheck {

    /** What was found; indication null when the seal signature is valid. */
    record Outcome(VerificationReport.NationalSeal report, Indication indication, SubIndication subIndication,
                   SealSignature ses, X509Certificate signer, Instant provenTime) {
    }

    private static final String V4 = "GB/T 38540-2020 SES_Signature";
    private static final String V1 = "GM/T 0031-2014 SES_Signature";

    private final SesVerifier verifier;
    private final Chains chains;
    private final RevocationCheck revocation;
    private final SealStatusSource statuses;

    SealSignatureCheck(SesVerifier verifier, Chains chains, RevocationCheck revocation, SealStatusSource statuses) {
        this.verifier = verifier;
        this.chains = chains;
        this.revocation = revocation;
        this.statuses = statuses;
    }

    Outcome check(byte[] der, byte[] signatureXml, Instant now, List<String> reasons) {
        SealSignature ses;
        try {
            ses = SealSignature.decode(der);
        } catch (IllegalArgumentException e) {
            reasons.add("SignedValue.dat is not an SES_Signature: " + e.getMessage());
            return failed(null, null, null, "FORMAT", reasons, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    null);
        }
        X509Certificate signer = certificate(ses.signerCertificate());
        if (signer == null) {
            // checked here so that no later step (chains, the report's signer) reads a damaged field
            reasons.add("The signer's certificate in SignedValue.dat cannot be read (a damaged field).");
            return failed(ses, null, null, "FORMAT", reasons, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    null);
        }
        SesVerifier.Result result = verifier.verifySignature(der, signatureXml);
        reasons.addAll(result.reasons());
        if (!result.valid()) {
            return signatureFailed(ses, signer, result, reasons);
        }
        Instant proven = result.provenTime();
        Outcome revoked = revocationFailure(ses, signer, proven, now, reasons);
        if (revoked != null) {
            return revoked;
        }
        SealStatusCheck.Result status = SealStatusCheck.check(statuses, ses.seal().sealInfo().esId(),
                ses.signerCertificate(), ses.timeStamp() != null, reasons);
        if (status.failed()) {
            return failed(ses, signer, proven, "SEAL_STATUS", reasons, status.indication(), status.subIndication(),
                    status.status());
        }
        return new Outcome(report(ses, proven, true, null, reasons, status.status()), null, null, ses, signer, proven);
    }

    /** The SES_Signature's own check failed: its problem decides the sub-indication. */
    private static Outcome signatureFailed(SealSignature ses, X509Certificate signer, SesVerifier.Result result,
                                           List<String> reasons) {
        SubIndication sub = switch (result.problem()) {
            case FORMAT -> SubIndication.FORMAT_FAILURE;
            case DATA_HASH -> SubIndication.HASH_FAILURE;
            case SIGNATURE, MAKER_SIGNATURE, TIME_STAMP -> SubIndication.SIG_CRYPTO_FAILURE;
            case MAKER_CERTIFICATE, SIGNER_CERTIFICATE -> SubIndication.NO_CERTIFICATE_CHAIN_FOUND;
            case SEAL_NOT_VALID, SIGNER_NOT_IN_CERT_LIST -> SubIndication.NO_SIGNING_CERTIFICATE_FOUND;
        };
        Indication indication = sub == SubIndication.NO_CERTIFICATE_CHAIN_FOUND ? Indication.INDETERMINATE
                : Indication.TOTAL_FAILED;
        return failed(ses, signer, null, result.problem().name(), reasons, indication, sub, null);
    }

    /**
     * The revocation of the signer's and the seal maker's chains, at the proven time when there is one: the failed
     * outcome, or null when neither chain is revoked (or revoked after a time-stamp proves the seal was applied).
     */
    private Outcome revocationFailure(SealSignature ses, X509Certificate signer, Instant proven, Instant now,
                                      List<String> reasons) {
        Instant at = ses.timeStamp() != null ? proven : now;
        for (String who : List.of("signer", "seal maker")) {
            X509Certificate certificate = who.equals("signer") ? signer : certificate(ses.seal().makerCertificate());
            List<X509Certificate> chain = chains.chain(certificate, at);
            if (chain == null) {
                chain = chains.chain(certificate, now);
            }
            if (chain == null) {
                continue; // SesVerifier found it at the signing time; an expired chain has nothing to revoke now
            }
            for (RevocationCheck.Status status : revocation.check(chain, at)) {
                // each sentence written out, so that the reason catalogue's check sees both
                reasons.add((who.equals("signer") ? "The signer's chain: " : "The seal maker's chain: ")
                        + status.describe());
                switch (status.state()) {
                    case REVOKED -> {
                        if (ses.timeStamp() == null || !proven.isBefore(status.revokedAt())) {
                            return failed(ses, signer, proven, who.equals("signer") ? "SIGNER_REVOKED"
                                    : "MAKER_REVOKED", reasons, Indication.TOTAL_FAILED, SubIndication.REVOKED, null);
                        }
                        reasons.add("The time-stamp proves the seal was applied before that revocation.");
                    }
                    case UNKNOWN, UNAVAILABLE -> {
                        reasons.add("Without revocation information for the " + who + " the seal cannot be confirmed.");
                        return failed(ses, signer, proven, who.equals("signer") ? "SIGNER_REVOCATION_UNKNOWN"
                                : "MAKER_REVOCATION_UNKNOWN", reasons, Indication.INDETERMINATE,
                                SubIndication.TRY_LATER, null);
                    }
                    case GOOD, NOT_CHECKABLE -> {
                    }
                }
            }
        }
        return null;
    }

    private static Outcome failed(SealSignature ses, X509Certificate signer, Instant proven, String problem,
                                  List<String> reasons, Indication indication, SubIndication sub, String sealStatus) {
        return new Outcome(report(ses, proven, false, problem, reasons, sealStatus), indication, sub, ses, signer,
                proven);
    }

    private static VerificationReport.NationalSeal report(SealSignature ses, Instant proven, boolean valid,
                                                          String problem, List<String> reasons, String sealStatus) {
        if (ses == null) {
            return new VerificationReport.NationalSeal(V4, valid, problem, null, null, null, null, null, null, null,
                    false, null, sealStatus, List.copyOf(reasons));
        }
        ElectronicSeal seal = ses.seal();
        X509Certificate maker = certificate(seal.makerCertificate());
        var property = seal.sealInfo().property();
        return new VerificationReport.NationalSeal(ses instanceof SesSignatureV1 ? V1 : V4, valid, problem,
                seal.sealInfo().esId(), property.name(), seal.sealInfo().header().vid(),
                maker == null ? null : ReadableNames.of(maker.getSubjectX500Principal()), property.validStart(),
                property.validEnd(), proven != null ? proven : ses.timeInfo(), ses.timeStamp() != null,
                ses.propertyInfo(), sealStatus, new ArrayList<>(reasons));
    }

    /** The certificate, or null when it or any field the report reads cannot be read. */
    static X509Certificate certificate(byte[] der) {
        try {
            return ReadableCertificate.parse(der);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
