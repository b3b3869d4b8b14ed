package cn.yinxin.verifier.trust.seals;

import cn.yinxin.verifier.qr.QrCheck;
import cn.yinxin.verifier.http.RequestIds;
import cn.yinxin.verifier.config.VerifierConfig;

import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.qr.QrVerifier.SignerDirectory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The certificates that may sign QR codes: the seal certificates the seal service publishes
 * ({@code GET /api/v1/seals} and {@code GET /api/v1/seals/{id}/certificates}: the current PEM chain and those of
 * the certificates the seal had before a renewal, so codes printed before it still verify), with each seal's
 * status. They are fetched over plain HTTP on purpose: a certificate counts only when its chain ends at one of the
 * verifier's trust anchors, so a forged or swapped certificate gains nothing. The last fetched set is kept on disk,
 * so a verifier that starts offline still knows the seals, and knows how old that knowledge is.
 */
public final class SealDirectory {

    /** Named as before the packages were split (issue 21): log searches and alerts look for this name. */
    private static final Logger log = Logger.getLogger("cn.yinxin.verifier.SealDirectory");
    private static final String CACHE_SOURCE = "the cached copy";
    /** An unknown key id triggers a fetch, but not more often than this. */
    static final Duration MIN_REFETCH = Duration.ofSeconds(10);

    /**
     * One seal as the seal service describes it: its current chain, and the chains of the certificates it had
     * before it was renewed (newest first).
     */
    public record Seal(String id, String name, String agency, String agencyCode, String status, String statusReason,
                Instant statusChangedAt, List<X509Certificate> chain, List<Earlier> previous) {

        X509Certificate certificate() {
            return chain.get(0);
        }

        /**
         * The seal as the certificate {@code certificate} names it: an earlier certificate vouches for its own
         * subject only (the listing, fetched over plain HTTP, could pair any trusted certificate with any seal).
         */
        Seal namedBy(X509Certificate certificate) {
            X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            return new Seal(id, first(attribute(subject, BCStyle.CN), name), attribute(subject, BCStyle.O),
                    attribute(subject, BCStyle.ORGANIZATION_IDENTIFIER), status, statusReason, statusChangedAt, chain,
                    previous);
        }
    }

    /** A certificate the seal had before a renewal, and when it was replaced (its key destroyed then). */
    record Earlier(List<X509Certificate> chain, Instant replacedAt) {
    }

    /**
     * A seal whose certificate chains to a trust anchor: its certificate may sign QR codes. The certificate's and
     * the seal's parts of a QR verdict are made once here, not for every code (they are shared by every answer:
     * never modified).
     */
    public record Signer(Seal seal, X509Certificate certificate, X509Certificate issuer, String kid, Instant replacedAt,
                  JsonObject certificateJson, JsonObject sealJson) {

        /** @param replacedAt null for the seal's current certificate; when an earlier one was replaced */
        Signer(Seal seal, X509Certificate certificate, X509Certificate issuer, String kid, Instant replacedAt) {
            this(seal, certificate, issuer, kid, replacedAt, QrCheck.signerJson(certificate, kid, replacedAt),
                    new JsonObject(describe(seal)));
        }
    }

    /** A seal whose certificate was not accepted, and why. */
    public record Rejected(Seal seal, String kid, String reason) {
    }

    /** The trusted signers for one set of anchors, and their certificates by key id (made once, not per code). */
    public record Signers(List<Signer> trusted, List<Rejected> rejected, SignerDirectory directory) {

        Signers(List<Signer> trusted, List<Rejected> rejected) {
            this(trusted, rejected, SignerDirectory.of(trusted.stream().map(Signer::certificate).toList()));
        }

        public Signer of(X509Certificate certificate) {
            for (Signer signer : trusted) {
                if (signer.certificate() == certificate) { // the directory hands out these very objects
                    return signer;
                }
            }
            return trusted.stream().filter(s -> s.certificate().equals(certificate)).findFirst().orElse(null);
        }

        public List<Rejected> rejectedWithKid(byte[] kid) {
            String hex = HexFormat.of().formatHex(kid);
            return rejected.stream().filter(r -> hex.equals(r.kid())).toList();
        }
    }

    private final VerifierConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile List<Seal> seals = List.of();
    private volatile Instant fetchedAt;
    private volatile String source;
    private volatile Instant lastOnDemand = Instant.EPOCH;
    private volatile String lastError;
    /** The signers computed for one set of anchors and one fetch of seals. */
    private record Computed(List<X509Certificate> anchors, List<Seal> seals, Signers signers) {
    }

