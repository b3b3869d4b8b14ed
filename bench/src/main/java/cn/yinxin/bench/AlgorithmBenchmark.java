package cn.yinxin.bench;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.cms.HttpTimeStamper;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.core.ses.SealMaker;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Stamping throughput by key algorithm: the same one-page PDF and the same visible seal image, stamped with an
 * RSA-2048, an ECDSA P-256 and an SM2 seal key (all in memory, certified by the sample PKI's agency seal CA), and
 * with the SM2 key in national mode (the PAdES SM3withSM2 signature plus a GB/T 38540 SES_Signature whose SESeal
 * is signed by the sample PKI's seal maker). At B-B and at B-T (an RFC 3161 TSA on loopback; in national mode the
 * SES_Signature gets a time-stamp of its own, so two TSA calls per stamp), on one thread and on two. Timed rounds
 * alternate between the algorithms so all see the same machine noise; each output is verified first.
 *
 * <pre>./yinxin bench algorithms [--rounds N] [--seconds S] [--only NAME-PART]</pre>
 */
public final class AlgorithmBenchmark {

    private record Case(SignatureLevel level, int threads) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(Runs.option(args, "--rounds", "3"));
        double seconds = Double.parseDouble(Runs.option(args, "--seconds", "3"));

        TestRevocationServer revocation = new TestRevocationServer();
        Path keystores = revocation.keystores();
        Path sealDir = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
        byte[] pdf = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        byte[] image = Files.readAllBytes(sealDir.resolve("seal.png"));
        SealAppearance appearance = new SealAppearance(image, 42, 42);
        var vault = new Pkcs12Vault(keystores.resolve("ca/ca.p12"), SamplePki.PASSWORD.toCharArray());
        CaHierarchy hierarchy = revocation.hierarchy();
        var pointers = KeyCeremony.pointers(revocation.url(), revocation.url() + "/ocsp", CaHierarchy.SEAL_CA);

        Map<String, SealKey> keys = new LinkedHashMap<>();
        for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.RSA_2048, KeyAlgorithm.EC_P256, KeyAlgorithm.SM2)) {
            KeyPair pair = algorithm.generate(Providers.bouncyCastle());
            X509Certificate certificate = CertificateMaker.issue(CertificateMaker.sealSubject(SamplePki.SEAL_NAME,
                            "示例市行政审批服务局", SamplePki.AGENCY_CODE), pair.getPublic(),
                    CertificateMaker.Profile.AGENCY_SEAL, hierarchy.sealCa(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(300), Duration.ofDays(30), pointers);
            List<X509Certificate> chain = new ArrayList<>(List.of(certificate));
            chain.addAll(hierarchy.sealCa().chain());
            keys.put(algorithm.name(), new SealKey(pair.getPrivate(), chain));
        }
        SealKey sm2 = keys.get("SM2");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SESeal seseal = new SealMaker(vault.get(CaHierarchy.SEAL_MAKER), "YINXIN").make(new SealMaker.SealSpec(
                "bench-seal", SealMaker.TYPE_ORGANISATION, SamplePki.SEAL_NAME, image, 42, 42,
                List.of(sm2.certificate()), now.minusSeconds(300), now.plus(Duration.ofDays(29))), now);
        var verifier = new PdfVerifier(Pem.readFolder(keystores.resolve("trust")),
                new OnlineRevocationSource(Duration.ofSeconds(5)));

        try (revocation; TestTsa tsa = new TestTsa(vault.get(CaHierarchy.TSA))) {
            Map<String, Function<SignatureLevel, SealBenchmark.Sealer>> contenders = new LinkedHashMap<>();
            contenders.put("RSA-2048", level -> sealer(tsa, level, keys.get("RSA_2048"), appearance, null));
            contenders.put("ECDSA P-256", level -> sealer(tsa, level, keys.get("EC_P256"), appearance, null));
            contenders.put("SM2", level -> sealer(tsa, level, sm2, appearance, null));
            contenders.put("SM2 national (+ GB/T 38540)", level -> sealer(tsa, level, sm2, appearance, seseal));
            String only = Runs.option(args, "--only", null);
            if (only != null) {
                contenders.keySet().removeIf(name -> !name.equals("ECDSA P-256") && !name.contains(only));
            }

            outputsVerify(contenders, verifier, pdf);

            List<String> rows = measure(contenders, pdf, rounds, seconds);
            System.out.println();
            System.out.println("The sample approval result (" + pdf.length + " bytes, 1 page), 42 mm visible seal (600 px "
                    + "PNG), keys in memory, median of " + rounds + " rounds of " + seconds + " s after a warm-up, Java "
                    + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs; B-T with an RFC 3161 "
                    + "TSA over HTTP on loopback");
            System.out.println("| level | threads | key | docs/s | vs P-256 |");
            System.out.println("|---|---|---|---|---|");
            rows.forEach(System.out::println);
        }
    }

    /** Each contender's output verifies (and carries a GB/T 38540 seal when it is the national one) before it is timed. */
    private static void outputsVerify(Map<String, Function<SignatureLevel, SealBenchmark.Sealer>> contenders,
                                      PdfVerifier verifier, byte[] pdf) throws Exception {
        for (var contender : contenders.entrySet()) {
            for (SignatureLevel level : List.of(SignatureLevel.B_B, SignatureLevel.B_T)) {
                var report = verifier.verify(contender.getValue().apply(level).seal(pdf));
                var signature = report.signatures().get(0);
                boolean national = contender.getKey().contains("national");
                if (report.verdict() != Verdict.VALID || national != (signature.nationalSeal() != null)) {
                    throw new IllegalStateException(contender.getKey() + " " + level.label() + " does not verify: "
                            + report.verdict() + " " + signature.reasons());
                }
            }
        }
    }

    /** The median rate of each contender per level and thread count, P-256 the yardstick; the report's table rows. */
    private static List<String> measure(Map<String, Function<SignatureLevel, SealBenchmark.Sealer>> contenders, byte[] pdf,
                                        int rounds, double seconds) throws Exception {
        List<String> rows = new ArrayList<>();
        for (Case c : List.of(new Case(SignatureLevel.B_B, 1), new Case(SignatureLevel.B_B, 2),
                new Case(SignatureLevel.B_T, 1))) {
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (var contender : contenders.entrySet()) {
                SealBenchmark.rate(() -> contender.getValue().apply(c.level()), c.threads(), pdf, seconds);
                rates.put(contender.getKey(), new ArrayList<>());
            }
            for (int round = 1; round <= rounds; round++) {
                for (var contender : contenders.entrySet()) {
                    rates.get(contender.getKey()).add(SealBenchmark.rate(() -> contender.getValue().apply(c.level()), c.threads(),
                            pdf, seconds));
                }
            }
            double p256 = Runs.median(rates.get("ECDSA P-256"));
            for (var entry : rates.entrySet()) {
                double rate = Runs.median(entry.getValue());
                System.out.printf("%s, %d thread(s), %s: %.1f docs/s%n", c.level().label(), c.threads(),
                        entry.getKey(), rate);
                rows.add(String.format("| %s | %d | %s | %.1f | %.2f |", c.level().label().replace("PAdES-BASELINE-", "B-"),
                        c.threads(), entry.getKey(), rate, rate / p256));
            }
        }
        return rows;
    }

    private static SealBenchmark.Sealer sealer(TestTsa tsa, SignatureLevel level, SealKey key, SealAppearance appearance, SESeal seal) {
        PdfSealer sealer = level == SignatureLevel.B_B ? new PdfSealer()
                : new PdfSealer(new HttpTimeStamper(URI.create(tsa.url()), Duration.ofSeconds(5)), null);
        return input -> {
            SealRequest request = new SealRequest(key, appearance, new SealPlacement(1, 150, 230), SamplePki.SEAL_NAME,
                    null, Instant.now(), level);
            return sealer.seal(input, seal == null ? request : request.withNationalSeal(seal));
        };
    }



}
