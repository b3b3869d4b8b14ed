package cn.yinxin.verifier.trust;

import cn.yinxin.core.pki.ReadableNames;
import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.qr.QrVerifier;
import cn.yinxin.core.qr.StatusList;
import cn.yinxin.verifier.config.ListSettings;
import cn.yinxin.verifier.http.RequestIds;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;

/**
 * The licence status lists (IETF Token Status List, CWT) the verifier has seen: fetched from the address a
 * licence code names (only addresses under the configured status-list prefixes: a code must not make the verifier
 * fetch from anywhere it likes), verified with the same seal certificates as the codes, kept in memory and on disk.
 * A list counts for a licence only when a seal of the licence's own issuer signed it ({@code issuedBy}): any seal's
 * user can have the seal service sign a token, and the list travels over plain HTTP.
 *
 * <p>Freshness: online, a kept list is asked for again (If-None-Match, so an unchanged list costs a 304) once it is
 * older than a few seconds ({@code refreshAfter}, 4 s by default), so a revocation shows within 5 s; offline, once its time-to-live
 * (bounded by {@code maxTtl}) has passed. An index beyond the kept list (a licence issued since) asks again before
 * answering. A list past its {@code exp} is not used; a list issued before the kept one never replaces it. When the
 * list server cannot be asked, the kept list answers until it is older than the staleness limit, and says how old.
 */
public final class StatusLists {

    /**
     * A status read from a list: when that list was issued, when its server last confirmed it, and whether it was
     * kept from before (not fetched or confirmed for this answer).
     */
    public record Status(int value, Instant listIssuedAt, Instant confirmedAt, boolean fromCache) {
    }

    private record Entry(byte[] bits, int bitsPerEntry, Instant issuedAt, Instant expiresAt, Instant fetchedAt,
                         long ttlSeconds, X509Certificate signer, String etag) {

        Entry confirmedAt(Instant when) {
            return new Entry(bits, bitsPerEntry, issuedAt, expiresAt, when, ttlSeconds, signer, etag);
        }

        boolean expired(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }

        /** Whether the list has an entry at {@code index} (counted without overflow: the index comes from a code). */
        boolean covers(long index) {
            return index >= 0 && index < (long) bits.length * 8 / bitsPerEntry;
        }

        /** Whether the list is older than its own time-to-live (and the clocks' skew) allows it to be current. */
        boolean pastItsTime(Instant now) {
            return issuedAt.plusSeconds(Math.max(0, ttlSeconds)).plus(SKEW).isBefore(now);
        }
    }

    /** How far the clocks of the list's signer and this verifier may differ. */
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final int STATUS_LIST = 65533;
    private static final int TTL = 65534;

    private final Path folder;
    private final Duration maxStaleness;
    private final Duration refreshAfter;
    private final Duration maxTtl;
    private final List<String> addresses;
    private final ListSettings.StatusListSizes sizes;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Entry> lists = new ConcurrentHashMap<>();
    /** The number of the last fetch attempted per list, so scans that waited for it do not ask again at once. */
    private final Map<String, Long> attempts = new ConcurrentHashMap<>();
    private final AtomicLong attempt = new AtomicLong();
    /** One fetch of a list at a time: many scans at once wait for it rather than each asking the server. */
    private final Object[] fetching = new Object[64];

    /**
     * @param refreshAfter online: a kept list older than this is asked for again (null: offline, its ttl only)
     * @param maxTtl       the most a list's own time-to-live may ask for
     * @param addresses    the status-list address prefixes a code may name ({@link ListSettings#allowed})
     */
    public StatusLists(Path folder, Duration maxStaleness, Duration refreshAfter, Duration maxTtl, List<String> addresses,
                Clock clock) {
        this(folder, maxStaleness, refreshAfter, maxTtl, addresses, ListSettings.StatusListSizes.DEFAULTS, clock);
    }

    /** @param sizes how large a list may be, as fetched and once inflated */
    public StatusLists(Path folder, Duration maxStaleness, Duration refreshAfter, Duration maxTtl, List<String> addresses,
                ListSettings.StatusListSizes sizes, Clock clock) {
        this.sizes = sizes;
        this.folder = folder;
        this.maxStaleness = maxStaleness;
        this.refreshAfter = refreshAfter;
        this.maxTtl = maxTtl;
        this.addresses = List.copyOf(addresses);
        this.clock = clock;
        for (int i = 0; i < fetching.length; i++) {
            fetching[i] = new Object();
        }
    }

