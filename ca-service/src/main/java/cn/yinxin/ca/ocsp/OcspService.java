package cn.yinxin.ca.ocsp;

import cn.yinxin.ca.CaProperties;
import cn.yinxin.ca.certificates.CertificateStore;
import cn.yinxin.ca.crl.CrlPublisher;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.revocation.OcspResponder;
import cn.yinxin.core.pki.revocation.OcspResponder.Answer;
import cn.yinxin.core.pki.revocation.OcspResponder.Authority;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OCSP for the three CAs. Requests without a nonce (RFC 5019 style, the cacheable kind) are answered from
 * responses signed ahead of time and kept until half their validity has passed; a status change empties the
 * cache, so a revocation shows at once. Requests with a nonce are signed fresh.
 */
@Service
public class OcspService {

    private final OcspResponder responder;
    private final CertificateStore certificates;
    private final CaProperties properties;
    /** A signed answer with its HTTP validators, computed once and not per request. */
    public record Served(Answer answer, String etag, String lastModified, String expires) {

        static Served of(Answer answer) {
            return new Served(answer, "\"" + sha256(answer.der()) + "\"", OcspHttp.date(answer.thisUpdate()),
                    OcspHttp.date(answer.nextUpdate()));
        }
    }

    /** Keyed by the request's exact bytes: a hit costs no parsing. Only nonce-less, single, unsigned requests. */
    private final Map<ByteBuffer, Served> presigned = new ConcurrentHashMap<>();
    /** Status changes committed so far: an answer signed across one is not kept. */
    private final AtomicLong statusChanges = new AtomicLong();
    private final Clock clock;

    public OcspService(CaHierarchy hierarchy, CertificateStore certificates, CaProperties properties, Clock clock)
            throws GeneralSecurityException {
        this.clock = clock;
        this.certificates = certificates;
        this.properties = properties;
        List<Authority> authorities = CrlPublisher.AUTHORITIES.stream().map(name -> new Authority(name,
                hierarchy.ca(name).certificate(), hierarchy.ocspSigner(name),
                serial -> certificates.status(name, serial))).toList();
        this.responder = new OcspResponder(authorities, properties.ocspValidity(), clock);
    }

    /** An answer signed ahead for exactly these request bytes and still fresh, or null; never blocks. */
    public Served ready(byte[] request) {
        Served cached = presigned.get(ByteBuffer.wrap(request));
        return cached != null && clock.instant().isBefore(halfLife(cached.answer())) ? cached : null;
    }

    /** Answers any request; may sign, and read the database. */
    public Served answer(byte[] request) {
        ByteBuffer key = ByteBuffer.wrap(request);
        Served cached = presigned.get(key);
        if (cached != null && clock.instant().isBefore(halfLife(cached.answer()))) {
            return cached;
        }
        // read before the status is: a revocation committed while this answer is signed empties the cache before
        // the answer is put there, and would leave a GOOD read before it served for half its validity (5 min)
        long changes = statusChanges.get();
        Answer fresh = responder.respond(request);
        Served served = Served.of(fresh);
        if (fresh.cacheable() && cacheable(request)) {
            presigned.put(key, served);
            if (statusChanges.get() != changes) {
                presigned.remove(key, served);
            }
        }
        return served;
    }

    /** Drops every pre-signed response once the current transaction has committed a status change. */
    public void forgetAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    forget();
                }
            });
        } else {
            forget();
        }
    }

    private void forget() {
        statusChanges.incrementAndGet();
        presigned.clear();
    }

    /** Signs ahead the SHA-1 CertID responses (what openssl and most clients ask) for every certificate, and
     * renews those past half their life, so a client's request finds a response ready. */
    @Scheduled(fixedDelayString = "${yinxin.ca.ocsp-presign-interval:PT1M}", initialDelay = 5000)
    public void presign() throws Exception {
        var digests = new JcaDigestCalculatorProviderBuilder().build();
        for (var c : certificates.all()) {
            if ("GOOD".equals(c.status()) && c.notAfter().isBefore(clock.instant())) {
                continue;
            }
            var issuer = new JcaX509CertificateHolder(responderCertificate(c.issuer()));
            CertificateID id = new CertificateID(digests.get(CertificateID.HASH_SHA1), issuer, new BigInteger(c.serial(), 16));
            answer(new OCSPReqBuilder().addRequest(id).build().getEncoded());
        }
    }

    private X509Certificate responderCertificate(String issuer) {
        return responder.authorities().stream().filter(a -> a.name().equals(issuer)).findFirst().orElseThrow()
                .certificate();
    }

    private Instant halfLife(Answer answer) {
        return answer.thisUpdate().plus(Duration.between(answer.thisUpdate(), answer.nextUpdate()).dividedBy(2));
    }

    /** Only requests without nonce, for one certificate, unsigned, are answered from the cache. */
    private static boolean cacheable(byte[] request) {
        try {
            OCSPReq parsed = new OCSPReq(request);
            return !parsed.hasExtensions() && parsed.getRequestList().length == 1 && !parsed.isSigned();
        } catch (Exception e) {
            return false;
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
