package cn.yinxin.seal.signatures;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The personal_signature, signature_capture and personal_signature_use tables. */
@Repository
public class SignatureStore {

    private final JdbcClient jdbc;

    public SignatureStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(PersonalSignature s) {
        jdbc.sql("""
                INSERT INTO personal_signature (id, resident_id, name, key_alias, ca_issuer, ca_serial, subject, chain_pem,
                    valid_from, valid_until, status, created_at, cancelled_at)
                VALUES (:id, :residentId, :name, :keyAlias, :caIssuer, :caSerial, :subject, :chainPem, :validFrom,
                    :validUntil, :status, :createdAt, :cancelledAt)""")
                .param("id", s.id()).param("residentId", s.residentId()).param("name", s.name())
                .param("keyAlias", s.keyAlias()).param("caIssuer", s.caIssuer()).param("caSerial", s.caSerial())
                .param("subject", s.subject()).param("chainPem", s.chainPem()).param("validFrom", ts(s.validFrom()))
                .param("validUntil", ts(s.validUntil())).param("status", s.status().name())
                .param("createdAt", ts(s.createdAt())).param("cancelledAt", ts(s.cancelledAt())).update();
    }

    /** The person's signatures, newest first (at most one ACTIVE). */
    public List<PersonalSignature> ofPerson(String residentId) {
        return jdbc.sql("SELECT * FROM personal_signature WHERE resident_id = :r ORDER BY created_at DESC")
                .param("r", residentId).query(SignatureStore::signature).list();
    }

    /** The person's active signature, its row locked until the transaction ends. */
    public Optional<PersonalSignature> activeForUpdate(String residentId) {
        return jdbc.sql("SELECT * FROM personal_signature WHERE resident_id = :r AND status = 'ACTIVE' FOR UPDATE")
                .param("r", residentId).query(SignatureStore::signature).optional();
    }

    public void cancel(UUID id, Instant at) {
        jdbc.sql("UPDATE personal_signature SET status = 'CANCELLED', cancelled_at = :at WHERE id = :id")
                .param("at", ts(at)).param("id", id).update();
    }

    public void insert(Capture c) {
        jdbc.sql("""
                INSERT INTO signature_capture (id, resident_id, document_sha256, document_length, document_name,
                    created_at, expires_at, status)
                VALUES (:id, :residentId, :sha256, :length, :name, :createdAt, :expiresAt, 'OPEN')""")
                .param("id", c.id()).param("residentId", c.residentId()).param("sha256", c.documentSha256())
                .param("length", c.documentLength()).param("name", c.documentName())
                .param("createdAt", ts(c.createdAt())).param("expiresAt", ts(c.expiresAt())).update();
    }

    public Optional<Capture> capture(String id) {
        return jdbc.sql("SELECT * FROM signature_capture WHERE id = :id").param("id", id)
                .query(SignatureStore::capture).optional();
    }

    public Optional<Capture> captureForUpdate(String id) {
        return jdbc.sql("SELECT * FROM signature_capture WHERE id = :id FOR UPDATE").param("id", id)
                .query(SignatureStore::capture).optional();
    }

    public void captured(String id, byte[] json, Instant at) {
        jdbc.sql("UPDATE signature_capture SET status = 'CAPTURED', capture_json = :json, captured_at = :at WHERE id = :id")
                .param("json", json).param("at", ts(at)).param("id", id).update();
    }

    public void used(String id) {
        jdbc.sql("UPDATE signature_capture SET status = 'USED' WHERE id = :id").param("id", id).update();
    }

    public void insert(SignatureUse u) {
        jdbc.sql("""
                INSERT INTO personal_signature_use (id, signature_id, capture_id, document_sha256_before,
                    document_sha256_after, signature_level, page, x_mm, y_mm, signed_at)
                VALUES (:id, :signatureId, :captureId, :before, :after, :level, :page, :x, :y, :at)""")
                .param("id", u.id()).param("signatureId", u.signatureId()).param("captureId", u.captureId())
                .param("before", u.documentSha256Before()).param("after", u.documentSha256After())
                .param("level", u.signatureLevel()).param("page", u.page()).param("x", u.xMm()).param("y", u.yMm())
                .param("at", ts(u.signedAt())).update();
    }

    /** Every use of every signature the person has had, newest first. */
    public List<SignatureUse> usesOfPerson(String residentId) {
        return jdbc.sql("""
                SELECT u.* FROM personal_signature_use u JOIN personal_signature s ON s.id = u.signature_id
                WHERE s.resident_id = :r ORDER BY u.signed_at DESC""")
                .param("r", residentId).query((rs, n) -> new SignatureUse(rs.getObject("id", UUID.class),
                        rs.getObject("signature_id", UUID.class), rs.getString("capture_id"),
                        rs.getString("document_sha256_before"), rs.getString("document_sha256_after"),
                        rs.getString("signature_level"), rs.getInt("page"), rs.getDouble("x_mm"), rs.getDouble("y_mm"),
                        instant(rs, "signed_at"))).list();
    }

    private static PersonalSignature signature(ResultSet rs, int n) throws SQLException {
        return new PersonalSignature(rs.getObject("id", UUID.class), rs.getString("resident_id"), rs.getString("name"),
                rs.getString("key_alias"), rs.getString("ca_issuer"), rs.getString("ca_serial"), rs.getString("subject"),
                rs.getString("chain_pem"), instant(rs, "valid_from"), instant(rs, "valid_until"),
                PersonalSignature.Status.valueOf(rs.getString("status")), instant(rs, "created_at"),
                instant(rs, "cancelled_at"));
    }

    private static Capture capture(ResultSet rs, int n) throws SQLException {
        return new Capture(rs.getString("id"), rs.getString("resident_id"), rs.getString("document_sha256"),
                rs.getLong("document_length"), rs.getString("document_name"), instant(rs, "created_at"),
                instant(rs, "expires_at"), Capture.Status.valueOf(rs.getString("status")), rs.getBytes("capture_json"),
                instant(rs, "captured_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
