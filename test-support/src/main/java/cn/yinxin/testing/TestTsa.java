package cn.yinxin.testing;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.cms.TimeStampAuthority;
import com.sun.net.httpserver.HttpServer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** A real RFC 3161 TSA over HTTP on loopback, made from a TSA key, that a test can switch off (HTTP 503). */
public final class TestTsa implements AutoCloseable {

    private final HttpServer server;
    private final AtomicBoolean up = new AtomicBoolean(true);

    public TestTsa(SealKey tsaKey) throws GeneralSecurityException {
        AtomicLong serials = new AtomicLong();
        TimeStampAuthority tsa = new TimeStampAuthority(tsaKey, new ASN1ObjectIdentifier("2.25.1"),
                () -> BigInteger.valueOf(serials.incrementAndGet()), Clock.systemUTC());
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/tsa", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!up.get()) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            var reply = tsa.respond(body);
            exchange.getResponseHeaders().add("Content-Type", "application/timestamp-reply");
            exchange.sendResponseHeaders(reply.granted() ? 200 : 400, reply.der().length);
            exchange.getResponseBody().write(reply.der());
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/tsa";
    }

    public void up(boolean answering) {
        up.set(answering);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
