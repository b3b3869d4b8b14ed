package cn.yinxin.ca.crl;

import cn.yinxin.service.TransactionLocks;
import cn.yinxin.ca.CaProperties;
import cn.yinxin.ca.certificates.CertificateStore;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.revocation.CrlMaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One signed full CRL per CA (the root's covers the issuing CAs and service certificates), made again on every
 * revocation change, in the same transaction, and before its nextUpdate comes near.
 */
@Component
public class CrlPublisher {

    public static final List<String> AUTHORITIES = List.of(CaHierarchy.ROOT, CaHierarchy.SEAL_CA, CaHierarchy.PERSONAL_CA);
    private static final Logger log = LoggerFactory.getLogger(CrlPublisher.class);

    /** A published CRL. */
    public record Published(long number, Instant thisUpdate, Instant nextUpdate, byte[] der) {
    }

    private final JdbcClient jdbc;
    private final CertificateStore certificates;
    private final CaHierarchy hierarchy;
    private final CaProperties properties;
    private final Clock clock;

    public CrlPublisher(JdbcClient jdbc, CertificateStore certificates, CaHierarchy hierarchy, CaProperties properties, Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.certificates = certificates;
        this.hierarchy = hierarchy;
        this.properties = properties;
    }

    /** Makes and stores a new CRL for {@code issuer}; joins the caller's transaction. */
    @Transactional
    public Published publish(String issuer) throws GeneralSecurityException {
        // one publication of an issuer's CRL at a time, until its transaction ends, so that each reads what the one
        // before it committed: two revocations published at once (or a revocation and the scheduled remaking) each
        // listed only its own, and the later number, the one served, left the other out until the next CRL (18 h)
        TransactionLocks.hold(jdbc, "crl:" + issuer);
        Instant now = clock.instant();
        Instant next = now.plus(properties.crlValidity());
        long number = jdbc.sql("SELECT nextval('crl_number')").query(Long.class).single();
        byte[] der = CrlMaker.make(hierarchy.ca(issuer), BigInteger.valueOf(number), now, next,
                certificates.revocations(issuer, now));
        jdbc.sql("INSERT INTO crl (issuer, number, this_update, next_update, der) VALUES (:i, :n, :t, :u, :d)")
                .param("i", issuer).param("n", number).param("t", Timestamp.from(now)).param("u", Timestamp.from(next))
                .param("d", der).update();
        return new Published(number, now, next, der);
    }

    public Optional<Published> latest(String issuer) {
        return jdbc.sql("SELECT number, this_update, next_update, der FROM crl WHERE issuer = :i ORDER BY number DESC LIMIT 1")
                .param("i", issuer)
                .query((rs, n) -> new Published(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant(), rs.getBytes(4)))
                .optional();
    }

    /** Remakes every CRL that is missing or has less than a quarter of its validity left. */
    @Scheduled(fixedDelayString = "${yinxin.ca.crl-check-interval:PT1M}")
    @Transactional
    public void refresh() throws GeneralSecurityException {
        Instant now = clock.instant();
        for (String issuer : AUTHORITIES) {
            Optional<Published> current = latest(issuer);
            if (current.isEmpty() || now.isAfter(current.get().nextUpdate().minus(properties.crlValidity().dividedBy(4)))) {
                Published fresh = publish(issuer);
                log.info("Published CRL {} of {} (next update {})", fresh.number(), issuer, fresh.nextUpdate());
            }
        }
    }
}
