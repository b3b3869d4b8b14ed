package cn.yinxin.bench;

import cn.yinxin.bench.VerifyBenchmark.Measured;
import cn.yinxin.bench.VerifyBenchmark.Operation;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.qr.QrVerifier;
import cn.yinxin.keystores.SamplePki;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static cn.yinxin.bench.VerifyBenchmark.measure;
import static cn.yinxin.bench.VerifyBenchmark.processCpuNanos;
import static cn.yinxin.bench.VerifyBenchmark.rates;
import static cn.yinxin.bench.VerifyBenchmark.warmUp;

/**
 * The QR part of {@link VerifyBenchmark} (see there for what it measures and how it is run): the raw ES256 check
 * against {@link QrVerifier#verify} in process, then HTTP on loopback loaded by wrk, a bare Vert.x stand-in always and
 * the real verifier with {@code --qr-url}.
 */
final class QrVerifyBenchmark {

    private QrVerifyBenchmark() {
    }

    /**
     * @param targetUrl a running verifier to load instead of the stand-in (null: the stand-in)
     * @param targetKeystores the key stores whose sample seal that verifier trusts (null: fresh ones)
     */
    static List<String> qr(int rounds, double seconds, String wrkScript, int wrkSeconds, int wrkThreads,
                           int wrkConnections, int wrkWarmUp, String targetUrl, String targetKeystores,
                                   String serverPid)
            throws Exception {
        Path keystores = Files.createTempDirectory("yinxin-bench-qr");
        if (targetKeystores != null) {
            keystores = Path.of(targetKeystores);
        } else {
            SamplePki.create(keystores);
        }
        SealKey key = sampleSeal(keystores);
        DocumentQr claims = claims();
        String code = new QrSigner(key).sign(claims.toClaims());
        X509Certificate certificate = key.certificate();
        QrVerifier verifier = new QrVerifier(List.of(certificate), Clock.systemUTC());
        verifier.verify(code);

        // the raw operation: one ES256 signature check, same key, over a message of the size COSE signs, the
        // signature as COSE carries it (r and s, 64 bytes); the fastest ES256 check this JVM has, and the one
        // QrVerifier uses: Bouncy Castle's, with the key object kept (see rawEs256)
        byte[] message = new QrSigner(key).coseSign1(claims.toClaims());
        Signature signer = Signature.getInstance(RAW_ES256, Providers.bouncyCastle());
        signer.initSign(key.privateKey());
        signer.update(message);
        byte[] signature = signer.sign();
        Supplier<Operation> raw = rawEs256(RAW_ES256, Providers.bouncyCastle(), certificate.getPublicKey(), message,
                signature);
        // the JDK's own ES256 (SunEC), for comparison only: same key, same message, same r and s
        PublicKey jdkKey = KeyFactory.getInstance("EC", "SunEC")
                .generatePublic(new X509EncodedKeySpec(certificate.getPublicKey().getEncoded()));
        Supplier<Operation> rawJdk = rawEs256("SHA256withECDSAinP1363Format",
                Security.getProvider("SunEC"), jdkKey, message, signature);
        Supplier<Operation> qrVerify = () -> () -> verifier.verify(code);

        List<String> rows = new ArrayList<>();
        Map<Integer, Double> rawRates = new TreeMap<>();
        inProcess(rows, rawRates, raw, rawJdk, qrVerify, rounds, seconds);

        overHttp(rows, code, verifier, raw, seconds, wrkScript, wrkSeconds, wrkThreads, wrkConnections, wrkWarmUp,
                targetUrl, serverPid);
        List<String> table = new ArrayList<>();
        table.add("");
        table.add("QR verification (ES256, the sample agency seal's P-256 key, Bouncy Castle " + RAW_ES256 + "), median of " + rounds
                + " rounds of " + seconds + " s; raw ES256 on 1 and 2 threads: " + rawRates);
        table.add("| what | raw ES256 verify/s | QR verifications/s | ratio | p99 ms (HTTP: p50 / p99) | CPU us raw / QR "
                + "(HTTP: wrk's share; per request) |");
        table.add("|---|---|---|---|---|---|");
        table.addAll(rows);
        return table;
    }

