package cn.yinxin.core.ofd.verify;

import cn.yinxin.core.pki.ReadableNames;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.OfdDocument;
import cn.yinxin.core.ofd.OfdLimits;
import cn.yinxin.core.ofd.LicenceMetadata;
import cn.yinxin.core.ofd.OfdPath;
import cn.yinxin.core.ofd.OfdReader;
import cn.yinxin.core.ofd.OfdSigning;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.longterm.RevocationCheck;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pdf.verify.report.VerificationReport.Change;
import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.ses.SealSignature;
import cn.yinxin.core.ses.SealStatusSource;
import cn.yinxin.core.ses.SesVerifier;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies the GB/T 38540 seals of an OFD (GB/T 33190 section 18) with the verdict words and report shape of PDF
 * ({@link VerificationReport}): for each Signature that Signatures.xml lists, every Reference's CheckValue is
 * recomputed, SignedValue.dat's SES_Signature is checked against SM3(Signature.xml) and the verifier's trust
 * ({@link SealSignatureCheck}), Seal.esl must be the seal the signature carries, each StampAnnot must name a page,
 * and what the package holds beyond what the seal covers is reported ({@link Coverage}): only a later seal's own
 * files and Signatures.xml may have been added. No seal at all is NOT_SIGNED. Trust (roots, intermediates,
 * revocation, seal status) comes from the verifier's configuration, never from the document.
 */
public final class OfdVerifier {

    private final Collection<X509Certificate> roots;
    private final Collection<X509Certificate> intermediates;
    private final RevocationSource online;
    private SealStatusSource sealStatuses;
    private OfdLimits limits = OfdLimits.DEFAULT;
    private List<X509Certificate> knownMakers = List.of();

    /**
     * @param trustedRoots  roots for the seal makers', signers' and TSAs' certificates
     * @param intermediates CA certificates that may sit between them (an OFD seal carries only the signer's and the
     *                      maker's certificates): they help build chains, they confer no trust
     * @param online        where revocation is asked (OCSP / CRL named in the certificates); null: offline, and a
     *                      seal whose chains can be revoked is INDETERMINATE (TRY_LATER)
     */
    public OfdVerifier(Collection<X509Certificate> trustedRoots, Collection<X509Certificate> intermediates,
                       RevocationSource online) {
        this.roots = List.copyOf(trustedRoots);
        this.intermediates = List.copyOf(intermediates);
        this.online = online;
        Providers.bouncyCastle();
    }

    /** The seal's own status at its issuer becomes part of the verdict (as for PDF). */
    public OfdVerifier withSealStatus(SealStatusSource source) {
        this.sealStatuses = source;
        return this;
    }

    /**
     * Seals may also be made by these seal makers, which carry no seal-making key purpose of ours (another product's
     * or province's, named so by the trust list); see {@link SesVerifier#withKnownMakers}.
     */
    public OfdVerifier withKnownSealMakers(Collection<X509Certificate> makers) {
        this.knownMakers = List.copyOf(makers);
        return this;
    }

    public OfdVerifier withLimits(OfdLimits limits) {
        this.limits = Objects.requireNonNull(limits);
        return this;
    }

    public VerificationReport verify(byte[] ofd) {
        return verify(ofd, Instant.now());
    }

    /**
     * Verifies as of {@code now}.
     *
     * @throws RejectedException when the package cannot be read at all (not an OFD, zip bomb, unsafe path, DTD...)
     */
    public VerificationReport verify(byte[] ofd, Instant now) {
        return verifyRead(ofd, now).report();
    }

    /**
     * The report, and what the package says of itself that the caller may need beside it (read once, here): the
     * licence metadata a seal of its issuer vouches for (else null), and the package as read.
     */
    public record Verified(VerificationReport report, LicenceMetadata licence, OfdDocument document) {
    }

