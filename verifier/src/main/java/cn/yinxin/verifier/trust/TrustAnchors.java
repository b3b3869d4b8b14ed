package cn.yinxin.verifier.trust;

import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.trust.TrustList;
import cn.yinxin.core.trust.TrustListRules;
import cn.yinxin.core.trust.TrustedCa.Purpose;
import cn.yinxin.verifier.config.VerifierConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * What the verifier trusts: the roots in its trust folder, plus the CAs of the ca-service's signed trust list
 * (mutual recognition), once the list is proved to be signed by the trust-list signer (its key purpose, or the pinned
 * certificate) under one of those roots. The last authentic list is kept on disk, so a verifier that starts offline
 * still knows the recognised CAs, but only until the list's nextUpdate plus a grace ({@link TrustListRules}): after
 * that its CAs are not trusted (fail closed). A new list replaces the kept one only forward, by a bounded step.
 */
public final class TrustAnchors {

    /** Named as before the packages were split (issue 21): log searches and alerts look for this name. */
    private static final Logger log = Logger.getLogger("cn.yinxin.verifier.TrustAnchors");
    private static final Set<Purpose> SIGNATURES = Set.of(Purpose.AGENCY_SEALS, Purpose.PERSONAL_SIGNATURES);

    private final VerifierConfig config;
    private final Clock clock;
    private final TrustListRules rules;
    private final List<X509Certificate> roots;
    /** Why the last list offered was refused (null: none was), for the trust status. */
    private volatile String lastRefusal;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile TrustList list;
    /** When the current list was last confirmed from the ca-service (null: only from the cache, or never). */
    private volatile Instant fetchedAt;
    private volatile String source;

    public TrustAnchors(VerifierConfig config, Clock clock) throws Exception {
        this.config = config;
        this.clock = clock;
        this.rules = config.lists().trustListRules();
        this.roots = Files.isDirectory(config.trustDir()) ? Pem.readFolder(config.trustDir()) : List.of();
        if (roots.isEmpty()) {
            log.warning("No trusted roots in " + config.trustDir().toAbsolutePath()
                    + ": no chain can be confirmed, every signature will be INDETERMINATE.");
        }
        if (config.trustListCache() != null && Files.isRegularFile(config.trustListCache())) {
            accept(Files.readString(config.trustListCache()), "the cached copy");
        }
    }

    /**
     * The anchors worked out for one list, and the times between which they stay the same (the list's CAs are
     * valid for given periods: the set changes only when one of those periods starts or ends).
     */
    private record Computed(TrustList list, Instant from, Instant until, List<X509Certificate> anchors) {
    }

    private volatile Computed computed;

    /**
     * The anchors to validate signatures against now. The same list object as long as they do not change, so
     * what is worked out from them (the seals' chains) can be kept.
     */
    public List<X509Certificate> current() {
        Instant now = clock.instant();
        TrustList snapshot = list;
        TrustList known = snapshot;
        Computed kept = computed;
        if (kept != null && kept.list() == snapshot && !now.isBefore(kept.from()) && now.isBefore(kept.until())) {
            return kept.anchors();
        }
        Set<X509Certificate> all = new LinkedHashSet<>(roots);
        Instant until = Instant.MAX;
        if (known != null && !rules.usable(known, now)) {
            known = null; // past nextUpdate + grace: the trust folder alone, until a newer list comes
        } else if (known != null) {
            until = rules.usableUntil(known);
            all.addAll(known.anchors(now, SIGNATURES));
            for (var ca : known.cas()) {
                // validAt is inclusive at both ends: the set changes at validFrom, and just after validUntil
                if (ca.validFrom().isAfter(now) && ca.validFrom().isBefore(until)) {
                    until = ca.validFrom();
                }
                if (!ca.validUntil().isBefore(now) && ca.validUntil().plusNanos(1).isBefore(until)) {
                    until = ca.validUntil().plusNanos(1);
                }
            }
        }
        List<X509Certificate> anchors = List.copyOf(all);
        computed = new Computed(snapshot, now, until, anchors);
        return anchors;
    }