    /**
     * In this JVM: the raw ES256 check against QrVerifier.verify on 1 and 2 threads, then the JDK's SunEC against
     * Bouncy Castle on one; a row each, and the raw rates by thread count.
     */
    private static void inProcess(List<String> rows, Map<Integer, Double> rawRates, Supplier<Operation> raw,
                                  Supplier<Operation> rawJdk, Supplier<Operation> qrVerify, int rounds, double seconds)
            throws Exception {
        for (int threads : new int[] {1, 2}) {
            measure(raw, threads, seconds, warmUp(20000));
            measure(qrVerify, threads, seconds, warmUp(20000));
            List<Measured> raws = new ArrayList<>();
            List<Measured> codes = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                raws.add(measure(raw, threads, seconds, 0));
                codes.add(measure(qrVerify, threads, seconds, 0));
            }
            double r = Runs.median(raws.stream().map(Measured::perSecond).toList());
            double q = Runs.median(codes.stream().map(Measured::perSecond).toList());
            double rCpu = Runs.median(raws.stream().map(Measured::cpuMillis).toList()) * 1000;
            double qCpu = Runs.median(codes.stream().map(Measured::cpuMillis).toList()) * 1000;
            rawRates.put(threads, r);
            System.out.printf("QR, %d thread(s): raw ES256 verify %.0f/s %s, %.0f CPU us each; QrVerifier.verify "
                    + "%.0f/s %s, %.0f CPU us each%n", threads, r, rates(raws), rCpu, q, rates(codes), qCpu);
            rows.add(String.format("| in-process, %d thread(s) | %.0f | %.0f | %.2f | - | %.0f / %.0f |", threads, r,
                    q, q / r, rCpu, qCpu));
        }
        {
            // the JDK's SunEC against Bouncy Castle, one thread, alternating rounds
            measure(rawJdk, 1, seconds, warmUp(2000));
            List<Measured> jdks = new ArrayList<>();
            List<Measured> bcs = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                jdks.add(measure(rawJdk, 1, seconds, 0));
                bcs.add(measure(raw, 1, seconds, 0));
            }
            double j = Runs.median(jdks.stream().map(Measured::perSecond).toList());
            double b = Runs.median(bcs.stream().map(Measured::perSecond).toList());
            double jCpu = Runs.median(jdks.stream().map(Measured::cpuMillis).toList()) * 1000;
            double bCpu = Runs.median(bcs.stream().map(Measured::cpuMillis).toList()) * 1000;
            System.out.printf("Raw ES256, 1 thread: JDK SunEC %.0f/s %s, %.0f CPU us each; Bouncy Castle %.0f/s %s, "
                    + "%.0f CPU us each%n", j, rates(jdks), jCpu, b, rates(bcs), bCpu);
            rows.add(String.format("| raw ES256 with the JDK's SunEC instead, 1 thread | %.0f (Bouncy Castle) | %.0f "
                    + "(SunEC) | %.2f | - | %.0f / %.0f |", b, j, j / b, bCpu, jCpu));
        }
    }

    /** The verifier (and the stand-in beside it) loaded over HTTP with wrk, when wrk and its script are there. */
    private static void overHttp(List<String> rows, String code, QrVerifier verifier, Supplier<Operation> raw,
                                 double seconds, String wrkScript, int wrkSeconds, int wrkThreads, int wrkConnections,
                                 int wrkWarmUp, String targetUrl, String serverPid) throws Exception {
        if (Path.of(wrkScript).toFile().isFile() && wrkAvailable()) {
            Path codeFile = Files.createTempFile("yinxin-qr-code", ".txt");
            Files.writeString(codeFile, code);
            // the same transport the verifier uses (epoll on Linux)
            Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
            try {
                // the stand-in always runs: the least any HTTP endpoint on this machine pays for a verification,
                // so that the verifier's own overhead and what HTTP with wrk beside it costs anyway are told apart
                List<Target> targets = new ArrayList<>();
                targets.add(new Target("HTTP stand-in (" + (vertx.isNativeTransportEnabled() ? "epoll" : "NIO") + ")",
                        standIn(vertx, verifier), true, null));
                if (targetUrl != null) {
                    targets.add(new Target("verifier at " + targetUrl, targetUrl, false, serverPid));
                }
                for (Target target : targets) {
                    checkEndpoint(target.url(), code);
                    wrk(wrkScript, codeFile, target.url(), wrkWarmUp, wrkThreads, wrkConnections); // warm-up (the JIT)
                }
                List<String> lines = new ArrayList<>();
                for (int round = 1; round <= 2; round++) {
                    for (Target target : targets) {
                        lines.add(httpRound(target, round, raw, seconds, wrkScript, codeFile, wrkSeconds, wrkThreads,
                                wrkConnections));
                    }
                }
                rows.addAll(lines);
            } finally {
                vertx.close().await(30, TimeUnit.SECONDS);
            }
        } else {
            System.out.println("QR over HTTP skipped: wrk is not on the PATH or " + wrkScript + " is missing");
        }
    }

    /**
     * An HTTP endpoint to load: the stand-in in this JVM, or a verifier process ({@code pid}: its process, whose CPU
     * time is read from /proc; null: its CPU is unknown).
     */
    private record Target(String name, String url, boolean inThisProcess, String pid) {
        /** The server's CPU time so far, or 0 when unknown. */
        long cpuNanos() {
            return inThisProcess ? processCpuNanos() : pid != null ? pidCpuNanos(pid) : 0;
        }

        boolean cpuKnown() {
            return inThisProcess || pid != null;
        }
    }

    /** One wrk round against a target, with the raw rate measured right before so both see the same machine. */
    private static String httpRound(Target target, int round, Supplier<Operation> raw, double seconds, String wrkScript,
                                    Path codeFile, int wrkSeconds, int wrkThreads, int wrkConnections) throws Exception {
        Measured rawNow = measure(raw, 2, seconds, 0);
        double r = rawNow.perSecond();
        long cpuBefore = target.cpuNanos();
        Map<String, Double> result = wrk(wrkScript, codeFile, target.url(), wrkSeconds, wrkThreads, wrkConnections);
        // the whole server process (event loops, GC, JIT) per request, and wrk's own CPU per request: what a
        // verification over HTTP costs, whatever else the machine runs (for a verifier in another process: read
        // from /proc when --server-pid names it, else unknown and counted as 0, so the CPU ratio is an upper bound)
        double serverCpu = target.cpuKnown() ? (target.cpuNanos() - cpuBefore) / 1e3 / result.get("requests") : 0;
        double wrkCpu = result.get("wrk_cpu_us");
        // on two cores of their own: HTTP (server and wrk together) against raw ES256 on both
        double projected = (rawNow.cpuMillis() * 1000) / (serverCpu + wrkCpu);
        // wrk runs on the same two cores: the share of them it took, and the raw rate on what it left
        double cores = Runtime.getRuntime().availableProcessors();
        double wrkShare = wrkCpu * result.get("rps") / 1e6 / cores;
        double rawOnRest = r * (1 - wrkShare);
        System.out.printf("QR over HTTP (%s, wrk -t%d -c%d -d%ds), round %d: %.0f verifications/s, "
                        + "p50 %.2f ms, p99 %.2f ms, non-2xx %d; CPU per request: server %.0f us, wrk %.0f us"
                        + " (wrk took %.0f %% of the %.0f cores); raw ES256 on 2 threads just before: %.0f/s, "
                        + "%.0f CPU us each; ratio %.2f, %.2f against raw on the cores wrk left%n",
                target.name(), wrkThreads, wrkConnections, wrkSeconds, round, result.get("rps"), result.get("p50_ms"),
                result.get("p99_ms"), result.get("non2xx").longValue(), serverCpu, wrkCpu, 100 * wrkShare,
                cores, r, rawNow.cpuMillis() * 1000, result.get("rps") / r, result.get("rps") / rawOnRest);
        if (result.get("non2xx") > 0 || result.get("errors") > 0) {
            throw new IllegalStateException("wrk saw failed requests: " + result + (target.inThisProcess() ? ""
                    : " (429s? start the verifier with YINXIN_VERIFIER_RATE_PER_SECOND=0: its rate limit"
                    + " per address is on by default)"));
        }
        return String.format("| %s + wrk -t%d -c%d, round %d | %.0f (2 threads) | %.0f | **%.2f** "
                        + "| %.1f / %.1f | wrk %.0f %% of the cores: %.2f of raw on the rest; server %.0f + "
                        + "wrk %.0f per request; CPU ratio %.2f |", target.name(), wrkThreads, wrkConnections, round,
                r, result.get("rps"), result.get("rps") / r, result.get("p50_ms"), result.get("p99_ms"),
                100 * wrkShare, result.get("rps") / rawOnRest, serverCpu, wrkCpu, projected);
    }

    /**
     * A stand-in for the verifier's {@code POST /api/v1/verify/qr}: the code's text in, a small JSON verdict out,
     * verified on the event loop (a check takes a fraction of a millisecond); one listener per core on one port,
     * as the verifier runs. Nothing else: no router, no security headers, no revocation or seal status.
     */
    private static String standIn(Vertx vertx, QrVerifier verifier) throws Exception {
        AtomicInteger port = new AtomicInteger();
        vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                // port -1: one free port that Vert.x shares among the listeners asking for -1 (as the verifier does)
                return vertx.createHttpServer().requestHandler(request -> {
                    if (!request.path().equals("/api/v1/verify/qr")) {
                        request.response().setStatusCode(404).end();
                        return;
                    }
                    request.body().onSuccess(body -> {
                        JsonObject answer = new JsonObject();
                        try {
                            var verified = verifier.verify(body.toString().trim());
                            answer.put("verdict", "VALID").put("issuer", verified.claims().issuer());
                        } catch (RejectedException e) {
                            answer.put("verdict", "INVALID").put("problem", e.problem().name())
                                    .put("detail", e.getMessage());
                        }
                        request.response().putHeader("Content-Type", "application/json").end(answer.encode());
                    });
                }).listen(-1, "127.0.0.1").onSuccess(server -> port.set(server.actualPort()));
            }
        }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
                .await(10, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + port.get();
    }

    /** Bouncy Castle's ES256 over r and s side by side (COSE's form), as {@code QrVerifier} checks codes. */
    private static final String RAW_ES256 = "SHA256withPLAIN-ECDSA";

    /**
     * One raw ES256 check per run: one {@code Signature} per thread, initialised with the same key object each time
     * (Bouncy Castle keeps its precomputed multiples of the public point on that object; a key converted anew for
     * every check costs about three times as much).
     */
    private static Supplier<Operation> rawEs256(String algorithm, Provider provider,
                                                PublicKey key, byte[] message, byte[] signature) {
        return () -> {
            try {
                Signature check = Signature.getInstance(algorithm, provider);
                return () -> {
                    check.initVerify(key);
                    check.update(message);
                    if (!check.verify(signature)) {
                        throw new IllegalStateException("the raw signature does not verify (" + algorithm + ")");
                    }
                };
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** The CPU time (user and system) another process has used, from /proc. */
    private static long pidCpuNanos(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e.getMessage(), e);
        }
    }

    /** The code must be accepted before it is timed: 200 and a VALID verdict. */
    private static void checkEndpoint(String url, String code) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/v1/verify/qr"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(code)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().contains("\"VALID\"")) {
            throw new IllegalStateException(url + " does not accept the code: " + response.statusCode() + " "
                    + response.body());
        }
        System.out.println("POST " + url + "/api/v1/verify/qr answers: " + response.body());
    }

    private static boolean wrkAvailable() {
        try {
            Process process = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<String, Double> wrk(String script, Path codeFile, String url, int seconds, int threads,
                                           int connections) throws Exception {
        return Wrk.run(List.of("-t" + threads, "-c" + connections, "-d" + seconds + "s", "-s", script, url),
                Map.of("QR_CODE_FILE", codeFile.toString()), seconds);
    }

    private static SealKey sampleSeal(Path keystores) throws Exception {
        return SealKey.fromPkcs12(keystores.resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.p12"),
                SamplePki.PASSWORD.toCharArray());
    }

    /** A document code as the seal service prints it: document id, verification URL, seal id, agency, time. */
    private static DocumentQr claims() {
        UUID document = UUID.randomUUID();
        return new DocumentQr(document, DocumentQr.verificationUrl("http://localhost:8080/d/", document),
                SamplePki.SEAL_ID, SamplePki.AGENCY_CODE, Instant.now().minusSeconds(60));
    }

    /** Writes a code signed by the sample seal of {@code keystores} (e.g. var/keystores of ./yinxin up), for wrk. */
    static void writeQrCode(Path keystores, Path out) throws Exception {
        Files.writeString(out, new QrSigner(sampleSeal(keystores)).sign(claims().toClaims()) + "\n");
        System.out.println("Wrote a document code signed by " + sampleSeal(keystores).certificate()
                .getSubjectX500Principal().getName() + " to " + out);
    }
}