    /**
     * Verifies as of {@code now}, and hands out the package's GB/T 36903 licence metadata (null when it has none,
     * or when no intact seal of the licence's issuing agency vouches for it: then the report is at best
     * INDETERMINATE and its {@code licence} entry says why), so a caller that joins a licence's live status to the
     * verdict does not read the package a second time.
     *
     * @throws RejectedException when the package cannot be read at all (not an OFD, zip bomb, unsafe path, DTD...)
     */
    public Verified verifyRead(byte[] ofd, Instant now) {
        OfdDocument document = new OfdReader(limits).read(ofd);
        VerificationReport report;
        try {
            report = verify(document, ofd.length, now);
        } catch (StackOverflowError e) {
            // Bouncy Castle parses ASN.1 (a SignedValue.dat, a seal, a time-stamp) by recursion, one call per level:
            // thousands of nested SEQUENCEs in a few hundred KB go past any thread's stack; that is an answer
            report = new VerificationReport(Verdict.INDETERMINATE, "This OFD was not verified: a seal's data are "
                    + "nested too deeply to be read. It may have been made to exhaust verifiers; do not accept it as "
                    + "verified.", ofd.length, now, List.of());
        }
        // the licence is handed out only when a seal of its issuing agency vouches for it (IssuedLicence)
        return IssuedLicence.judge(report, document);
    }

    private VerificationReport verify(OfdDocument document, long length, Instant now) {
        List<OfdDocument.SignatureEntry> entries = document.signatures();
        // each seal's own files, to tell a later seal's files from other additions
        Map<String, Set<String>> filesOf = new HashMap<>();
        Map<String, SignatureXml> parsed = new HashMap<>();
        for (OfdDocument.SignatureEntry entry : entries) {
            Set<String> files = new LinkedHashSet<>();
            files.add(entry.signatureXml());
            try {
                SignatureXml xml = SignatureXml.parse(document.pack().get(entry.signatureXml()), entry.signatureXml(),
                        limits);
                parsed.put(entry.signatureXml(), xml);
                files.add(xml.signedValue());
                if (xml.sealFile() != null) {
                    files.add(xml.sealFile());
                }
            } catch (RejectedException e) {
                // reported when this seal is checked
            }
            filesOf.put(entry.signatureXml(), files);
        }
        SealSignatureCheck sealCheck = new SealSignatureCheck(
                new SesVerifier(roots, intermediates).withKnownMakers(knownMakers),
                new Chains(roots, intermediates), new RevocationCheck(online), sealStatuses);
        List<SignatureReport> reports = new ArrayList<>();
        Map<String, byte[]> digests = new HashMap<>();
        Set<String> unlisted = UnlistedSeals.in(document, limits);
        for (OfdDocument.SignatureEntry entry : entries) {
            Map<String, String> others = new HashMap<>();
            for (OfdDocument.SignatureEntry other : entries) {
                // only a seal this verifier checks may add files: a Type="Sign" entry is not verified here, so its
                // files are additions like any other (else listing a forged copy as "Sign" would hide them)
                if (other != entry && isSeal(other)) {
                    filesOf.get(other.signatureXml()).forEach(f -> others.putIfAbsent(f, "\"" + other.id() + "\""));
                }
            }
            reports.add(one(document, entry, parsed.get(entry.signatureXml()), filesOf.get(entry.signatureXml()),
                    others, sealCheck, digests, unlisted, now));
        }
        return summarise(length, now, reports);
    }

    private SignatureReport one(OfdDocument document, OfdDocument.SignatureEntry entry, SignatureXml xml,
                                Set<String> ownFiles, Map<String, String> others, SealSignatureCheck sealCheck,
                                Map<String, byte[]> digests, Set<String> unlisted, Instant now) {
        List<String> reasons = new ArrayList<>();
        String field = entry.id().isBlank() ? entry.signatureXml() : entry.id();
        if (!isSeal(entry)) {
            return notASeal(document, entry, xml, field, reasons);
        }
        if (xml == null) {
            return unreadable(document, entry, field, reasons);
        }
        String algorithm = digestAlgorithm(xml.checkMethod());
        if (algorithm == null) {
            reasons.add("References CheckMethod \"" + xml.checkMethod() + "\" is not SM3 or SHA-256: the digests "
                    + "prove nothing against a forger.");
            return report(field, Indication.TOTAL_FAILED, SubIndication.CRYPTO_CONSTRAINTS_FAILURE, reasons, null,
                    List.of(), null);
        }
        Coverage.Result coverage;
        try {
            coverage = Coverage.check(document, xml, algorithm, ownFiles, others, digests, unlisted,
                    limits.maxChangesPerSeal());
        } catch (Exception e) {
            reasons.add("The references cannot be checked: " + e.getMessage());
            return report(field, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, reasons, null, List.of(), null);
        }
        List<Change> changes = coverage.changes();
        if (!document.pack().has(xml.signedValue())) {
            reasons.add("SignedValue \"/" + xml.signedValue() + "\" is not in the package.");
            return report(field, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, reasons, null, changes, null);
        }
        SealSignatureCheck.Outcome outcome = sealCheck.check(document.pack().get(xml.signedValue()),
                document.pack().get(entry.signatureXml()), now, reasons);
        return judged(document, entry, xml, field, reasons, algorithm, coverage, outcome);
    }

