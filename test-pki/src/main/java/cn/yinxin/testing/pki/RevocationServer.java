package cn.yinxin.testing.pki;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The test PKI's CRLs and OCSP responder over HTTP on loopback (POST /ocsp, GET /ca.crl and /root.crl), for
 * verifiers that fetch what the certificates point at. Started before the certificates are issued, so they can
 * name its port; it reads the PKI through {@code pki} once that exists.
 */
final class RevocationServer implements AutoCloseable {

    private final HttpServer server;

    RevocationServer(Supplier<TestPki> pki) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/ocsp", exchange -> {
            byte[] request = exchange.getRequestBody().readAllBytes();
            send(exchange, "application/ocsp-response", pki.get().ocsp(request));
        });
        server.createContext("/ca.crl", exchange -> send(exchange, "application/pkix-crl", pki.get().crl()));
        server.createContext("/root.crl", exchange -> send(exchange, "application/pkix-crl", pki.get().rootCrl()));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
