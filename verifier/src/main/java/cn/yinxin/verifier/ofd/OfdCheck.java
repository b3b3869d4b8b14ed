package cn.yinxin.verifier.ofd;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.LicenceStatusSource;
import cn.yinxin.core.ofd.LicenceMetadata;
import cn.yinxin.core.ofd.OfdLimits;
import cn.yinxin.core.ofd.verify.OfdCopies;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.verify.AnnotatedCopyCheck;
import cn.yinxin.core.pdf.verify.LicenceStatusCheck;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.ses.SealStatusSource;
import cn.yinxin.core.trust.TrustList;
import cn.yinxin.core.trust.TrustedCa;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.trust.TrustAnchors;
import cn.yinxin.verifier.trust.seals.SealDirectory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Verifies an OFD (GB/T 33190 with GB/T 38540 seals) with this verifier's own trust, as a PDF is verified: the
 * trust anchors of the moment (trust folder and trust list), the same revocation source and the same seal-status
 * source. An OFD seal carries only the signer's and the seal maker's certificates, so the CA certificates between
 * them and a root come from what this verifier already knows (the trust list's CAs, the chains the seal service
 * publishes), never from the document: they help build chains, only an anchor confers trust. A licence OFD's live
 * status at the licence service joins the verdict, as a licence PDF's does.
 */
public final class OfdCheck {

    private final TrustAnchors anchors;
    private final SealDirectory seals;
    private final RevocationSource revocation;
    private final SealStatusSource sealStatuses;
    private final LicenceStatusSource licences;
    private final OfdLimits limits;
    private final Clock clock;

    /**
     * @param revocation   null: offline (a seal whose chain could be revoked is then INDETERMINATE)
     * @param sealStatuses null: the seal's own status is not asked (no seal service configured)
     * @param licences     null: a licence OFD's live status is not asked (no licence service configured)
     */
    public OfdCheck(TrustAnchors anchors, SealDirectory seals, RevocationSource revocation, SealStatusSource sealStatuses,
             LicenceStatusSource licences, OfdLimits limits, Clock clock) {
        this.anchors = anchors;
        this.seals = seals;
        this.revocation = revocation;
        this.sealStatuses = sealStatuses;
        this.licences = licences;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * @throws cn.yinxin.core.RejectedException when the package cannot be read at all (not an OFD, zip bomb, unsafe
     *                                          entry name, DTD...): the caller answers it as problem+json
     */
    public VerificationReport verify(byte[] ofd) {
        OfdVerifier verifier = new OfdVerifier(anchors.current(), intermediates(), revocation).withLimits(limits)
                .withKnownSealMakers(anchors.sealMakers());
        if (sealStatuses != null) {
            verifier.withSealStatus(sealStatuses);
        }
        // the package is read once: the verification hands out the licence metadata it read
        Instant now = clock.instant();
        OfdVerifier.Verified verified = verifier.verifyRead(ofd, now);
        VerificationReport report = withLicenceStatus(verified);
        if (report.verdict() == Verdict.NOT_SIGNED) {
            return report;
        }
        // a 加注件 is no better than the licence OFD it carries, verified here as a document of its own (a licence file
        // that also states an annotation or attaches a licence claims to be a copy: judged as one too)
        AnnotatedCopyCheck copy = OfdCopies.of(verified, limits);
        return copy == null ? report : copy.join(report, original -> licenceInCopy(verifier, original, now), now);
    }

    /**
     * A licence OFD's report with its live status joined, as a licence PDF's is (GB/T 36903 metadata in OFD.xml's
     * CustomData, which every seal covers or the verdict is INVALID already); any other report as it is. Nothing
     * sealed: not asked (an identifier no seal signed proves nothing).
     */
    private VerificationReport withLicenceStatus(OfdVerifier.Verified verified) {
        LicenceMetadata licence = verified.licence();
        return licence == null || verified.report().verdict() == Verdict.NOT_SIGNED ? verified.report()
                : LicenceStatusCheck.join(verified.report(), licence.identifier(), licences);
    }

    /** The licence a 加注件 carries, verified as a licence OFD is (a copy inside it is not opened again). */
    private VerificationReport licenceInCopy(OfdVerifier verifier, byte[] original, Instant now) {
        try {
            return withLicenceStatus(verifier.verifyRead(original, now));
        } catch (RejectedException e) {
            return new VerificationReport(Verdict.INDETERMINATE, e.getMessage(), original.length, now, List.of());
        }
    }

    /** The CA certificates this verifier knows besides its anchors. */
    List<X509Certificate> intermediates() {
        Set<X509Certificate> known = new LinkedHashSet<>(seals.caCertificates());
        TrustList list = anchors.list();
        if (list != null) {
            // every listed CA whatever its purpose or period: the list is authentic, and a CA here only links a
            // chain; whether the chain counts is decided by the anchors of the moment
            list.cas().stream().map(TrustedCa::certificate).forEach(known::add);
        }
        return List.copyOf(known);
    }

    /**
     * The OFD package limits (zip bombs, entry counts, page sizes), each settable: YINXIN_VERIFIER_OFD_MAX_ENTRIES,
     * _MAX_ENTRY_BYTES, _MAX_TOTAL_BYTES (inflated), _MAX_RATIO, _MAX_XML_BYTES, _MAX_PAGES, _MAX_SIGNATURES; the
     * defaults are core's {@link OfdLimits#DEFAULT}.
     */
    public static OfdLimits limits(Map<String, String> env) {
        OfdLimits d = OfdLimits.DEFAULT;
        Function<String, String> value = name -> VerifierConfig.value(env, "YINXIN_VERIFIER_OFD_" + name, null);
        return new OfdLimits(
                (int) number(value.apply("MAX_ENTRIES"), d.maxEntries(), Integer.MAX_VALUE),
                number(value.apply("MAX_ENTRY_BYTES"), d.maxEntryBytes(), Long.MAX_VALUE),
                number(value.apply("MAX_TOTAL_BYTES"), d.maxTotalBytes(), Long.MAX_VALUE),
                (int) number(value.apply("MAX_RATIO"), d.maxRatio(), Integer.MAX_VALUE),
                number(value.apply("MAX_XML_BYTES"), d.maxXmlBytes(), Long.MAX_VALUE),
                (int) number(value.apply("MAX_PAGES"), d.maxPages(), Integer.MAX_VALUE),
                d.maxPageSideMm(),
                (int) number(value.apply("MAX_SIGNATURES"), d.maxSignatures(), Integer.MAX_VALUE));
    }

    private static long number(String text, long fallback, long max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        long n = Long.parseLong(text.strip()); // a typo stops the start (fail closed), not a silent default
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("an OFD limit must be between 1 and " + max + ": " + n);
        }
        return n;
    }
}