    /** A signature listed as another Type than "Seal": not checked here, and a failure when it carries a seal. */
    private static SignatureReport notASeal(OfdDocument document, OfdDocument.SignatureEntry entry, SignatureXml xml,
                                            String field, List<String> reasons) {
        if (carriesASeal(document, xml)) {
            // a GB/T 35275 signature is no SES_Signature: an electronic seal listed as "Sign" is a seal moved
            // or copied out of the checks a seal gets
            reasons.add("Signature " + field + " is listed as Type \"" + entry.type() + "\" but its SignedValue "
                    + "is an electronic seal's SES_Signature: a seal may not be listed as another kind.");
            return report(field, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, reasons, null, List.of(),
                    null);
        }
        reasons.add("Signature " + field + " is of Type \"" + entry.type() + "\" (a GB/T 35275 signature, not an "
                + "electronic seal): this verifier does not check it.");
        return report(field, Indication.INDETERMINATE, SubIndication.FORMAT_FAILURE, reasons, null, List.of(),
                null);
    }

    /** A Signature.xml that did not parse: parsed again for the reason. */
    private SignatureReport unreadable(OfdDocument document, OfdDocument.SignatureEntry entry, String field,
                                       List<String> reasons) {
        try {
            SignatureXml.parse(document.pack().get(entry.signatureXml()), entry.signatureXml(), limits);
        } catch (RejectedException e) {
            reasons.add("\"/" + entry.signatureXml() + "\" cannot be read: " + e.getMessage());
        }
        return report(field, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, reasons, null, List.of(),
                null);
    }

    /**
     * The seal's verdict once its signature is checked: the seal file, the stamped pages, the digests of the files
     * it covers and the changes made after it can each fail it.
     */
    private static SignatureReport judged(OfdDocument document, OfdDocument.SignatureEntry entry, SignatureXml xml,
                                          String field, List<String> reasons, String algorithm,
                                          Coverage.Result coverage, SealSignatureCheck.Outcome outcome) {
        List<Change> changes = coverage.changes();
        Indication indication = outcome.indication() == null ? Indication.TOTAL_PASSED : outcome.indication();
        SubIndication sub = outcome.subIndication();
        if (outcome.ses() != null && outcome.ses().propertyInfo() != null
                && !samePath(outcome.ses().propertyInfo(), entry.signatureXml())) {
            // dataHash fixes Signature.xml's bytes, which fix every file: propertyInfo is the signer's words only
            reasons.add("propertyInfo says \"" + outcome.ses().propertyInfo() + "\", not \"/" + entry.signatureXml()
                    + "\" (noted; dataHash is what binds Signature.xml).");
        }
        if (outcome.ses() != null && xml.sealFile() != null && document.pack().has(xml.sealFile())
                && !Arrays.equals(document.pack().get(xml.sealFile()), outcome.ses().seal().der())) {
            reasons.add("Seal.esl is not the seal the SES_Signature carries.");
            indication = Indication.TOTAL_FAILED;
            sub = SubIndication.FORMAT_FAILURE;
        }
        for (String page : xml.stampPages()) {
            if (document.pages().stream().noneMatch(p -> p.id().equals(page))) {
                reasons.add("A StampAnnot names page \"" + page + "\", which the document does not have.");
                indication = Indication.TOTAL_FAILED;
                sub = SubIndication.FORMAT_FAILURE;
            }
        }
        reasons.add(coverage.intact() ? "All " + coverage.covered() + " References' " + algorithm
                + " CheckValues match the files." : "A file the seal covers was changed or removed.");
        if (!coverage.intact()) {
            indication = Indication.TOTAL_FAILED;
            sub = SubIndication.HASH_FAILURE;
        }
        List<String> forbidden = changes.stream().filter(c -> !c.allowed()).map(Change::description).toList();
        if (!forbidden.isEmpty() && indication != Indication.TOTAL_FAILED) {
            // even when the signer cannot be confirmed, a forbidden change fails (as for PDF)
            reasons.add("The document was changed after this seal in a way a seal cannot allow: "
                    + String.join("; ", forbidden));
            indication = Indication.TOTAL_FAILED;
            sub = SubIndication.FORMAT_FAILURE;
        }
        return report(field, indication, indication == Indication.TOTAL_PASSED ? null : sub, reasons, outcome, changes,
                outcome.report());
    }

