package cn.yinxin.verifier;

import cn.yinxin.core.pki.Pem;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls of the seal service the verifier uses, on loopback: {@code GET /api/v1/seals} (the seal views),
 * {@code GET /api/v1/seals/{id}/certificates} (current and earlier PEM chains) and {@code .../certificate} (the
 * current chain), with seals a test adds, changes and removes.
 */
public final class SealServiceStub implements AutoCloseable {

    /** A seal with its current chain and the chains it had before renewals (newest first), replaced at {@code renewedAt}. */
    public record StubSeal(String id, String name, String agency, String agencyCode, String status, Instant statusChangedAt,
                    List<X509Certificate> chain, List<List<X509Certificate>> previous, Instant renewedAt) {

        public StubSeal(String id, String name, String agency, String agencyCode, String status, Instant statusChangedAt,
                 List<X509Certificate> chain) {
            this(id, name, agency, agencyCode, status, statusChangedAt, chain, List.of(), null);
        }
    }

    private final HttpServer server;
    private final Map<String, StubSeal> seals = new ConcurrentHashMap<>();
    private final AtomicBoolean up = new AtomicBoolean(true);
    /**
     * Whether it answers {@code /certificates}; a seal service from before renewals refuses it (403 in development
     * mode: its access rules deny what they do not know, before routing).
     */
    private final AtomicBoolean listsCertificates = new AtomicBoolean(true);
    public final AtomicInteger listCalls = new AtomicInteger();

  public   SealServiceStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/v1/seals", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public SealServiceStub put(StubSeal seal) {
        seals.put(seal.id(), seal);
        return this;
    }

    public void remove(String id) {
        seals.remove(id);
    }

    public void up(boolean answering) {
        up.set(answering);
    }

    public void listsCertificates(boolean answering) {
        listsCertificates.set(answering);
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (!up.get()) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/api/v1/seals")) {
            listCalls.incrementAndGet();
            JsonArray list = new JsonArray();
            seals.values().forEach(s -> list.add(new JsonObject().put("id", s.id()).put("name", s.name())
                    .put("agency", s.agency()).put("agencyCode", s.agencyCode()).put("kind", "APPROVAL")
                    .put("status", s.status()).put("statusReason", null)
                    .put("statusChangedAt", s.statusChangedAt() == null ? null : s.statusChangedAt().toString())));
            send(exchange, "application/json", list.encode());
            return;
        }
        String[] parts = path.split("/");
        if (parts.length == 6 && parts[5].equals("certificate") && seals.containsKey(parts[4])) {
            send(exchange, "application/pem-certificate-chain", pem(seals.get(parts[4]).chain()));
            return;
        }
        if (parts.length == 6 && parts[5].equals("status") && seals.containsKey(parts[4])) {
            // a GB/T 38540 seal's own status (StatusLookup.seals), asked by its esID
            send(exchange, "application/json", new JsonObject().put("status", seals.get(parts[4]).status()).encode());
            return;
        }
        if (parts.length == 6 && parts[5].equals("certificates") && !listsCertificates.get()) {
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
            return;
        }
        if (parts.length == 6 && parts[5].equals("certificates") && seals.containsKey(parts[4])) {
            StubSeal seal = seals.get(parts[4]);
            JsonArray list = new JsonArray().add(entry(seal.chain(), null));
            seal.previous().forEach(chain -> list.add(entry(chain, seal.renewedAt())));
            send(exchange, "application/json", list.encode());
            return;
        }
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
    }

    private static JsonObject entry(List<X509Certificate> chain, Instant replacedAt) {
        return new JsonObject().put("issuer", "seal-ca").put("serial", chain.get(0).getSerialNumber().toString(16))
                .put("validFrom", chain.get(0).getNotBefore().toInstant().toString())
                .put("validUntil", chain.get(0).getNotAfter().toInstant().toString()).put("current", replacedAt == null)
                .put("replacedAt", replacedAt == null ? null : replacedAt.toString()).put("chain", pem(chain));
    }

    private static String pem(List<X509Certificate> chain) {
        StringBuilder pem = new StringBuilder();
        chain.forEach(c -> pem.append(Pem.encode(c)));
        return pem.toString();
    }

    private static void send(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
