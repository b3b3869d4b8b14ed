package cn.yinxin.core.pdf.verify.longterm;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.sign.LongTermValidation;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.verify.report.Verdict;

import cn.yinxin.core.pki.revocation.Revocation;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.cms.TimeStampAuthority;
import cn.yinxin.core.pki.cms.TimeStamper;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.Profile;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ETSI EN 319 102-1 revocation freshness: revocation data a document carries says something about a signature only
 * when issued after the time the signature is proven to exist (or within {@link RevocationFreshness}'s window before
 * it); REVOKED from any source beats GOOD; an online verifier asks when the document's data prove nothing after that
 * time. The attacks: a seal revoked for keyCompromise, and an old CRL or OCSP answer (fetched while the seal was
 * good) appended in a /DSS to bring its documents back to VALID.
 */
class RevocationFreshnessTest {

    private static final SealAppearance LOOK = appearance();

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    /** When the seal was still good and the attacker kept its revocation data. */
    private final Instant goodDays = now.minus(Duration.ofHours(3));
    /** When the seal was revoked (keyCompromise). */
    private final Instant revokedAt = now.minus(Duration.ofHours(2));

    private Pki pki;

    @BeforeEach
    void setUp() throws Exception {
        pki = new Pki(now.minus(Duration.ofDays(30)), null);
    }