    private static boolean isSeal(OfdDocument.SignatureEntry entry) {
        return OfdSigning.TYPE_SEAL.equalsIgnoreCase(entry.type());
    }

    /** Whether the signature's SignedValue decodes as an SES_Signature (a seal, whatever its Type says). */
    private static boolean carriesASeal(OfdDocument document, SignatureXml xml) {
        if (xml == null || !document.pack().has(xml.signedValue())) {
            return false;
        }
        try {
            SealSignature.decode(document.pack().get(xml.signedValue()));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean samePath(String propertyInfo, String entry) {
        try {
            return OfdPath.resolve("", propertyInfo).equals(entry);
        } catch (RejectedException e) {
            return false;
        }
    }

    /** The JCA name of a CheckMethod (OID or name), or null when it is not accepted. */
    private static String digestAlgorithm(String checkMethod) {
        return switch (checkMethod.strip().toUpperCase(Locale.ROOT).replace("-", "")) {
            case OfdSigning.SM3, "SM3" -> "SM3";
            case "2.16.840.1.101.3.4.2.1", "SHA256" -> "SHA-256";
            default -> null;
        };
    }

    private static SignatureReport report(String field, Indication indication, SubIndication sub, List<String> reasons,
                                          SealSignatureCheck.Outcome outcome, List<Change> changes,
                                          VerificationReport.NationalSeal national) {
        X509Certificate signer = outcome == null ? null : outcome.signer();
        boolean stamped = outcome != null && outcome.ses() != null && outcome.ses().timeStamp() != null;
        String format = "OFD GB/T 38540 seal" + (stamped ? " with time-stamp" : "");
        return new SignatureReport(field, indication, sub, List.copyOf(reasons), format, signer(signer),
                seal(signer, outcome), outcome == null || outcome.ses() == null ? null : outcome.ses().timeInfo(),
                stamped ? outcome.provenTime() : null, null, List.copyOf(changes), national, null, null);
    }

    private static VerificationReport.Signer signer(X509Certificate certificate) {
        if (certificate == null) {
            return null;
        }
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        return new VerificationReport.Signer(attribute(subject, BCStyle.CN),
                ReadableNames.of(certificate.getSubjectX500Principal()), ReadableNames.of(certificate.getIssuerX500Principal()),
                certificate.getSerialNumber().toString(16), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
    }

    /** The seal's name (from the SESeal) and the agency its signer's certificate names (O, organizationIdentifier). */
    private static VerificationReport.Seal seal(X509Certificate certificate, SealSignatureCheck.Outcome outcome) {
        if (certificate == null || outcome.ses() == null) {
            return null;
        }
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        return new VerificationReport.Seal(outcome.ses().seal().sealInfo().property().name(),
                attribute(subject, BCStyle.O), attribute(subject, BCStyle.ORGANIZATION_IDENTIFIER));
    }

    private static String attribute(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    /** The verdict, by the rules of the PDF verifier: no seal is NOT_SIGNED, any failure INVALID. */
    private static VerificationReport summarise(long size, Instant now, List<SignatureReport> signatures) {
        if (signatures.isEmpty()) {
            return new VerificationReport(Verdict.NOT_SIGNED, "The OFD carries no seal.", size, now, signatures);
        }
        long failed = signatures.stream().filter(s -> s.indication() == Indication.TOTAL_FAILED).count();
        long unsure = signatures.stream().filter(s -> s.indication() == Indication.INDETERMINATE).count();
        if (failed > 0) {
            return new VerificationReport(Verdict.INVALID, failed + " of " + signatures.size()
                    + " seal(s) failed: do not accept this document.", size, now, signatures);
        }
        if (unsure > 0) {
            return new VerificationReport(Verdict.INDETERMINATE, unsure + " of " + signatures.size()
                    + " seal(s) could not be confirmed; see the reasons.", size, now, signatures);
        }
        boolean changedSince = signatures.stream().anyMatch(s -> !s.changesAfterSigning().isEmpty());
        return new VerificationReport(Verdict.VALID, "All " + signatures.size() + " seal(s) are valid and the "
                + (changedSince ? "changes made after sealing are allowed ones (later seals)."
                : "document is unchanged since."), size, now, signatures);
    }
}
