package cn.yinxin.verifier.http;

import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.ofd.OfdCheck;
import cn.yinxin.verifier.pdf.PdfCheck;
import cn.yinxin.verifier.qr.PersonalData;
import cn.yinxin.verifier.qr.PresentationCheck;
import cn.yinxin.verifier.qr.QrCheck;
import cn.yinxin.core.qr.QrImages;
import cn.yinxin.verifier.report.ReportSealer;
import cn.yinxin.verifier.report.ServiceCredentials;
import cn.yinxin.verifier.trust.SignerRevocation;
import cn.yinxin.verifier.trust.StatusLists;
import cn.yinxin.verifier.trust.StatusLookup;
import cn.yinxin.verifier.trust.TrustAnchors;
import cn.yinxin.verifier.trust.TrustStatus;
import cn.yinxin.verifier.trust.seals.SealDirectory;

import java.time.Clock;
import java.time.Duration;

/**
 * The verifier's parts, made once at start from its settings, its trust (anchors and seals, already loaded) and
 * its one clock: the checks the routes call. Nothing here listens or answers; the routes do.
 */
final class Wiring {

    final VerifierConfig config;
    final TrustAnchors anchors;
    final SealDirectory seals;
    final TrustStatus trustStatus;
    final PdfCheck pdf;
    /** OFD verification, with the same trust, revocation and seal statuses as {@link #pdf}. */
    final OfdCheck ofd;
    final QrCheck qr;
    final QrImages qrImages;
    final PresentationCheck presentations;
    final PersonalData personalData;
    /** null: no sealed reports (no seal service or report seal configured). */
    final ReportSealer reportSealer;

    Wiring(VerifierConfig config, TrustAnchors anchors, SealDirectory seals, Clock clock, VerifierMetrics metrics) {
        Duration timeout = Duration.ofSeconds(config.revocationTimeoutSeconds());
        this.config = config;
        this.anchors = anchors;
        this.seals = seals;
        this.pdf = new PdfCheck(config, anchors, clock);
        this.ofd = new OfdCheck(anchors, seals, config.onlineRevocation() ? new OnlineRevocationSource(timeout) : null,
                config.sealsUrl() == null ? null : StatusLookup.seals(config.sealsUrl(), timeout),
                config.licencesUrl() == null ? null : StatusLookup.licences(config.licencesUrl(), timeout),
                OfdCheck.limits(System.getenv()), clock);
        this.presentations = new PresentationCheck(config.licencesUrl(), timeout);
        this.personalData = new PersonalData(config.licencesUrl(), timeout);
        this.reportSealer = config.sealsUrl() == null || config.reportSealId() == null ? null
                : new ReportSealer(config.sealsUrl(), config.reportSealId(), ServiceCredentials.fromEnvironment(clock),
                Duration.ofSeconds(config.reportTimeoutSeconds()));
        this.trustStatus = new TrustStatus(config, anchors, seals, clock);
        this.qr = new QrCheck(anchors::current, seals, new SignerRevocation(config.onlineRevocation()
                ? new OnlineRevocationSource(timeout) : null, clock), trustStatus, anchors::list, clock)
                .withStatusLists(statusLists(config, clock, metrics));
        this.qrImages = new QrImages(config.maxImagePixels(), QrSigner.DEFAULT_PREFIX);
    }

    /** The kept status lists of licence codes; their age is a metric (how stale an offline answer may be). */
    private static StatusLists statusLists(VerifierConfig config, Clock clock, VerifierMetrics metrics) {
        StatusLists lists = new StatusLists(config.sealsCache() == null ? null
                : config.sealsCache().toAbsolutePath().resolveSibling("status-lists"),
                Duration.ofSeconds(config.maxStalenessSeconds()),
                config.onlineRevocation() ? config.lists().statusListMaxAge() : null,
                config.lists().statusListMaxTtl(), config.statusListAddresses(), config.lists().statusListSizes(),
                clock);
        metrics.statusListAge(lists::oldestAgeSeconds);
        return lists;
    }
}