    @Test
    void anOldCrlAppendedAfterTheRevocationDoesNotBringAnUnstampedSealBack() throws Exception {
        byte[] sealed = seal(SignatureLevel.B_B, null);
        pki.revoke(revokedAt);
        PdfVerifier online = new PdfVerifier(List.of(pki.root), pki.online());
        var before = online.verify(sealed).signatures().get(0);
        assertThat(before.subIndication()).isEqualTo(SubIndication.REVOKED_NO_POE);

        byte[] withOldCrl = withDss(sealed, List.of(), List.of(pki.crl(goodDays)));

        var attacked = online.verify(withOldCrl);
        assertThat(attacked.verdict()).as(attacked.toString()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(attacked.signatures().get(0).subIndication()).isEqualTo(SubIndication.REVOKED_NO_POE);
        var offline = new PdfVerifier(List.of(pki.root)).verify(withOldCrl);
        assertThat(offline.verdict()).as(offline.toString()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(offline.signatures().get(0).subIndication()).isEqualTo(SubIndication.TRY_LATER);
        assertThat(offline.signatures().get(0).reasons()).anyMatch(r -> r.contains("embedded CRL")
                && r.contains("before the time the signature is proven to exist"));
    }

    @Test
    void anOldOcspAnswerAppendedAfterTheRevocationDoesNotBringASealBack() throws Exception {
        pki.revoke(revokedAt);
        // the forger holds the compromised key and a real time-stamp, made after the revocation
        byte[] stampedAfter = seal(SignatureLevel.B_T, now.minus(Duration.ofHours(1)));
        byte[] unstamped = seal(SignatureLevel.B_B, null);
        byte[] oldOcsp = pki.ocsp(goodDays, false);

        PdfVerifier online = new PdfVerifier(List.of(pki.root), pki.online());
        var stamped = online.verify(withDss(stampedAfter, List.of(oldOcsp), List.of()));
        assertThat(stamped.verdict()).as(stamped.toString()).isEqualTo(Verdict.INVALID);
        assertThat(stamped.signatures().get(0).subIndication()).isEqualTo(SubIndication.REVOKED);
        var plain = online.verify(withDss(unstamped, List.of(oldOcsp), List.of()));
        assertThat(plain.verdict()).as(plain.toString()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(plain.signatures().get(0).subIndication()).isEqualTo(SubIndication.REVOKED_NO_POE);

        var offline = new PdfVerifier(List.of(pki.root)).verify(withDss(stampedAfter, List.of(oldOcsp), List.of()));
        assertThat(offline.verdict()).as(offline.toString()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(offline.signatures().get(0).subIndication()).isEqualTo(SubIndication.TRY_LATER);
    }

    @Test
    void revokedFromAnySourceBeatsAFreshGood() throws Exception {
        pki.revoke(revokedAt);
        Instant stampedAt = now.minus(Duration.ofHours(1));
        byte[] stampedAfter = seal(SignatureLevel.B_T, stampedAt);
        // a responder that lags behind the CRL: both answers fresh (after the time-stamp), the GOOD one read first
        byte[] document = withDss(stampedAfter, List.of(pki.ocsp(stampedAt.plusSeconds(600), true)),
                List.of(pki.crl(stampedAt.plusSeconds(300))));

        var report = new PdfVerifier(List.of(pki.root)).verify(document);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
        var signature = report.signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.REVOKED);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("was revoked on " + revokedAt));
    }

    @Test
    void aSealTimeStampedBeforeItsRevocationStaysValidWithTheRevocationInItsData() throws Exception {
        byte[] stampedBefore = seal(SignatureLevel.B_T, goodDays);
        pki.revoke(revokedAt);
        byte[] document = withDss(stampedBefore, List.of(), List.of(pki.crl(now.minus(Duration.ofMinutes(30)))));

        var report = new PdfVerifier(List.of(pki.root)).verify(document);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures().get(0).reasons()).anyMatch(r -> r.contains("made before that revocation"));
    }

    @Test
    void aCrlIssuedBeforeTheTimeStampCountsOnlyWithinTheConfiguredWindow() throws Exception {
        Instant stampedAt = now.minus(Duration.ofHours(1));
        byte[] stamped = seal(SignatureLevel.B_T, stampedAt);
        byte[] earlierCrl = withDss(stamped, List.of(), List.of(pki.crl(stampedAt.minus(Duration.ofMinutes(30)))));

        PdfVerifier strict = new PdfVerifier(List.of(pki.root));
        var byDefault = strict.verify(earlierCrl).signatures().get(0);
        assertThat(byDefault.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(byDefault.subIndication()).isEqualTo(SubIndication.TRY_LATER);
        var widened = new PdfVerifier(List.of(pki.root))
                .withRevocationFreshness(new RevocationFreshness(Duration.ofHours(1))).verify(earlierCrl);
        assertThat(widened.verdict()).as(widened.toString()).isEqualTo(Verdict.VALID);

        // the default window covers clocks a few seconds apart (a TSA's and a CA's), no more
        byte[] skewed = withDss(stamped, List.of(), List.of(pki.crl(stampedAt.minusSeconds(20))));
        assertThat(strict.verify(skewed).verdict()).isEqualTo(Verdict.VALID);
        byte[] after = withDss(stamped, List.of(pki.ocsp(stampedAt.plusSeconds(5), false)), List.of());
        assertThat(strict.verify(after).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aSuspensionCountsOnlyWhileItIsTheNewestAnswer() throws Exception {
        X509Certificate seal = pki.seal.certificate();
        X509Certificate ca = pki.ca.certificate();
        Instant suspendedAt = now.minus(Duration.ofHours(2));
        pki.revoke(suspendedAt, Revocation.CERTIFICATE_HOLD);
        X509CRL onHold = crl(pki.crl(now.minus(Duration.ofHours(1))));
        pki.lift();
        X509CRL lifted = crl(pki.crl(now.minus(Duration.ofMinutes(30))));
        Instant signedAt = now.minus(Duration.ofHours(3));

        var liftedLater = new RevocationCheck(new ValidationData(List.of(), List.of(), List.of(onHold, lifted), 0), null)
                .status(seal, ca, signedAt);
        assertThat(liftedLater.state()).isEqualTo(RevocationCheck.State.GOOD);
        var stillHeld = new RevocationCheck(new ValidationData(List.of(), List.of(), List.of(onHold), 0), null)
                .status(seal, ca, signedAt);
        assertThat(stillHeld.state()).isEqualTo(RevocationCheck.State.REVOKED);

        // a revocation for good (keyCompromise) is never lifted, whatever comes after
        pki.revoke(suspendedAt, 1);
        X509CRL compromised = crl(pki.crl(now.minus(Duration.ofHours(1))));
        pki.lift();
        var revokedForGood = new RevocationCheck(new ValidationData(List.of(), List.of(), List.of(compromised, lifted), 0),
                null).status(seal, ca, signedAt);
        assertThat(revokedForGood.state()).isEqualTo(RevocationCheck.State.REVOKED);
    }

    private static X509CRL crl(byte[] der) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new java.io.ByteArrayInputStream(der));
    }

    @Test
    void aLongTermSealEmbedsAnAnswerSignedAfterItsTimeStampThoughTheResponderKeepsOlderOnes() throws Exception {
        AtomicReference<Pki> served = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ocsp", exchange -> {
            try (exchange) {
                byte[] request = exchange.getRequestBody().readAllBytes();
                boolean nonce = new OCSPReq(request).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce) != null;
                // as our CA does (RFC 5019): a request without a nonce gets an answer signed ahead, here 10 min ago
                Instant signedAt = nonce ? Instant.now() : Instant.now().minus(Duration.ofMinutes(10));
                byte[] answer = served.get().answer(request, signedAt);
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            }
        });
        server.start();
        try {
            served.set(new Pki(now.minus(Duration.ofDays(30)),
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/ocsp"));
            RevocationSource http = new OnlineRevocationSource(Duration.ofSeconds(5));
            byte[] lt = new PdfSealer(served.get().timeStamper(Instant.now()), http).seal(TestMaterial.onePagePdf(0),
                    new SealRequest(served.get().seal, LOOK, new SealPlacement(1, 150, 240), "测试专用章", null, now,
                            SignatureLevel.B_LT));

            var report = new PdfVerifier(List.of(served.get().root)).verify(lt);
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
            assertThat(report.signatures().get(0).reasons()).anyMatch(r -> r.contains("embedded OCSP response"));

            // what the sealer would embed by asking as a verifier does (no nonce): proves nothing about the seal
            RevocationSource cached = new RevocationSource() {
                @Override
                public byte[] ocsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
                    return http.ocsp(certificate, issuer);
                }

                @Override
                public byte[] crl(X509Certificate certificate) throws GeneralSecurityException {
                    return http.crl(certificate);
                }
            };
            byte[] stale = new PdfSealer(served.get().timeStamper(Instant.now()), cached).seal(
                    TestMaterial.onePagePdf(0), new SealRequest(served.get().seal, LOOK, new SealPlacement(1, 150, 240),
                            "测试专用章", null, now, SignatureLevel.B_LT));
            var unproven = new PdfVerifier(List.of(served.get().root)).verify(stale).signatures().get(0);
            assertThat(unproven.subIndication()).isEqualTo(SubIndication.TRY_LATER);
        } finally {
            server.stop(0);
        }
    }

