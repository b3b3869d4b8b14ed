package cn.yinxin.verifier;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.qr.QrVerifier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The licence status lists (IETF Token Status List, CWT) the verifier has seen: fetched from the address a
 * licence code names, verified with the same seal certificates as the codes, kept in memory and on disk, and used
 * offline until they are older than the staleness limit. A list is fetched again once its time-to-live has passed.
 * A list counts for a licence only when a seal of the licence's own issuer signed it ({@code issuedBy}): any seal's
 * user can have the seal service sign a token, and the list travels over plain HTTP.
 */
final class StatusLists {

    /** A status read from a list, and when that list was issued. */
    record Status(int value, Instant listIssuedAt, boolean fromCache) {
    }

    private record Entry(byte[] bits, int bitsPerEntry, Instant issuedAt, Instant fetchedAt, long ttlSeconds,
                         X509Certificate signer) {
    }

    private static final int STATUS_LIST = 65533;
    private static final int TTL = 65534;
    private static final int MAX_BYTES = 1 << 20;

    private final Path folder;
    private final Duration maxStaleness;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Entry> lists = new ConcurrentHashMap<>();

    StatusLists(Path folder, Duration maxStaleness, Clock clock) {
        this.folder = folder;
        this.maxStaleness = maxStaleness;
        this.clock = clock;
    }

    /**
     * A fetched list whose signer this verifier does not know (yet): its seal may have been renewed since the seals
     * were fetched, so the caller may ask the seal service again before it falls back on a kept list.
     */
    static final class UnknownSigner extends IOException {
        UnknownSigner(String message, Throwable cause) {
            super(message, cause);
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
    Status status(String uri, long index, QrVerifier verifier, BiPredicate<X509Certificate, Instant> issuedBy,
                  boolean unknownSignerFails) throws IOException {
        Instant now = clock.instant();
        Entry entry = lists.get(uri);
        if (entry == null) {
            load(uri, verifier);
            entry = lists.get(uri);
        }
        if (entry != null && !issuedBy.test(entry.signer(), entry.issuedAt())) {
            entry = null; // kept for a licence of another issuer (or its seal is no longer one to trust): not for this one
        }
        boolean cached = true;
        if (entry == null || entry.fetchedAt().plusSeconds(entry.ttlSeconds()).isBefore(now)) {
            try {
                Fetched fetched = fetch(uri, verifier);
                if (!issuedBy.test(fetched.entry().signer(), fetched.entry().issuedAt())) {
                    throw new IOException("the status list at " + uri + " is signed by "
                            + fetched.entry().signer().getSubjectX500Principal().getName()
                            + ", not by a seal of the licence's issuer that may sign it");
                }
                keep(uri, fetched);
                entry = fetched.entry();
                cached = false;
            } catch (IOException | RuntimeException e) {
                if (unknownSignerFails && e instanceof RejectedException refused
                        && refused.problem() == cn.yinxin.core.Problem.UNKNOWN_QR_SIGNER) {
                    throw new UnknownSigner("the status list at " + uri + " is signed with an unknown key", e);
                }
                if (entry == null || entry.issuedAt().plus(maxStaleness).isBefore(now)) {
                    throw new IOException("no status list from " + uri + " (" + e.getMessage() + ")"
                            + (entry == null ? "" : " and the kept one of " + entry.issuedAt() + " is too old"), e);
                }
            }
        }
        long bit = index * entry.bitsPerEntry();
        if (index < 0 || bit / 8 >= entry.bits().length) {
            throw new IOException("index " + index + " is outside the status list");
        }
        int value = (entry.bits()[(int) (bit / 8)] >> (bit % 8)) & ((1 << entry.bitsPerEntry()) - 1);
        return new Status(value, entry.issuedAt(), cached);
    }

    /** A list as fetched: its token, and what it says. */
    private record Fetched(byte[] token, Entry entry) {
    }

    private Fetched fetch(String uri, QrVerifier verifier) throws IOException {
        URI address = URI.create(uri);
        if (!"https".equals(address.getScheme()) && !"http".equals(address.getScheme())) {
            throw new IOException("a status list is fetched over http(s) only");
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(address).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/statuslist+cwt").build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (response.statusCode() != 200 || response.body().length > MAX_BYTES) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return new Fetched(response.body(), parse(uri, response.body(), verifier, clock.instant()));
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
                        Files.getLastModifiedTime(file).toInstant()));
            }
        } catch (IOException | RuntimeException e) {
            // a damaged or forged file is no list
        }
    }

    private static Entry parse(String uri, byte[] token, QrVerifier verifier, Instant fetchedAt) {
        var verified = verifier.verifyToken(token);
        var claims = verified.claims();
        if (!uri.equals(claims.get(2))) {
            throw new RejectedException(cn.yinxin.core.Problem.QR_INVALID, "the status list names another address");
        }
        if (!(claims.get(STATUS_LIST) instanceof Map<?, ?> list) || !(list.get("lst") instanceof byte[] lst)
                || !(list.get("bits") instanceof Number bits)) {
            throw new RejectedException(cn.yinxin.core.Problem.QR_INVALID, "the token is not a status list");
        }
        long ttl = claims.get(TTL) instanceof Number n ? n.longValue() : 3600;
        return new Entry(inflate(lst), bits.intValue(), claims.issuedAt(), fetchedAt, ttl, verified.signer());
    }

    private static byte[] inflate(byte[] data) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && inflater.needsInput()) {
                    break;
                }
                out.write(buffer, 0, n);
                if (out.size() > 16 * MAX_BYTES) {
                    throw new RejectedException(cn.yinxin.core.Problem.QR_INVALID, "the status list inflates too far");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new RejectedException(cn.yinxin.core.Problem.QR_INVALID, "the status list is not zlib data");
        } finally {
            inflater.end();
        }
    }

    private Path file(String uri) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8));
            return folder.resolve(HexFormat.of().formatHex(hash).substring(0, 32) + ".cwt");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
