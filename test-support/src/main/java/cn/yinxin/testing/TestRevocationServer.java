package cn.yinxin.testing;

import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.revocation.CertificateStatus;
import cn.yinxin.core.pki.revocation.CrlMaker;
import cn.yinxin.core.pki.revocation.OcspResponder;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.revocation.Revocation;
import cn.yinxin.keystores.SamplePki;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A development PKI whose certificates point at a real OCSP responder and CRL publisher on loopback (core's
 * {@link OcspResponder} and {@link CrlMaker}, signed with the PKI's own keys), for tests that verify online
 * without the whole ca-service. A test can revoke a serial number or switch the server off.
 */
public final class TestRevocationServer implements AutoCloseable {

    private final HttpServer server;
    private final Path keystores;
    private final CaHierarchy hierarchy;
    private final OcspResponder responder;
    private final Map<BigInteger, Revocation> revoked = new ConcurrentHashMap<>();
    private final AtomicBoolean up = new AtomicBoolean(true);

    public TestRevocationServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            keystores = SampleKeystores.fresh(url(), url() + "/ocsp");
            hierarchy = CaHierarchy.load(new Pkcs12Vault(keystores.resolve("ca/ca.p12"), SamplePki.PASSWORD.toCharArray()));
            OcspResponder.StatusLookup lookup = serial -> {
                Revocation r = revoked.get(serial);
                return r == null ? CertificateStatus.GOOD : new CertificateStatus.Revoked(r.revokedAt(), r.reason());
            };
            responder = new OcspResponder(List.of(
                    new OcspResponder.Authority(CaHierarchy.ROOT, hierarchy.root().certificate(), hierarchy.root(), lookup),
                    new OcspResponder.Authority(CaHierarchy.SEAL_CA, hierarchy.sealCa().certificate(),
                            hierarchy.ocspSigner(CaHierarchy.SEAL_CA), lookup),
                    new OcspResponder.Authority(CaHierarchy.PERSONAL_CA, hierarchy.personalCa().certificate(),
                            hierarchy.ocspSigner(CaHierarchy.PERSONAL_CA), lookup)),
                    Duration.ofMinutes(10), Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/ocsp", exchange -> {
            byte[] request = exchange.getRequestBody().readAllBytes();
            if (refuseIfDown(exchange)) {
                return;
            }
            send(exchange, "application/ocsp-response", responder.respond(request).der());
        });
        server.createContext("/crl/", exchange -> {
            if (refuseIfDown(exchange)) {
                return;
            }
            String name = exchange.getRequestURI().getPath().replaceAll("^/crl/|\\.crl$", "");
            try {
                Instant now = Instant.now();
                byte[] crl = CrlMaker.make(hierarchy.ca(name), BigInteger.valueOf(now.getEpochSecond()), now,
                        now.plus(Duration.ofHours(1)), revoked.values());
                send(exchange, "application/pkix-crl", crl);
            } catch (Exception e) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
        });
        server.start();
    }

    /** The base address written into the PKI's certificates (OCSP at /ocsp, CRLs at /crl/NAME.crl). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The development PKI (ca/, trust/, seals/, samples/) whose certificates point here. */
    public Path keystores() {
        return keystores;
    }

    public CaHierarchy hierarchy() {
        return hierarchy;
    }

    /** From now on OCSP and CRLs say {@code serial} was revoked at {@code at} for {@code reason} (RFC 5280 code). */
    public void revoke(BigInteger serial, Instant at, int reason) {
        revoked.put(serial, new Revocation(serial, at, reason));
    }

    public void up(boolean answering) {
        up.set(answering);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private boolean refuseIfDown(HttpExchange exchange) throws IOException {
        if (up.get()) {
            return false;
        }
        exchange.sendResponseHeaders(503, -1);
        exchange.close();
        return true;
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