    // ---- material ---------------------------------------------------------------------------------------------

    /** Seals a page as the seal's holder (or whoever holds its key) would; B-T time-stamped at {@code stampAt}. */
    private byte[] seal(SignatureLevel level, Instant stampAt) throws Exception {
        PdfSealer sealer = level == SignatureLevel.B_B ? new PdfSealer() : new PdfSealer(pki.timeStamper(stampAt), null);
        return sealer.seal(TestMaterial.onePagePdf(0), new SealRequest(pki.seal, LOOK, new SealPlacement(1, 150, 240),
                "测试专用章", null, now, level));
    }

    /** {@code pdf} with an incremental update adding a DSS that carries these answers: what anyone can append. */
    private static byte[] withDss(byte[] pdf, List<byte[]> ocsps, List<byte[]> crls) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LongTermValidation.addValidationData(new RandomAccessReadBuffer(pdf), out,
                new LongTermValidation.ValidationData(List.of(), ocsps, crls), IOUtils.createMemoryOnlyStreamCache());
        return out.toByteArray();
    }

    /**
     * A root, a CA (which names no revocation service), a seal that does, a TSA, from the test PKI (module
     * test-pki); its OCSP answers and CRLs as issued at any moment a test names.
     */
    private static final class Pki {
        private static final String SEAL = "测试专用章";
        final X509Certificate root;
        final SealKey ca;
        final SealKey seal;
        private final SealKey tsa;
        private final TestPki pki;

        /** @param ocspUrl where every certificate below the root points for OCSP; null: only the seal, nowhere */
        Pki(Instant start, String ocspUrl) {
            pki = TestPki.builder().root("Freshness Root").issuingCa("Freshness CA").notBefore(start)
                    .caPointers(ocspUrl != null).revocationUrl(ocspUrl == null ? null : ocspUrl.replaceAll("/ocsp$", ""))
                    // as the responder this test stands up answers: an hour, so one signed ahead is still current
                    .ocspValidity(Duration.ofHours(1))
                    .identity(SEAL, Status.GOOD).identity("Freshness TSA", Profile.TIME_STAMPING, Status.GOOD).build();
            root = pki.root().certificate();
            ca = key(pki.issuingCa());
            seal = key(pki.identity(SEAL));
            tsa = key(pki.identity("Freshness TSA"));
        }

        private static SealKey key(Identity identity) {
            return new SealKey(identity.privateKey(), identity.chain());
        }

        void revoke(Instant at) {
            revoke(at, 1);
        }

        /** The seal revoked at {@code at} for an RFC 5280 reason (6: suspended). */
        void revoke(Instant at, int code) {
            pki.revoke(SEAL, at, code);
        }

        /** The seal in good standing again (what only a suspension allows a CA to do). */
        void lift() {
            pki.lift(SEAL);
        }

        /** The CA's CRL as issued at {@code thisUpdate}: the revocations it knew of then. */
        byte[] crl(Instant thisUpdate) {
            return pki.crl(thisUpdate);
        }

        /** The OCSP answer about the seal as produced at {@code at}; a lagging responder says GOOD regardless. */
        byte[] ocsp(Instant at, boolean lagging) throws GeneralSecurityException {
            TestPki.Revoked known = pki.revocation(seal.certificate());
            if (lagging && known != null) {
                // a responder that has not heard of the revocation yet
                pki.lift(SEAL);
            }
            try {
                return pki.ocsp(seal.certificate(), at);
            } catch (java.io.IOException e) {
                throw new GeneralSecurityException(e);
            } finally {
                if (lagging && known != null) {
                    pki.revoke(SEAL, known.at(), known.reason());
                }
            }
        }

        /** The answer to an OCSP request about any certificate below the root, as signed at {@code at}. */
        byte[] answer(byte[] request, Instant at) {
            return pki.ocsp(request, at);
        }

        /** The seal's OCSP responder and CRL, answering now. */
        RevocationSource online() {
            return new RevocationSource() {
                @Override
                public byte[] ocsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
                    return Pki.this.ocsp(Instant.now(), false);
                }

                @Override
                public byte[] crl(X509Certificate certificate) {
                    return Pki.this.crl(Instant.now());
                }
            };
        }

        /** A TSA whose clock says {@code at}. */
        TimeStamper timeStamper(Instant at) throws GeneralSecurityException {
            AtomicLong serials = new AtomicLong();
            TimeStampAuthority authority = new TimeStampAuthority(tsa, new ASN1ObjectIdentifier("2.25.17"),
                    () -> BigInteger.valueOf(serials.incrementAndGet()), Clock.fixed(at, ZoneOffset.UTC));
            AtomicReference<TimeStampAuthority> holder = new AtomicReference<>(authority);
            return data -> {
                TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
                generator.setCertReq(true);
                var request = generator.generate(TSPAlgorithms.SHA256,
                        MessageDigest.getInstance("SHA-256").digest(data), BigInteger.valueOf(System.nanoTime()));
                try {
                    return new TimeStampResponse(holder.get().respond(request.getEncoded()).der()).getTimeStampToken()
                            .getEncoded();
                } catch (Exception e) {
                    throw new GeneralSecurityException("the test TSA did not answer: " + e.getMessage(), e);
                }
            };
        }
    }

    private static SealAppearance appearance() {
        try {
            return new SealAppearance(TestMaterial.redSquarePng(), 40, 40);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