    private volatile Computed computed;

    public SealDirectory(VerifierConfig config) {
        this.config = config;
        Path cache = config.sealsCache();
        if (config.sealsUrl() != null && cache != null && Files.isRegularFile(cache)) {
            try {
                JsonObject cached = new JsonObject(Files.readString(cache));
                seals = parse(cached.getJsonArray("seals"));
                fetchedAt = Instant.parse(cached.getString("fetchedAt"));
                source = CACHE_SOURCE;
                log.info(seals.size() + " seal certificates from " + cache + " (fetched " + fetchedAt + ")");
            } catch (Exception e) {
                log.warning("Ignoring the seal cache " + cache + ": " + e.getMessage());
            }
        }
    }

    public boolean configured() {
        return config.sealsUrl() != null;
    }

    /** When the seal list in use was fetched from the seal service; null: never. */
    public Instant fetchedAt() {
        return fetchedAt;
    }

    public String source() {
        return source;
    }

    public String lastError() {
        return lastError;
    }

    public int size() {
        return seals.size();
    }

    /**
     * The CA certificates of the seals' published chains (all but each chain's first), current and earlier: an OFD
     * seal carries only the signer's and the seal maker's certificates, so these help build its chains. Fetched
     * over plain HTTP, they confer no trust: a chain still has to end at a trust anchor.
     */
    public List<X509Certificate> caCertificates() {
        java.util.Set<X509Certificate> cas = new java.util.LinkedHashSet<>();
        for (Seal seal : seals) {
            cas.addAll(seal.chain().subList(1, seal.chain().size()));
            seal.previous().forEach(earlier -> cas.addAll(earlier.chain().subList(1, earlier.chain().size())));
        }
        return List.copyOf(cas);
    }

    /**
     * Whether an unknown key id may make the verifier ask the seal service now (a seal created since the last
     * fetch); at most once every {@link #MIN_REFETCH}, so a flood of unknown codes cannot flood the seal service.
     */
    public synchronized boolean mayRefetch() {
        Instant now = Instant.now();
        if (!configured() || now.isBefore(lastOnDemand.plus(MIN_REFETCH))) {
            return false;
        }
        lastOnDemand = now;
        return true;
    }

