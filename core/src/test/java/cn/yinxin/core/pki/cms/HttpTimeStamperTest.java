package cn.yinxin.core.pki.cms;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.Profile;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TSA client over real HTTP on loopback: a good reply is a token over the data's SHA-256, also for calls one
 * after another on the kept-alive connection; an error status, an answer that is no reply, a genuine reply to
 * another request, an answer longer than any reply, a TSA that never answers and one that is not there are each a
 * refusal (GeneralSecurityException) within the timeout, never a hang or a token.
 */
class HttpTimeStamperTest {

    private interface Answer {
        void write(byte[] request, HttpExchange exchange) throws Exception;
    }

    private HttpServer server;
    private final AtomicReference<Answer> answer = new AtomicReference<>();
    private TimeStampAuthority tsa;

    @BeforeEach
    void start() throws Exception {
        TestPki pki = TestPki.builder().root("TSA Client Test Root").issuingCa("TSA Client Test CA")
                .identity("TSA Client Test TSA", Profile.TIME_STAMPING, Status.GOOD).build();
        Identity identity = pki.identity("TSA Client Test TSA");
        AtomicInteger serials = new AtomicInteger();
        tsa = new TimeStampAuthority(new SealKey(identity.privateKey(), identity.chain()),
                new ASN1ObjectIdentifier("2.25.3"), () -> BigInteger.valueOf(serials.incrementAndGet()), Clock.systemUTC());
        answer.set((request, exchange) -> reply(exchange, 200, tsa.respond(request).der()));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tsa", exchange -> {
            try {
                answer.get().write(exchange.getRequestBody().readAllBytes(), exchange);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aGoodReplyIsATokenOverTheData() throws Exception {
        HttpTimeStamper stamper = stamper(Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            byte[] data = ("印信 approval result " + i).getBytes();
            TimeStampToken token = new TimeStampToken(new CMSSignedData(stamper.timeStamp(data)));
            assertThat(token.getTimeStampInfo().getMessageImprintDigest())
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }

    @Test
    void anErrorStatusIsARefusal() {
        answer.set((request, exchange) -> reply(exchange, 503, "busy".getBytes()));
        assertThatThrownBy(() -> stamper(Duration.ofSeconds(5)).timeStamp(new byte[] {1}))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("answered HTTP 503");
    }

    @Test
    void anAnswerThatIsNoReplyIsARefusal() {
        answer.set((request, exchange) -> reply(exchange, 200, "<html>hello</html>".getBytes()));
        assertThatThrownBy(() -> stamper(Duration.ofSeconds(5)).timeStamp(new byte[] {1}))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageMatching("the TSA.*(not a time-stamp reply|not valid: malformed).*");
    }

    @Test
    void aGenuineReplyToAnotherRequestIsARefusal() throws Exception {
        byte[] other = tsa.respond(new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA256, new byte[32],
                BigInteger.TEN).getEncoded()).der();
        answer.set((request, exchange) -> reply(exchange, 200, other));
        assertThatThrownBy(() -> stamper(Duration.ofSeconds(5)).timeStamp(new byte[] {1}))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("not valid");
    }

    @Test
    void anAnswerLongerThanAnyReplyIsRefused() {
        answer.set((request, exchange) -> reply(exchange, 200, new byte[HttpTimeStamper.MAX_REPLY + 10]));
        assertThatThrownBy(() -> stamper(Duration.ofSeconds(5)).timeStamp(new byte[] {1}))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("more than " + HttpTimeStamper.MAX_REPLY);
    }

    @Test
    void aTsaThatNeverAnswersIsARefusalWithinTheTimeout() {
        answer.set((request, exchange) -> Thread.sleep(5_000));
        long start = System.nanoTime();
        assertThatThrownBy(() -> stamper(Duration.ofMillis(300)).timeStamp(new byte[] {1}))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("cannot be reached");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    /** Each read is within the timeout, the whole answer is not: the call still ends by the timeout. */
    @Test
    void aTsaThatTricklesItsAnswerIsARefusalByTheTimeout() {
        answer.set((request, exchange) -> {
            byte[] reply = tsa.respond(request).der();
            exchange.sendResponseHeaders(200, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (byte b : reply) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100);
                }
            }
        });
        long start = System.nanoTime();
        assertThatThrownBy(() -> stamper(Duration.ofMillis(500)).timeStamp(new byte[] {1}))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("cannot be reached");
        // generous for a loaded machine: the trickling TSA would hold the call for minutes
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aTsaThatIsNotThereIsARefusal() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        HttpTimeStamper stamper = new HttpTimeStamper(URI.create("http://127.0.0.1:" + port + "/tsa"), Duration.ofSeconds(2));
        assertThatThrownBy(() -> stamper.timeStamp(new byte[] {1}))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("cannot be reached");
    }

    private HttpTimeStamper stamper(Duration timeout) {
        return new HttpTimeStamper(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tsa"), timeout);
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws Exception {
        exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
