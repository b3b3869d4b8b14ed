package cn.yinxin.verifier.trust;

import cn.yinxin.core.trust.TrustList;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.trust.seals.SealDirectory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How fresh the verifier's trust data is: the signed trust list (aged by its own signed {@code issuedAt}, so a
 * copied old file cannot pass for new) and the seal certificates with their statuses (aged by when they were
 * fetched from the seal service). Past {@link VerifierConfig#maxStalenessSeconds()} a QR code can no longer be
 * VALID: a revoked seal or a withdrawn CA would go unnoticed.
 */
public final class TrustStatus {

    private final VerifierConfig config;
    private final TrustAnchors anchors;
    private final SealDirectory seals;
    private final Clock clock;

    public TrustStatus(VerifierConfig config, TrustAnchors anchors, SealDirectory seals, Clock clock) {
        this.config = config;
        this.anchors = anchors;
        this.seals = seals;
        this.clock = clock;
    }

    Duration limit() {
        return Duration.ofSeconds(config.maxStalenessSeconds());
    }

    /** Null when the data is fresh enough; else why it is not, in a sentence. */
    public String staleness() {
        Instant now = clock.instant();
        Duration limit = limit();
        TrustList list = anchors.list();
        if (list != null && !anchors.listUsable(now)) {
            return "Trust data too old: the trust list (sequence " + list.sequence() + ") was due to be replaced at "
                    + list.nextUpdate() + " and no newer one could be had before " + anchors.listUsableUntil()
                    + " (the grace): the CAs it recognised are not trusted until one comes.";
        }
        if (list != null && list.issuedAt().plus(limit).isBefore(now)) {
            return "Trust data too old: the trust list in use (sequence " + list.sequence() + ") was issued at "
                    + list.issuedAt() + ", more than " + human(limit) + " ago, and no newer one could be fetched.";
        }
        Instant fetched = seals.fetchedAt();
        if (seals.configured() && fetched != null && fetched.plus(limit).isBefore(now)) {
            return "Trust data too old: the seal certificates and statuses were last fetched at " + fetched
                    + ", more than " + human(limit) + " ago.";
        }
        return null;
    }

    /**
     * The trust data as it stands now, for GET /api/v1/trust-status and the offline page (the HTTP edge writes it).
     *
     * @param list          the authentic trust list in use (null: none); its times and CAs are shown when present
     * @param staleReason   why the data is too old (null: fresh enough)
     */
    public record Report(Instant now, int trustedRoots, boolean listConfigured, String listLastRefused, TrustList list,
                         Instant listUsableUntil, boolean listUsable, Instant listFetchedAt, String listSource,
                         boolean sealsConfigured, int sealCount, Instant sealsFetchedAt, String sealsSource,
                         String sealsLastError, boolean onlineRevocation, long maxStalenessSeconds,
                         String staleReason) {
    }

    public Report report() {
        Instant now = clock.instant();
        TrustList list = anchors.list();
        return new Report(now, anchors.roots(), anchors.listConfigured(), anchors.lastRefusal(), list,
                list == null ? null : anchors.listUsableUntil(), list != null && anchors.listUsable(now),
                anchors.fetchedAt(), anchors.source(), seals.configured(), seals.size(), seals.fetchedAt(),
                seals.source(), seals.lastError(), config.onlineRevocation(), config.maxStalenessSeconds(),
                staleness());
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 86400 == 0) {
            return seconds / 86400 + (seconds == 86400 ? " day" : " days");
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + (seconds == 3600 ? " hour" : " hours");
        }
        return seconds + " seconds";
    }
}