    /** Fetches the seals and their chains; keeps what it has when the seal service cannot be reached. */
    public synchronized boolean refresh() {
        if (config.sealsUrl() == null) {
            return false;
        }
        String base = config.sealsUrl().replaceAll("/+$", "");
        try {
            JsonArray list = new JsonArray(get(base + "/api/v1/seals"));
            List<Seal> fetched = new ArrayList<>();
            JsonArray stored = new JsonArray();
            for (int i = 0; i < list.size(); i++) {
                JsonObject view = list.getJsonObject(i);
                String id = view.getString("id");
                String pem;
                JsonArray previous = new JsonArray();
                try {
                    Chains chains = chains(base, id);
                    pem = chains.current();
                    chains.previous().forEach(previous::add);
                } catch (IOException e) {
                    // keep the chains known from before, if any: one failed call does not make a seal unknown
                    Seal known = seals.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
                    pem = known == null ? null : pemOf(known.chain());
                    if (known != null) {
                        known.previous().forEach(earlier -> previous.add(new JsonObject().put("chain", pemOf(earlier.chain()))
                                .put("replacedAt", earlier.replacedAt().toString())));
                    }
                    log.warning("No certificate for seal " + id + " (" + e.getMessage() + ")"
                            + (pem == null ? "" : "; keeping the one known"));
                    if (pem == null) {
                        continue;
                    }
                }
                JsonObject entry = new JsonObject().put("id", id).put("name", view.getString("name"))
                        .put("agency", view.getString("agency")).put("agencyCode", view.getString("agencyCode"))
                        .put("status", view.getString("status")).put("statusReason", view.getString("statusReason"))
                        .put("statusChangedAt", view.getValue("statusChangedAt") == null ? null
                                : String.valueOf(view.getValue("statusChangedAt")))
                        .put("chain", pem).put("previous", previous);
                stored.add(entry);
            }
            fetched.addAll(parse(stored));
            Instant now = Instant.now();
            seals = fetched;
            fetchedAt = now;
            source = base;
            lastError = null;
            save(new JsonObject().put("fetchedAt", now.toString()).put("source", base).put("seals", stored));
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
     * The signers already worked out for {@code anchors} and the seals in hand, or null when {@link #signers} would
     * have to build the chains (milliseconds of work: not for an event loop).
     */
    public Signers signersKnown(List<X509Certificate> anchors) {
        Computed known = computed;
        return known != null && known.seals() == seals && known.anchors().equals(anchors) ? known.signers() : null;
    }

    /** The seals whose certificate chains to {@code anchors}, each with its key id; cached per set of anchors. */
    public Signers signers(List<X509Certificate> anchors) {
        List<Seal> seals = this.seals;
        Computed known = computed;
        if (known != null && known.seals() == seals && known.anchors().equals(anchors)) {
            return known.signers();
        }
        List<Signer> trusted = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        Set<TrustAnchor> trustAnchors = anchors.stream().map(a -> new TrustAnchor(a, null)).collect(Collectors.toSet());
        for (Seal seal : seals) {
            List<Earlier> chains = new ArrayList<>();
            chains.add(new Earlier(seal.chain(), null)); // the current one
            chains.addAll(seal.previous());
            for (Earlier one : chains) {
                X509Certificate certificate = one.chain().get(0);
                Seal named = one.replacedAt() == null ? seal : seal.namedBy(certificate);
                String kid = HexFormat.of().formatHex(QrSigner.kid(certificate));
                if (trustAnchors.isEmpty()) {
                    rejected.add(new Rejected(named, kid, "the verifier has no trust anchors"));
                    continue;
                }
                String notASeal = notASealCertificate(certificate);
                if (notASeal != null) {
                    rejected.add(new Rejected(named, kid, notASeal));
                    continue;
                }
                try {
                    X509Certificate issuer = issuer(certificate, one.chain(), trustAnchors);
                    trusted.add(new Signer(named, certificate, issuer, kid, one.replacedAt()));
                } catch (Exception e) {
                    rejected.add(new Rejected(named, kid, "its certificate does not chain to a trusted root ("
                            + e.getMessage() + ")"));
                }
            }
        }
        Signers result = new Signers(List.copyOf(trusted), List.copyOf(rejected));
        computed = new Computed(List.copyOf(anchors), seals, result);
        return result;
    }

    /**
     * Why a certificate that may chain to a trust anchor is still no seal's (null: it may be one). The same roots
     * vouch for people's signing certificates, time-stamping and OCSP responders: a listing (plain HTTP) that passed
     * one of those off as a seal's would otherwise let its key sign codes for the seal. A seal certificate names its
     * agency by a valid Unified Social Credit Code (organizationIdentifier), which the codes' issuer must match.
     */
    static String notASealCertificate(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        String code = attribute(subject, BCStyle.ORGANIZATION_IDENTIFIER);
        if (code == null || !cn.yinxin.core.licence.Uscc.isValid(code)) {
            return "its certificate names no agency by a Unified Social Credit Code: it is not a seal certificate";
        }
        try {
            List<String> purposes = certificate.getExtendedKeyUsage();
            if (purposes != null && (purposes.contains("1.3.6.1.5.5.7.3.8") || purposes.contains("1.3.6.1.5.5.7.3.9"))) {
                return "its certificate is for time-stamping or OCSP signing, not a seal's";
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return "its extended key usage cannot be read";
        }
        return null;
    }

    /** The issuer of {@code certificate} on its path to one of {@code anchors}; throws when there is no such path. */
    private static X509Certificate issuer(X509Certificate certificate, List<X509Certificate> chain,
                                          Set<TrustAnchor> anchors) throws Exception {
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(certificate);
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
        parameters.setRevocationEnabled(false);
        // an expired (or replaced) certificate's old codes may still be genuine: check the chain while it was valid
        Instant when = Instant.now();
        if (when.isAfter(certificate.getNotAfter().toInstant())) {
            when = certificate.getNotAfter().toInstant().minusSeconds(1);
        }
        parameters.setDate(Date.from(when));
        parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
        PKIXCertPathBuilderResult path = (PKIXCertPathBuilderResult)
                CertPathBuilder.getInstance("PKIX", Providers.bouncyCastle()).build(parameters);
        var certificates = path.getCertPath().getCertificates();
        return certificates.size() > 1 ? (X509Certificate) certificates.get(1) : path.getTrustAnchor().getTrustedCert();
    }

    /** A seal's current PEM chain, and those it had before renewals ({@code chain}, {@code replacedAt}). */
    private record Chains(String current, List<JsonObject> previous) {
    }

    /**
     * Asks for all the seal's certificates; a seal service without {@code /certificates} (before renewals existed)
     * gives the current chain only.
     */
    private Chains chains(String base, String id) throws IOException {
        String seal = base + "/api/v1/seals/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        HttpResponse<String> answer = send(seal + "/certificates");
        if (answer.statusCode() == 404 || answer.statusCode() == 401 || answer.statusCode() == 403) {
            // a seal service from before renewals: no such route, which its access rules refuse before routing
            return new Chains(get(seal + "/certificate"), List.of());
        }
        if (answer.statusCode() != 200) {
            throw new IOException(seal + "/certificates answered HTTP " + answer.statusCode());
        }
        JsonArray list = new JsonArray(answer.body());
        String current = null;
        List<JsonObject> previous = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonObject certificate = list.getJsonObject(i);
            if (certificate.getBoolean("current", false)) {
                current = certificate.getString("chain");
            } else if (certificate.getValue("replacedAt") != null) {
                // written as ISO text; older Jackson settings wrote epoch seconds (parseInstant reads both)
                previous.add(new JsonObject().put("chain", certificate.getString("chain"))
                        .put("replacedAt", String.valueOf(certificate.getValue("replacedAt"))));
            }
        }
        if (current == null) {
            throw new IOException(seal + "/certificates names no current certificate");
        }
        return new Chains(current, previous);
    }

    private static String pemOf(List<X509Certificate> chain) {
        return chain.stream().map(Pem::encode).reduce("", String::concat);
    }

    private List<Seal> parse(JsonArray array) throws Exception {
        List<Seal> result = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonObject entry = array.getJsonObject(i);
            List<X509Certificate> chain = Pem.readCertificates(entry.getString("chain").getBytes(StandardCharsets.US_ASCII));
            if (chain.isEmpty()) {
                continue;
            }
            X500Name subject = X500Name.getInstance(chain.get(0).getSubjectX500Principal().getEncoded());
            String statusChanged = entry.getString("statusChangedAt");
            // absent in caches written before renewals existed
            List<Earlier> previous = new ArrayList<>();
            JsonArray earlier = entry.getJsonArray("previous", new JsonArray());
            for (int j = 0; j < earlier.size(); j++) {
                if (!(earlier.getValue(j) instanceof JsonObject one)) {
                    continue; // not an entry this version wrote: the next fetch replaces it
                }
                List<X509Certificate> old = Pem.readCertificates(one.getString("chain").getBytes(StandardCharsets.US_ASCII));
                if (!old.isEmpty()) {
                    previous.add(new Earlier(List.copyOf(old), parseInstant(one.getString("replacedAt"))));
                }
            }
            result.add(new Seal(entry.getString("id"),
                    // the certificate's subject is what the chain vouches for; the listing only fills gaps
                    first(attribute(subject, BCStyle.CN), entry.getString("name")),
                    first(attribute(subject, BCStyle.O), entry.getString("agency")),
                    first(attribute(subject, BCStyle.ORGANIZATION_IDENTIFIER), entry.getString("agencyCode")),
                    entry.getString("status"), entry.getString("statusReason"),
                    statusChanged == null ? null : parseInstant(statusChanged), List.copyOf(chain), List.copyOf(previous)));
        }
        return List.copyOf(result);
    }

    /** The seal service writes Instants as ISO text; older Jackson settings wrote epoch seconds with a fraction. */
    private static Instant parseInstant(String value) {
        try {
            return Instant.parse(value);
        } catch (RuntimeException e) {
            double seconds = Double.parseDouble(value);
            return Instant.ofEpochMilli(Math.round(seconds * 1000));
        }
    }

    private void save(JsonObject document) {
        Path cache = config.sealsCache();
        if (cache == null) {
            return;
        }
        try {
            Path folder = cache.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, "seals", ".tmp");
            Files.writeString(temporary, document.encodePrettily());
            Files.move(temporary, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warning("The seal cache " + cache + " could not be written: " + e.getMessage());
        }
    }

    private String get(String url) throws IOException {
        HttpResponse<String> response = send(url);
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    private HttpResponse<String> send(String url) throws IOException {
        try {
            return http.send(RequestIds.on(HttpRequest.newBuilder(URI.create(url))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String first(String preferred, String fallback) {
        return preferred != null && !preferred.isBlank() ? preferred : fallback;
    }

    static String attribute(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    /** For the status page and the offline page: the seals as plain data. */
    public static Map<String, Object> describe(Seal seal) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", seal.id());
        map.put("name", seal.name());
        map.put("agency", seal.agency());
        map.put("agencyCode", seal.agencyCode());
        map.put("status", seal.status());
        map.put("statusChangedAt", seal.statusChangedAt() == null ? null : seal.statusChangedAt().toString());
        return map;
    }
}
