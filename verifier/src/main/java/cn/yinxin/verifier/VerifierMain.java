package cn.yinxin.verifier;

import io.vertx.core.Vertx;

/** Starts the verifier: {@code java -jar verifier.jar}, configured by environment variables (see VerifierConfig). */
public final class VerifierMain {

    private VerifierMain() {
    }

    public static void main(String[] args) {
        VerifierConfig config = VerifierConfig.fromEnvironment();
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(new VerifierVerticle(config, EdgeConfig.fromEnvironment()))
                .onSuccess(id -> System.out.println("Verifier listening on http://localhost:" + config.port()
                        + "/ (trusting the roots in " + config.trustDir().toAbsolutePath() + ")"))
                .onFailure(error -> {
                    System.err.println("Verifier failed to start: " + error.getMessage());
                    vertx.close();
                    System.exit(1);
                });
    }
}
