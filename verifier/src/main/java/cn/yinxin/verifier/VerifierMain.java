package cn.yinxin.verifier;

import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.http.EdgeConfig;
import cn.yinxin.verifier.http.LogLines;
import cn.yinxin.verifier.http.VerifierVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.time.Clock;

/** Starts the verifier: {@code java -jar verifier.jar}, configured by environment variables (see VerifierConfig). */
public final class VerifierMain {

    private VerifierMain() {
    }

    /**
     * Vert.x as the verifier runs it: Linux's epoll (netty-transport-native-epoll) instead of the JDK's selector,
     * fewer system calls per request; NIO elsewhere, or when the native library cannot load.
     */
    public static Vertx newVertx() {
        return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    }

    public static void main(String[] args) {
        // each log line names its request; YINXIN_LOG_FORMAT=json for one JSON object per line
        LogLines.install(VerifierConfig.value(System.getenv(), "YINXIN_LOG_FORMAT", "text"));
        VerifierConfig config = VerifierConfig.fromEnvironment();
        // the one clock every check that looks at the time asks (tests hand theirs to VerifierVerticle)
        Clock clock = Clock.systemUTC();
        Vertx vertx = newVertx();
        vertx.deployVerticle(new VerifierVerticle(config, EdgeConfig.fromEnvironment(), clock))
                .onSuccess(id -> System.out.println("Verifier listening on http://localhost:" + config.port()
                        + "/ (trusting the roots in " + config.trustDir().toAbsolutePath() + "; transport "
                        + (vertx.isNativeTransportEnabled() ? "native epoll" : "NIO") + ")"))
                .onFailure(error -> {
                    System.err.println("Verifier failed to start: " + error.getMessage());
                    vertx.close();
                    System.exit(1);
                });
    }
}
