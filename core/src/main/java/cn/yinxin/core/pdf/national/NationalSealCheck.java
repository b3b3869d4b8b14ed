package cn.yinxin.core.pdf.national;

import cn.yinxin.core.pki.ReadableNames;
import cn.yinxin.core.pdf.verify.cms.CmsSignatureCheck;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.longterm.RevocationCheck;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.ses.ElectronicSeal;
import cn.yinxin.core.ses.SealSignature;
import cn.yinxin.core.ses.SesProblem;
import cn.yinxin.core.ses.SealStatusSource;
import cn.yinxin.core.ses.SesSignatureV1;
import cn.yinxin.core.ses.SesVerifier;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Checks the GB/T 38540 seal signature a national-mode PDF signature carries ({@link PdfSesSignature}; a GM/T
 * 0031-2014 v1 SES_Signature made by another system is read and checked too, see {@link SesVerifier}) with the
 * checks of STANDARDS.md section 2: those of {@link SesVerifier} (format; the maker's signature, certificate chain
 * and key usage; the seal's validity window; the signer's SM2 signature, certificate chain and validity; the signer
 * in the seal's certList; the time-stamp over the signature; dataHash over the signed byte ranges), and here also:
 * propertyInfo names this signature's byte ranges, the SES signer is the PDF signature's signer, the revocation of
 * the seal maker's chain, and the seal's own status at its issuer.
 */
public final class NationalSealCheck {

    /** The report, and how it weighs on the signature: null when the seal signature is valid. */
    public record Outcome(VerificationReport.NationalSeal report, Indication indication, SubIndication subIndication) {
    }

    private static final String V4 = "GB/T 38540-2020 SES_Signature";
    private static final String V1 = "GM/T 0031-2014 SES_Signature";

    private final Collection<X509Certificate> trustedRoots;
    private final CmsSignatureCheck cms;
    private volatile List<X509Certificate> knownMakers = List.of();

    public NationalSealCheck(Collection<X509Certificate> trustedRoots, CmsSignatureCheck cms) {
        this.trustedRoots = List.copyOf(trustedRoots);
        this.cms = cms;
    }

    /** The SES_Signature a CMS carries in its unsigned attributes, the CMS's signer and the certificates it holds. */
    private record Carried(byte[] der, X509Certificate cmsSigner, List<X509Certificate> embedded) {
    }

    /** Seal makers the trust list recognises without the seal-making key purpose ({@link SesVerifier#withKnownMakers}). */
    public void knownMakers(Collection<X509Certificate> makers) {
        this.knownMakers = List.copyOf(makers);
    }

    /**
     * A seal signature found bare in /Contents: what it is ({@code text}), and {@code broken}, the sub-indication of
     * a TOTAL_FAILED answer when the seal signature is broken (null: INDETERMINATE, another product's layout).
     */
    public record InContents(SubIndication broken, String text) {
    }

    /**
     * When a PDF signature's /Contents is no CMS but a seal signature of another product ({@link SealInContents}):
     * what it is, for an INDETERMINATE answer (or a TOTAL_FAILED one when it is broken); null when it is not one.
     */
    public InContents sealInContents(byte[] valueInGap, byte[] signedBytes) {
        return SealInContents.describe(valueInGap, signedBytes,
                new SesVerifier(trustedRoots, List.of()).withKnownMakers(knownMakers));
    }

    /** Null when the signature carries no SES_Signature (not national mode). */
    public Outcome check(byte[] cmsValue, byte[] signedBytes, long[] range, Instant now, RevocationCheck revocation,
                  SealStatusSource statuses) {
        Carried carried = carried(cmsValue);
        if (carried == null) {
            return null;
        }
        List<String> reasons = new ArrayList<>();
        SealSignature ses;
        try {
            ses = SealSignature.decode(carried.der());
        } catch (IllegalArgumentException e) {
            reasons.add("The seal signature (SES_Signature) cannot be read: " + e.getMessage());
            return failed(new Facts(null, null), "FORMAT", reasons, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE);
        }
        Facts facts = new Facts(ses, null);
        SesVerifier.Result result = new SesVerifier(trustedRoots, carried.embedded()).withKnownMakers(knownMakers)
                .verifySignature(carried.der(), signedBytes);
        reasons.addAll(result.reasons());
        if (!result.valid()) {
            SubIndication sub = subIndication(result.problem());
            Indication indication = sub == SubIndication.NO_CERTIFICATE_CHAIN_FOUND ? Indication.INDETERMINATE
                    : Indication.TOTAL_FAILED;
            return failed(facts, result.problem().name(), reasons, indication, sub);
        }
        facts = new Facts(ses, result.provenTime());
        Outcome refused = bytesAndSigner(facts, range, carried.cmsSigner(), reasons);
        if (refused == null) {
            refused = makerRevocation(facts, carried.embedded(), now, revocation, reasons);
        }
        if (refused != null) {
            return refused;
        }
        SealStatusCheck.Result status = SealStatusCheck.check(statuses, ses.seal().sealInfo().esId(),
                ses.signerCertificate(), ses.timeStamp() != null, reasons);
        if (status.failed()) {
            return failed(facts, "SEAL_STATUS", reasons, status.indication(), status.subIndication(), status.status());
        }
        return new Outcome(report(facts, true, null, reasons, status.status()), null, null);
    }

    /** What the CMS carries, or null when it carries no SES_Signature or cannot be read (the CMS check says so). */
    private static Carried carried(byte[] cmsValue) {
        if (!PdfSesSignature.mayCarry(cmsValue)) {
            return null;
        }
        List<X509Certificate> embedded = new ArrayList<>();
        try (ASN1InputStream in = new ASN1InputStream(cmsValue)) {
            CMSSignedData signed = new CMSSignedData(ContentInfo.getInstance(in.readObject()));
            SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
            byte[] der = PdfSesSignature.find(signer);
            if (der == null) {
                return null;
            }
            var converter = new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle());
            for (Object holder : signed.getCertificates().getMatches(null)) {
                embedded.add(converter.getCertificate((X509CertificateHolder) holder));
            }
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> own = signed.getCertificates().getMatches(signer.getSID());
            X509Certificate cmsSigner = own.isEmpty() ? null : converter.getCertificate(own.iterator().next());
            return new Carried(der, cmsSigner, embedded);
        } catch (Exception e) {
            return null; // the CMS check reports an unreadable CMS
        }
    }

    /** How a failed SES check weighs on the PDF signature (ETSI EN 319 102-1 sub-indications). */
    private static SubIndication subIndication(SesProblem problem) {
        return switch (problem) {
            case FORMAT -> SubIndication.FORMAT_FAILURE;
            case DATA_HASH -> SubIndication.HASH_FAILURE;
            case SIGNATURE, MAKER_SIGNATURE, TIME_STAMP -> SubIndication.SIG_CRYPTO_FAILURE;
            case MAKER_CERTIFICATE, SIGNER_CERTIFICATE -> SubIndication.NO_CERTIFICATE_CHAIN_FOUND;
            case SEAL_NOT_VALID, SIGNER_NOT_IN_CERT_LIST -> SubIndication.NO_SIGNING_CERTIFICATE_FOUND;
        };
    }

    /** propertyInfo names this signature's byte ranges, and the SES signer is the PDF signature's; null when so. */
    private static Outcome bytesAndSigner(Facts facts, long[] range, X509Certificate cmsSigner, List<String> reasons) {
        SealSignature ses = facts.ses();
        String expected = PdfSesSignature.propertyInfo(range);
        if (!expected.equals(ses.propertyInfo())) {
            reasons.add("propertyInfo says \"" + ses.propertyInfo() + "\", not this signature's \"" + expected
                    + "\": the seal signature was made for other bytes.");
            return failed(facts, "PROPERTY_INFO", reasons, Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE);
        }
        reasons.add("propertyInfo names this signature's byte ranges (\"" + expected + "\").");
        if (cmsSigner == null || !Arrays.equals(encoded(cmsSigner), ses.signerCertificate())) {
            reasons.add("The seal signature's signer is not the PDF signature's signer.");
            return failed(facts, "SIGNER_MISMATCH", reasons, Indication.TOTAL_FAILED,
                    SubIndication.NO_SIGNING_CERTIFICATE_FOUND);
        }
        reasons.add("The seal signature's signer is the PDF signature's signer.");
        return null;
    }

    /** The maker's chain: revocation at the time that counts (the time-stamp's, or now); null when not refused. */
    private Outcome makerRevocation(Facts facts, List<X509Certificate> embedded, Instant now,
                                    RevocationCheck revocation, List<String> reasons) {
        SealSignature ses = facts.ses();
        Instant at = ses.timeStamp() != null ? facts.provenTime() : now;
        X509Certificate maker = certificate(ses.seal().makerCertificate());
        List<X509Certificate> chain = cms.chain(maker, embedded, at);
        if (chain == null) {
            chain = cms.chain(maker, embedded, now);
        }
        if (chain == null) {
            return null;
        }
        for (RevocationCheck.Status status : revocation.check(chain, at)) {
            reasons.add("Seal maker chain: " + status.describe());
            switch (status.state()) {
                case REVOKED -> {
                    if (ses.timeStamp() == null || !facts.provenTime().isBefore(status.revokedAt())) {
                        return failed(facts, "MAKER_REVOKED", reasons, Indication.TOTAL_FAILED, SubIndication.REVOKED);
                    }
                    reasons.add("The time-stamp proves the seal signature was made before that revocation.");
                }
                case UNKNOWN, UNAVAILABLE -> {
                    reasons.add("Without revocation information for the seal maker the seal cannot be confirmed.");
                    return failed(facts, "MAKER_REVOCATION_UNKNOWN", reasons, Indication.INDETERMINATE,
                            SubIndication.TRY_LATER);
                }
                case GOOD, NOT_CHECKABLE -> {
                }
            }
        }
        return null;
    }

    /** What is known of the seal signature so far (for the report). */
    private record Facts(SealSignature ses, Instant provenTime) {
    }

    private static Outcome failed(Facts facts, String problem, List<String> reasons, Indication indication,
                                  SubIndication sub) {
        return failed(facts, problem, reasons, indication, sub, null);
    }

    private static Outcome failed(Facts facts, String problem, List<String> reasons, Indication indication,
                                  SubIndication sub, String sealStatus) {
        return new Outcome(report(facts, false, problem, reasons, sealStatus), indication, sub);
    }

    private static VerificationReport.NationalSeal report(Facts facts, boolean valid, String problem,
                                                          List<String> reasons, String sealStatus) {
        SealSignature ses = facts.ses();
        if (ses == null) {
            return new VerificationReport.NationalSeal(V4, valid, problem, null, null, null, null, null, null, null, false,
                    null, sealStatus, List.copyOf(reasons));
        }
        ElectronicSeal seal = ses.seal();
        String maker;
        try {
            maker = ReadableNames.of(certificate(seal.makerCertificate()).getSubjectX500Principal());
        } catch (RuntimeException e) {
            maker = null;
        }
        var property = seal.sealInfo().property();
        return new VerificationReport.NationalSeal(ses instanceof SesSignatureV1 ? V1 : V4, valid, problem,
                seal.sealInfo().esId(), property.name(),
                seal.sealInfo().header().vid(), maker, property.validStart(), property.validEnd(),
                facts.provenTime() != null ? facts.provenTime() : ses.timeInfo(), ses.timeStamp() != null,
                ses.propertyInfo(), sealStatus, List.copyOf(reasons));
    }

    private static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509", Providers.bouncyCastle())
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new IllegalArgumentException("not a certificate", e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (Exception e) {
            return new byte[0];
        }
    }
}
