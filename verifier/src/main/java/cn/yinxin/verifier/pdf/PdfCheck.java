package cn.yinxin.verifier.pdf;

import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.longterm.RevocationFreshness;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.trust.StatusLookup;
import cn.yinxin.verifier.trust.TrustAnchors;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Verifies a PDF with this verifier's trust: core's {@link PdfVerifier} over the trust anchors and seal makers of
 * the moment (made again when they change, whether or not the list did), the verifier's revocation source, its
 * limits on one verification, and the live statuses at the seal service (a national seal's own status) and the
 * licence service (a licence PDF's status).
 */
public final class PdfCheck {

    private final VerifierConfig config;
    private final Clock clock;
    private final TrustAnchors trust;
    /** The verifier, and the anchors and seal makers it was made with. */
    private volatile Made made;

    private record Made(List<X509Certificate> anchors, List<X509Certificate> sealMakers, PdfVerifier verifier) {
    }

    /**
     * @param trust the anchors and other products' seal makers of the moment ({@link TrustAnchors#current},
     *              {@link TrustAnchors#sealMakers}), asked at each verification: they change without a new list too
     *              (an entry's validFrom or validUntil passing, the list past nextUpdate + grace)
     */
    public PdfCheck(VerifierConfig config, TrustAnchors trust, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.trust = trust;
        this.made = make(trust.current(), trust.sealMakers());
    }

    /** Validates against the anchors and seal makers of the moment from now on (the trust list changed). */
    public void trustChanged() {
        made = make(trust.current(), trust.sealMakers());
    }

    /** Blocking: call on a PDF worker. */
    public VerificationReport verify(byte[] pdf) {
        List<X509Certificate> anchors = trust.current();
        List<X509Certificate> sealMakers = trust.sealMakers();
        Made now = made;
        if (now.anchors() != anchors || !now.sealMakers().equals(sealMakers)) {
            // the same list object while the anchors stay the same (TrustAnchors.current): made again only on a change
            now = make(anchors, sealMakers);
            made = now;
        }
        return now.verifier().verify(pdf);
    }

    private Made make(List<X509Certificate> anchors, List<X509Certificate> sealMakers) {
        return new Made(anchors, List.copyOf(sealMakers), newVerifier(anchors, sealMakers));
    }

    private PdfVerifier newVerifier(Collection<X509Certificate> roots, Collection<X509Certificate> sealMakers) {
        Duration timeout = Duration.ofSeconds(config.revocationTimeoutSeconds());
        PdfVerifier verifier = new PdfVerifier(roots, config.onlineRevocation()
                ? new OnlineRevocationSource(timeout) : null).withLimits(config.verifyLimits(), clock)
                .withRevocationFreshness(RevocationFreshness.fromSettings(name -> VerifierConfig.value(System.getenv(),
                        name, null))).withKnownSealMakers(sealMakers);
        if (config.sealsUrl() != null) {
            // national-mode seals: the seal's own status at the seal service that issued it
            verifier.withSealStatus(StatusLookup.seals(config.sealsUrl(), timeout));
        }
        return config.licencesUrl() == null ? verifier
                : verifier.withLicenceStatus(StatusLookup.licences(config.licencesUrl(), timeout));
    }
}