    /**
     * The seal makers the list in use recognises now (its SEAL_MAKING entries), none without a usable list: another
     * product's or province's seal maker, whose GB/T 38540 seals are then believed without our key purpose.
     */
    public List<X509Certificate> sealMakers() {
        Instant now = clock.instant();
        TrustList known = list;
        return known == null || !rules.usable(known, now) ? List.of() : known.sealMakers(now);
    }

    public int roots() {
        return roots.size();
    }

    public Long listSequence() {
        TrustList known = list;
        return known == null ? null : known.sequence();
    }

    /** The authentic list in use, or null. */
    public TrustList list() {
        return list;
    }

    /** Whether the list in use still counts at {@code now} (not past its nextUpdate plus the grace). */
    boolean listUsable(Instant now) {
        TrustList known = list;
        return known != null && rules.usable(known, now);
    }

    /** When the list in use stops counting; null without a list. */
    Instant listUsableUntil() {
        TrustList known = list;
        return known == null ? null : rules.usableUntil(known);
    }

    /** Why the last list offered was refused; null when none was. */
    String lastRefusal() {
        return lastRefusal;
    }

    boolean listConfigured() {
        return config.trustListUrl() != null;
    }

    /** When the list in use was last fetched from (or confirmed by) the ca-service; null if never in this run. */
    Instant fetchedAt() {
        return fetchedAt;
    }

    /** Where the list in use came from: the ca-service's address, or "the cached copy". */
    String source() {
        return source;
    }

    /** Fetches the list; keeps the one it has when the new one cannot be had or is not authentic. */
    public boolean refresh() {
        if (config.trustListUrl() == null) {
            return false;
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(config.trustListUrl()))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                log.warning("Trust list fetch answered " + response.statusCode() + "; keeping the current list");
                return false;
            }
            return accept(response.body(), config.trustListUrl());
        } catch (IOException e) {
            log.warning("Trust list not reachable (" + e.getMessage() + "); keeping the current list");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean accept(String jws, String source) {
        try {
            Instant now = clock.instant();
            TrustList candidate = TrustList.verify(jws, roots, now, config.lists().trustListSigners());
            TrustList known = list;
            String refusal = rules.refusal(candidate, known, now);
            if (refusal != null) {
                lastRefusal = "the trust list " + candidate.sequence() + " from " + source + " at " + now + ": " + refusal;
                log.warning("Ignoring " + lastRefusal);
                if (known == null && !rules.usable(candidate, now) && rules.refusal(candidate, null, candidate.issuedAt()) == null) {
                    // authentic and only out of date (a cached copy at an offline start): kept to report, never
                    // used (current() leaves out an unusable list), so the trust data shows as stale, not as absent
                    list = candidate;
                    this.source = source;
                }
                return false;
            }
            if (known != null && candidate.sequence() == known.sequence() && !source.equals("the cached copy")) {
                fetchedAt = now;
                this.source = source;
                return false;
            }
            list = candidate;
            this.source = source;
            if (!source.equals("the cached copy")) {
                fetchedAt = now;
            }
            if (config.trustListCache() != null && !source.equals("the cached copy")) {
                Files.createDirectories(config.trustListCache().toAbsolutePath().getParent());
                Path temporary = Files.createTempFile(config.trustListCache().toAbsolutePath().getParent(), "trust-list", ".tmp");
                Files.writeString(temporary, jws);
                Files.move(temporary, config.trustListCache(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            log.info("Trust list " + candidate.sequence() + " from " + source + ": " + candidate.cas().size() + " CAs");
            return true;
        } catch (Exception e) {
            lastRefusal = "the trust list from " + source + " at " + clock.instant() + ": " + e.getMessage();
            log.warning("Rejected " + lastRefusal);
            return false;
        }
    }
}
