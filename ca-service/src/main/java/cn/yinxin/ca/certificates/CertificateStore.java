package cn.yinxin.ca.certificates;

import cn.yinxin.core.pki.revocation.CertificateStatus;
import cn.yinxin.core.pki.revocation.Revocation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The certificates and their revocation status, in PostgreSQL. */
@Repository
public class CertificateStore {

    private final JdbcClient jdbc;

    public CertificateStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public static String serial(BigInteger serial) {
        return serial.toString(16);
    }

    /** Adds a certificate; false if the issuer already has one with that serial. */
    public boolean add(String issuer, X509Certificate certificate, String profile, String keyAlias, Instant issuedAt)
            throws CertificateEncodingException {
        return jdbc.sql("""
                INSERT INTO certificate (issuer, serial, profile, subject, not_before, not_after, der, key_alias, issued_at)
                VALUES (:issuer, :serial, :profile, :subject, :nb, :na, :der, :alias, :at)
                ON CONFLICT (issuer, serial) DO NOTHING
                """)
                .param("issuer", issuer).param("serial", serial(certificate.getSerialNumber()))
                .param("profile", profile).param("subject", certificate.getSubjectX500Principal().getName())
                .param("nb", Timestamp.from(certificate.getNotBefore().toInstant()))
                .param("na", Timestamp.from(certificate.getNotAfter().toInstant()))
                .param("der", certificate.getEncoded()).param("alias", keyAlias)
                .param("at", Timestamp.from(issuedAt))
                .update() == 1;
    }

    /** By serial in hex, as any tool prints it (upper or lower case, leading zeros or not). */
    public Optional<IssuedCertificate> find(String issuer, String serial) {
        String normalised;
        try {
            normalised = new BigInteger(serial.strip(), 16).toString(16);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT * FROM certificate WHERE issuer = :issuer AND serial = :serial")
                .param("issuer", issuer).param("serial", normalised)
                .query(CertificateStore::row).optional();
    }

    /** Marks a certificate revoked or on hold; the caller has checked that it is not revoked already. */
    public void revoke(String issuer, String serial, int reason, Instant at) {
        jdbc.sql("""
                UPDATE certificate SET status = :status, revoked_at = :at, reason = :reason
                WHERE issuer = :issuer AND serial = :serial
                """)
                .param("status", reason == Revocation.CERTIFICATE_HOLD ? "ON_HOLD" : "REVOKED")
                .param("at", Timestamp.from(at)).param("reason", reason)
                .param("issuer", issuer).param("serial", serial).update();
    }

    public void release(String issuer, String serial) {
        jdbc.sql("""
                UPDATE certificate SET status = 'GOOD', revoked_at = NULL, reason = NULL
                WHERE issuer = :issuer AND serial = :serial AND status = 'ON_HOLD'
                """).param("issuer", issuer).param("serial", serial).update();
    }

    /** What goes on the issuer's CRL: revoked and suspended certificates that have not expired. */
    public List<Revocation> revocations(String issuer, Instant now) {
        return jdbc.sql("""
                SELECT serial, revoked_at, reason FROM certificate
                WHERE issuer = :issuer AND status <> 'GOOD' AND not_after > :now ORDER BY revoked_at
                """).param("issuer", issuer).param("now", Timestamp.from(now))
                .query((rs, n) -> new Revocation(new BigInteger(rs.getString("serial"), 16),
                        rs.getTimestamp("revoked_at").toInstant(), rs.getInt("reason")))
                .list();
    }

    public CertificateStatus status(String issuer, BigInteger serial) {
        return find(issuer, serial(serial)).<CertificateStatus>map(c -> "GOOD".equals(c.status())
                ? CertificateStatus.GOOD
                : new CertificateStatus.Revoked(c.revokedAt(), c.reason())).orElse(CertificateStatus.UNKNOWN);
    }

    public List<IssuedCertificate> all() {
        return jdbc.sql("SELECT * FROM certificate ORDER BY issued_at").query(CertificateStore::row).list();
    }

    private static IssuedCertificate row(ResultSet rs, int n) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        int reason = rs.getInt("reason");
        return new IssuedCertificate(rs.getString("issuer"), rs.getString("serial"), rs.getString("profile"),
                rs.getString("subject"), rs.getTimestamp("not_before").toInstant(),
                rs.getTimestamp("not_after").toInstant(), rs.getBytes("der"), rs.getString("key_alias"),
                rs.getString("status"), revoked == null ? null : revoked.toInstant(), rs.wasNull() ? null : reason,
                rs.getTimestamp("issued_at").toInstant());
    }
}
