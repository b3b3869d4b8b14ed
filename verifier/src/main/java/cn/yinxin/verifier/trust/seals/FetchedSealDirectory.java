package cn.yinxin.verifier.trust.seals;

import cn.yinxin.verifier.config.VerifierConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The seal directory the verifier runs with: the seals the seal service publishes ({@link SealService}), each
 * with its status, kept on disk ({@link SealCache}) so a verifier that starts offline still knows them, and the
 * signers among them worked out once per set of trust anchors ({@link SignerChains}).
 */
public final class FetchedSealDirectory implements SealDirectory {

    /** Named as before the packages were split (issue 21): log searches and alerts look for this name. */
    private static final Logger log = Logger.getLogger("cn.yinxin.verifier.SealDirectory");
    private static final String CACHE_SOURCE = "the cached copy";
    /** An unknown key id triggers a fetch, but not more often than this. */
    public static final Duration MIN_REFETCH = Duration.ofSeconds(10);

    /** null: no seal service configured. */
    private final SealService service;
    private final SealCache cache;
    private final SignerChains chains;
    private final Clock clock;
    private volatile List<Seal> seals = List.of();
    private volatile Instant fetchedAt;
    private volatile String source;
    private volatile Instant lastOnDemand = Instant.EPOCH;
    private volatile String lastError;

    /** The signers computed for one set of anchors and one fetch of seals. */
    private record Computed(List<X509Certificate> anchors, List<Seal> seals, Signers signers) {
    }

    private volatile Computed computed;

    public FetchedSealDirectory(VerifierConfig config, Clock clock) {
        this(config.sealsUrl(), config.sealsCache(), clock);
    }

    /** @param sealsUrl null: no seal service (nothing is fetched, no QR code can be confirmed) */
    public FetchedSealDirectory(String sealsUrl, Path cacheFile, Clock clock) {
        this.service = sealsUrl == null ? null : new SealService(sealsUrl);
        this.cache = new SealCache(cacheFile);
        this.chains = new SignerChains(clock);
        this.clock = clock;
        if (service != null) {
            readCache();
        }
    }

    private void readCache() {
        try {
            JsonObject cached = cache.read();
            if (cached == null) {
                return;
            }
            seals = SealJson.parse(cached.getJsonArray("seals"));
            fetchedAt = Instant.parse(cached.getString("fetchedAt"));
            source = CACHE_SOURCE;
            log.info(seals.size() + " seal certificates from " + cache.file() + " (fetched " + fetchedAt + ")");
        } catch (Exception e) {
            log.warning("Ignoring the seal cache " + cache.file() + ": " + e.getMessage());
        }
    }

    @Override
    public boolean configured() {
        return service != null;
    }

    @Override
    public Instant fetchedAt() {
        return fetchedAt;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public int size() {
        return seals.size();
    }

    @Override
    public List<X509Certificate> caCertificates() {
        Set<X509Certificate> cas = new LinkedHashSet<>();
        for (Seal seal : seals) {
            cas.addAll(seal.chain().subList(1, seal.chain().size()));
            seal.previous().forEach(earlier -> cas.addAll(earlier.chain().subList(1, earlier.chain().size())));
        }
        return List.copyOf(cas);
    }

    /** At most once every {@link #MIN_REFETCH}. */
    @Override
    public synchronized boolean mayRefetch() {
        Instant now = clock.instant();
        if (!configured() || now.isBefore(lastOnDemand.plus(MIN_REFETCH))) {
            return false;
        }
        lastOnDemand = now;
        return true;
    }

    /** Fetches the seals and their chains; keeps what it has when the seal service cannot be reached. */
    @Override
    public synchronized boolean refresh() {
        if (service == null) {
            return false;
        }
        String base = service.base();
        try {
            JsonArray list = service.seals();
            JsonArray stored = new JsonArray();
            for (int i = 0; i < list.size(); i++) {
                JsonObject entry = entry(list.getJsonObject(i));
                if (entry != null) {
                    stored.add(entry);
                }
            }
            List<Seal> fetched = SealJson.parse(stored);
            Instant now = clock.instant();
            seals = fetched;
            fetchedAt = now;
            source = base;
            lastError = null;
            cache.write(new JsonObject().put("fetchedAt", now.toString()).put("source", base).put("seals", stored));
            log.info(fetched.size() + " seal certificates from " + base);
            return true;
        } catch (Exception e) {
            lastError = e.getMessage() == null ? e.toString() : e.getMessage();
            log.warning("Seal certificates not fetched from " + base + " (" + lastError
                    + "); keeping the " + seals.size() + " known");
            return false;
        }
    }

    /**
     * The entry to keep for one seal view: with its chains as fetched now, else as known from before (one failed
     * call does not make a seal unknown); null when neither can be had.
     */
    private JsonObject entry(JsonObject view) {
        String id = view.getString("id");
        try {
            SealService.Chains fetched = service.chains(id);
            JsonArray previous = new JsonArray();
            fetched.previous().forEach(previous::add);
            return SealJson.entry(view, id, fetched.current(), previous);
        } catch (IOException e) {
            Seal known = seals.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
            String pem = known == null ? null : SealJson.pemOf(known.chain());
            log.warning("No certificate for seal " + id + " (" + e.getMessage() + ")"
                    + (pem == null ? "" : "; keeping the one known"));
            return pem == null ? null : SealJson.entry(view, id, pem, SealJson.previousOf(known));
        }
    }

    @Override
    public Signers signersKnown(List<X509Certificate> anchors) {
        Computed known = computed;
        return known != null && known.seals() == seals && known.anchors().equals(anchors) ? known.signers() : null;
    }

    @Override
    public Signers signers(List<X509Certificate> anchors) {
        List<Seal> seals = this.seals;
        Computed known = computed;
        if (known != null && known.seals() == seals && known.anchors().equals(anchors)) {
            return known.signers();
        }
        Signers result = chains.build(seals, anchors);
        computed = new Computed(List.copyOf(anchors), seals, result);
        return result;
    }
}