    /**
     * Seconds since the least recently confirmed kept list was last confirmed by its server (NaN while no list is
     * kept): online it stays within a few seconds of {@code refreshAfter}; a rising value means a list server cannot
     * be reached and answers come from kept lists, until they pass the staleness limit.
     */
    public double oldestAgeSeconds() {
        Instant now = clock.instant();
        return lists.values().stream().mapToDouble(e -> Duration.between(e.fetchedAt(), now).toMillis() / 1000.0)
                .max().orElse(Double.NaN);
    }

    /**
     * A fetched list whose signer this verifier does not know (yet): its seal may have been renewed since the seals
     * were fetched, so the caller may ask the seal service again before it falls back on a kept list.
     */
    public static final class UnknownSigner extends IOException {
        UnknownSigner(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A code naming a status-list address outside the configured ones: nothing is fetched. */
    static final class AddressNotAllowed extends IOException {
        AddressNotAllowed(String message) {
            super(message);
        }
    }

    /**
     * The status at {@code index} of the list at {@code uri}, its token verified with {@code verifier} and signed
     * by a certificate {@code issuedBy} accepts at the list's issue time (a seal of the licence's issuer). A fetched
     * list is kept only once it is accepted, so a list from the wrong signer never displaces a good one.
     *
     * @param unknownSignerFails whether a fetched list with an unknown signer fails at once ({@link UnknownSigner})
     *                           instead of leaving the answer to a kept list
     * @throws IOException when no acceptable list fresh enough can be had (online nor kept)
     */
    public Status status(String uri, long index, QrVerifier verifier, BiPredicate<X509Certificate, Instant> issuedBy,
                  boolean unknownSignerFails) throws IOException {
        if (!ListSettings.allowed(uri, addresses)) {
            throw new AddressNotAllowed("the code names the status list " + uri + ", which is not under this verifier's "
                    + "status-list addresses " + (addresses.isEmpty() ? "(none configured: YINXIN_LICENCES_URL or "
                    + "YINXIN_VERIFIER_STATUS_LIST_URLS)" : addresses) + "; it was not fetched");
        }
        if (!lists.containsKey(uri)) {
            load(uri, verifier);
        }
        Instant now = clock.instant();
        Entry entry = usable(lists.get(uri), issuedBy, now);
        boolean cached = true;
        if (entry == null || due(entry, now) || !entry.covers(index)) {
            long seen = attempts.getOrDefault(uri, 0L);
            synchronized (fetching[Math.floorMod(uri.hashCode(), fetching.length)]) {
                now = clock.instant();
                Entry latest = usable(lists.get(uri), issuedBy, now);
                boolean askedMeanwhile = attempts.getOrDefault(uri, 0L) != seen;
                if (latest != null && latest != entry && !due(latest, now) && latest.covers(index)) {
                    entry = latest; // another scan fetched it while this one waited
                    cached = false;
                } else if (askedMeanwhile) {
                    // another scan asked the server while this one waited, and got no better list: asking again at
                    // once would only make every waiting scan wait out the same timeout in turn
                    entry = latest;
                    if (entry == null || tooOldToAnswer(entry, now)) {
                        throw new IOException("no status list from " + uri + " (its server did not give one just now)");
                    }
                } else {
                    entry = latest;
                    try {
                        entry = refreshed(uri, latest, verifier, issuedBy, now);
                        cached = false;
                    } catch (IOException | RuntimeException e) {
                        if (unknownSignerFails && e instanceof RejectedException refused
                                && refused.problem() == Problem.UNKNOWN_QR_SIGNER) {
                            throw new UnknownSigner("the status list at " + uri + " is signed with an unknown key", e);
                        }
                        if (entry == null || tooOldToAnswer(entry, now)) {
                            throw new IOException("no status list from " + uri + " (" + e.getMessage() + ")"
                                    + (entry == null ? "" : " and the kept one of " + entry.issuedAt() + " is too old"), e);
                        }
                    } finally {
                        // counted when done: a scan that read the count before this one finished skips asking again
                        attempts.put(uri, attempt.incrementAndGet());
                    }
                }
            }
        }
        if (!entry.covers(index)) {
            throw new IOException("index " + index + " is outside the status list of " + entry.issuedAt() + " ("
                    + entry.bits().length * 8L / entry.bitsPerEntry() + " entries), also as fetched now");
        }
        long bit = index * entry.bitsPerEntry();
        int value = (entry.bits()[(int) (bit / 8)] >> (bit % 8)) & ((1 << entry.bitsPerEntry()) - 1);
        return new Status(value, entry.issuedAt(), entry.fetchedAt(), cached);
    }

    /** The kept list if it may answer for this licence now: signed by its issuer's seal and not past its exp. */
    private static Entry usable(Entry entry, BiPredicate<X509Certificate, Instant> issuedBy, Instant now) {
        if (entry == null || entry.expired(now) || !issuedBy.test(entry.signer(), entry.issuedAt())) {
            return null; // kept for a licence of another issuer (or its seal is no longer one to trust), or expired
        }
        return entry;
    }

    /**
     * Whether a kept list may no longer answer when a new one cannot be had: online, once it is past its own
     * time-to-live (a verifier that cannot reach the issuer must not keep calling a revoked licence valid); offline,
     * after the staleness limit, its age always shown with the answer.
     */
    private boolean tooOldToAnswer(Entry entry, Instant now) {
        return refreshAfter != null ? entry.pastItsTime(now) : entry.issuedAt().plus(maxStaleness).isBefore(now);
    }

    /** Whether the kept list must be asked for again before it answers. */
    private boolean due(Entry entry, Instant now) {
        Duration age = Duration.ofSeconds(Math.max(0, entry.ttlSeconds()));
        if (refreshAfter != null && refreshAfter.compareTo(age) < 0) {
            age = refreshAfter;
        }
        return !now.isBefore(entry.fetchedAt().plus(age));
    }

    /**
     * The list as its server has it now: the kept one confirmed (304 to If-None-Match), or a new one that is signed
     * by the licence's issuer and not older than the kept one.
     */
    private Entry refreshed(String uri, Entry kept, QrVerifier verifier, BiPredicate<X509Certificate, Instant> issuedBy,
                            Instant now) throws IOException {
        Fetched fetched = fetch(uri, verifier, kept == null ? null : kept.etag());
        if (fetched == null) {
            if (kept.pastItsTime(now)) {
                // the issuer signs its lists again within their time-to-live: a "not modified" for an older one did
                // not come from it (a replay, or a cache on the way)
                throw new IOException("the status list at " + uri + " was confirmed unchanged, but the one kept was "
                        + "issued at " + kept.issuedAt() + ", longer ago than its time-to-live");
            }
            Entry confirmed = kept.confirmedAt(now);
            lists.put(uri, confirmed);
            touch(uri, now);
            return confirmed;
        }
        Entry entry = fetched.entry();
        if (!issuedBy.test(entry.signer(), entry.issuedAt())) {
            throw new IOException("the status list at " + uri + " is signed by "
                    + ReadableNames.of(entry.signer().getSubjectX500Principal())
                    + ", not by a seal of the licence's issuer that may sign it");
        }
        if (entry.pastItsTime(now)) {
            // a list from before a revocation, replayed to a verifier that keeps none (or kept none that long)
            throw new IOException("the status list at " + uri + " now served was issued at " + entry.issuedAt()
                    + ", longer ago than its time-to-live: it is not the issuer's current list");
        }
        if (kept != null && entry.issuedAt().isBefore(kept.issuedAt())) {
            // a replayed or cached-elsewhere older list must not undo a revocation the kept one shows
            throw new IOException("the status list at " + uri + " now served was issued at " + entry.issuedAt()
                    + ", before the one kept (" + kept.issuedAt() + ")");
        }
        keep(uri, fetched);
        return entry;
    }

    /** A list as fetched: its token, and what it says. */
    private record Fetched(byte[] token, Entry entry) {
    }

    /** The list at {@code uri}; null when the server says the one with {@code etag} is still current (304). */
    private Fetched fetch(String uri, QrVerifier verifier, String etag) throws IOException {
        URI address = URI.create(uri);
        if (!"https".equals(address.getScheme()) && !"http".equals(address.getScheme())) {
            throw new IOException("a status list is fetched over http(s) only");
        }
        HttpResponse<InputStream> response;
        try {
            HttpRequest.Builder request = RequestIds.on(HttpRequest.newBuilder(address)).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/statuslist+cwt")
                    // the licence service allows public caching for half the ttl: a cache on the way must still
                    // ask it, or a revocation would wait out that half hour
                    .header("Cache-Control", "no-cache");
            if (etag != null) {
                request.header("If-None-Match", etag);
            }
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        byte[] body;
        try (InputStream in = response.body()) {
            if (response.statusCode() == 304 && etag != null) {
                return null;
            }
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            // read no more than the limit allows, whatever Content-Length says (or leaves unsaid)
            body = in.readNBytes(sizes.maxTokenBytes() + 1);
        }
        if (body.length > sizes.maxTokenBytes()) {
            throw new IOException("the status list at " + uri + " is larger than " + sizes.maxTokenBytes()
                    + " bytes, this verifier's limit (YINXIN_VERIFIER_STATUS_LIST_MAX_BYTES)");
        }
        String tag = response.headers().firstValue("ETag").filter(t -> t.length() <= 200).orElse(null);
        return new Fetched(body, parse(uri, body, verifier, clock.instant(), tag));
    }

    /** Keeps an accepted list in memory and on disk. */
    private void keep(String uri, Fetched fetched) throws IOException {
        lists.put(uri, fetched.entry());
        if (folder != null) {
            Files.createDirectories(folder);
            Files.write(file(uri), fetched.token());
        }
    }

    /** A list kept on disk (from an earlier run), verified again before it is used. */
    private void load(String uri, QrVerifier verifier) {
        try {
            Path file = file(uri);
            if (folder != null && Files.exists(file)) {
                lists.putIfAbsent(uri, parse(uri, Files.readAllBytes(file), verifier,
                        Files.getLastModifiedTime(file).toInstant(), null));
            }
        } catch (IOException | RuntimeException e) {
            // a damaged or forged file is no list
        }
    }

    /** The file's time says when the list was last confirmed, so a restart knows how old it is. */
    private void touch(String uri, Instant when) {
        try {
            if (folder != null && Files.exists(file(uri))) {
                Files.setLastModifiedTime(file(uri), FileTime.from(when));
            }
        } catch (IOException e) {
            // the kept list is then taken as older than it is after a restart: asked for sooner, no harm
        }
    }

    private Entry parse(String uri, byte[] token, QrVerifier verifier, Instant fetchedAt, String etag) {
        var verified = verifier.verifyToken(token, sizes.maxTokenBytes());
        var claims = verified.claims();
        if (!uri.equals(claims.get(2))) {
            throw new RejectedException(Problem.QR_INVALID, "the status list names another address");
        }
        if (!(claims.get(STATUS_LIST) instanceof Map<?, ?> list) || !(list.get("lst") instanceof byte[] lst)
                || !(list.get("bits") instanceof Number bits)) {
            throw new RejectedException(Problem.QR_INVALID, "the token is not a status list");
        }
        int bitsPerEntry = bits.intValue();
        if (bitsPerEntry != 1 && bitsPerEntry != 2 && bitsPerEntry != 4 && bitsPerEntry != 8) {
            throw new RejectedException(Problem.QR_INVALID, "a status list has 1, 2, 4 or 8 bits per entry");
        }
        // the list's own time-to-live, but never longer than this verifier allows (a list must not ask to be
        // believed for a year)
        long ttl = Math.min(claims.get(TTL) instanceof Number n ? Math.max(0, n.longValue()) : maxTtl.toSeconds(),
                maxTtl.toSeconds());
        return new Entry(StatusList.decompress(lst, bitsPerEntry, sizes.maxInflatedBytes()).packed(), bitsPerEntry, claims.issuedAt(), claims.expiresAt(), fetchedAt, ttl,
                verified.signer(), etag);
    }

    private Path file(String uri) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8));
            return folder.resolve(HexFormat.of().formatHex(hash).substring(0, 32) + ".cwt");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
