package cn.yinxin.verifier.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verifier's token check follows the realm's key rotation: a token signed with a key the realm added after the
 * verifier started is accepted (the keys are fetched again), a key the realm retired is no longer accepted once the
 * keys were fetched again, and tokens naming unknown keys make at most one fetch per interval. The realm is a small
 * HTTP server publishing a JWKS; the tokens are ES256 JWTs signed here.
 */
class SignInKeysTest {

    private static final String AUDIENCE = "yinxin";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static Vertx vertx;
    private static HttpServer realm;
    private static HttpServer guarded;
    private static volatile JsonArray published;
    private static final AtomicInteger fetches = new AtomicInteger();
    private static String issuer;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router keys = Router.router(vertx);
        keys.get("/realms/test/protocol/openid-connect/certs").handler(ctx -> {
            fetches.incrementAndGet();
            ctx.json(new JsonObject().put("keys", published));
        });
        realm = vertx.createHttpServer().requestHandler(keys).listen(0).await(10, TimeUnit.SECONDS);
        issuer = "http://localhost:" + realm.actualPort() + "/realms/test";
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aRotatedKeyIsPickedUpARetiredOneRefusedAndUnknownKeysFetchAtMostOncePerInterval() throws Exception {
        KeyPair first = ecKeys();
        KeyPair second = ecKeys();
        published = new JsonArray().add(jwk(first, "first"));
        SignIn signIn = SignIn.keycloak(vertx, issuer, AUDIENCE, 0, Duration.ofSeconds(1));
        int port = serve(signIn);
        assertThat(fetches.get()).as("fetched at start").isEqualTo(1);

        assertThat(call(port, token(first, "first", "officer"))).isEqualTo(200);

        // the realm rotates: the new key in, the old one out
        published = new JsonArray().add(jwk(second, "second"));
        // time itself must pass (here and below): SignIn fetches keys at most once a second by the system clock
        Thread.sleep(1100);
        assertThat(call(port, token(second, "second", "officer"))).as("the new key, fetched on first sight").isEqualTo(200);
        assertThat(fetches.get()).isEqualTo(2);
        assertThat(call(port, token(second, "second", "officer"))).isEqualTo(200);
        assertThat(fetches.get()).as("a known key needs no fetch").isEqualTo(2);
        assertThat(call(port, token(first, "first", "officer"))).as("the retired key").isEqualTo(401);

        // made-up key ids: one fetch in the interval, not one per token
        for (int i = 0; i < 5; i++) {
            assertThat(call(port, token(first, "made-up-" + i, "officer"))).isEqualTo(401);
        }
        assertThat(fetches.get()).as("within the interval since the last fetch").isEqualTo(2);
        Thread.sleep(1100);
        assertThat(call(port, token(first, "made-up-again", "officer"))).isEqualTo(401);
        assertThat(fetches.get()).as("one fetch after the interval").isEqualTo(3);
        // a token signed by a key the realm never published, under a published key id
        assertThat(call(port, token(first, "second", "officer"))).isEqualTo(401);
    }

    private static int serve(SignIn signIn) throws Exception {
        Router router = Router.router(vertx);
        router.route().handler(signIn::handle);
        router.get("/who").handler(ctx -> ctx.json(new JsonObject().put("roles", List.copyOf(SignIn.caller(ctx).roles()))));
        guarded = vertx.createHttpServer().requestHandler(router).listen(0).await(10, TimeUnit.SECONDS);
        return guarded.actualPort();
    }

    private static int call(int port, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/who"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static JsonObject jwk(KeyPair keys, String kid) {
        ECPublicKey key = (ECPublicKey) keys.getPublic();
        return new JsonObject().put("kty", "EC").put("crv", "P-256").put("use", "sig").put("alg", "ES256").put("kid", kid)
                .put("x", B64.encodeToString(unsigned(key.getW().getAffineX())))
                .put("y", B64.encodeToString(unsigned(key.getW().getAffineY())));
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
        return out;
    }

    private static String token(KeyPair keys, String kid, String role) throws Exception {
        long now = Instant.now().getEpochSecond();
        String header = B64.encodeToString(new JsonObject().put("alg", "ES256").put("typ", "JWT").put("kid", kid)
                .encode().getBytes(StandardCharsets.UTF_8));
        String payload = B64.encodeToString(new JsonObject().put("iss", issuer).put("aud", AUDIENCE).put("sub", "someone")
                .put("azp", "yinxin-officer-page").put("iat", now).put("exp", now + 300)
                .put("realm_access", new JsonObject().put("roles", new JsonArray().add(role)))
                .encode().getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(keys.getPrivate());
        signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + B64.encodeToString(signer.sign());
    }
}
