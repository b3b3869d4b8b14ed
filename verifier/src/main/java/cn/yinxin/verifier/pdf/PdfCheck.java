package cn.yinxin.verifier.pdf;

import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.longterm.RevocationFreshness;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.trust.StatusLookup;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;

/**
 * Verifies a PDF with this verifier's trust: core's {@link PdfVerifier} over the trust anchors of the moment (made
 * again when they change), the verifier's revocation source, its limits on one verification, and the live statuses
 * at the seal service (a national seal's own status) and the licence service (a licence PDF's status).
 */
public final class PdfCheck {

    private final VerifierConfig config;
    private final Clock clock;
    private volatile PdfVerifier verifier;

    /** @param sealMakers other products' seal makers the trust list recognises (TrustAnchors.sealMakers) */
    public PdfCheck(VerifierConfig config, Collection<X509Certificate> anchors, Collection<X509Certificate> sealMakers,
                    Clock clock) {
        this.config = config;
        this.clock = clock;
        this.verifier = newVerifier(anchors, sealMakers);
    }

    /** Validates against these anchors and seal makers from now on (the trust list changed). */
    public void trustChanged(Collection<X509Certificate> anchors, Collection<X509Certificate> sealMakers) {
        verifier = newVerifier(anchors, sealMakers);
    }

    /** Blocking: call on a PDF worker. */
    public VerificationReport verify(byte[] pdf) {
        return verifier.verify(pdf);
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
