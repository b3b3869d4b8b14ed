package cn.yinxin.seal.registry;

import cn.yinxin.core.pdf.sign.SignatureLevel;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.security.cert.CertificateException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The seal and seal_user tables. */
@Repository
public class SealStore {

    /** What is stored on creation besides the seal's fields: the uploaded image and the certificate. */
    public record NewSeal(Seal seal, byte[] image, byte[] certificate, String chainPem, byte[] seseal) {
        public NewSeal(Seal seal, byte[] image, byte[] certificate, String chainPem) {
            this(seal, image, certificate, chainPem, null);
        }
    }

    /** A seal's new key and certificate at renewal (the seal's status becomes ACTIVE). */
    public record Renewal(String keyAlias, byte[] certificate, String chainPem, String caIssuer, String caSerial,
                          Instant validFrom, Instant validUntil, byte[] seseal, Instant at) {
    }

    /** One of a seal's certificates: the current one ({@code replacedAt} null) or one it had before a renewal. */
    public record CertificateEntry(String caIssuer, String caSerial, String chainPem, Instant validFrom,
                                   Instant validUntil, Instant replacedAt) {
    }

    private final JdbcClient jdbc;
    private final CertificateSubjects subjects = new CertificateSubjects();

    public SealStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(String id) {
        return jdbc.sql("SELECT count(*) FROM seal WHERE id = :id").param("id", id).query(Long.class).single() > 0;
    }

    public void insert(NewSeal created) {
        Seal s = created.seal();
        jdbc.sql("""
                INSERT INTO seal (id, name, agency, agency_code, kind, image, image_type, stamp_png, width_mm, height_mm,
                    key_alias, key_file, certificate, chain_pem, ca_issuer, ca_serial, valid_from, valid_until, status,
                    status_reason, status_changed_at, default_level, created_by, created_at, seseal)
                VALUES (:id, :name, :agency, :agencyCode, :kind, :image, :imageType, :stampPng, :widthMm, :heightMm,
                    :keyAlias, :keyFile, :certificate, :chainPem, :caIssuer, :caSerial, :validFrom, :validUntil, :status,
                    :statusReason, :statusChangedAt, :defaultLevel, :createdBy, :createdAt, :seseal)""")
                .param("id", s.id()).param("name", s.name()).param("agency", s.agency())
                .param("agencyCode", s.agencyCode()).param("kind", s.kind().name()).param("image", created.image())
                .param("imageType", s.imageType()).param("stampPng", s.stampPng()).param("widthMm", s.widthMm())
                .param("heightMm", s.heightMm()).param("keyAlias", s.keyAlias()).param("keyFile", s.keyFile())
                .param("certificate", created.certificate()).param("chainPem", created.chainPem())
                .param("caIssuer", s.caIssuer()).param("caSerial", s.caSerial())
                .param("validFrom", ts(s.validFrom())).param("validUntil", ts(s.validUntil()))
                .param("status", s.status().name()).param("statusReason", s.statusReason())
                .param("statusChangedAt", ts(s.statusChangedAt())).param("defaultLevel", s.defaultLevel().name())
                .param("createdBy", s.createdBy()).param("createdAt", ts(s.createdAt()))
                .param("seseal", created.seseal())
                .update();
        replaceUsers(s.id(), s.users());
    }

    public void replaceUsers(String sealId, List<SealUser> users) {
        jdbc.sql("DELETE FROM seal_user WHERE seal_id = :id").param("id", sealId).update();
        for (SealUser user : users) {
            jdbc.sql("""
                    INSERT INTO seal_user (seal_id, client_id, levels, may_certify, may_cross_page)
                    VALUES (:id, :client, string_to_array(:levels, ','), :certify, :crossPage)""")
                    .param("id", sealId).param("client", user.client())
                    .param("levels", user.levels().stream().map(Enum::name).sorted().collect(Collectors.joining(",")))
                    .param("certify", user.certify()).param("crossPage", user.crossPage())
                    .update();
        }
    }

    public void updateDetails(String id, String name, SignatureLevel defaultLevel) {
        jdbc.sql("UPDATE seal SET name = :name, default_level = :level WHERE id = :id")
                .param("id", id).param("name", name).param("level", defaultLevel.name()).update();
    }

    /** Changes the status if it is still {@code from}; false when another change came first. */
    public boolean changeStatus(String id, SealStatus from, SealStatus to, String reason, Instant at) {
        return jdbc.sql("""
                UPDATE seal SET status = :to, status_reason = :reason, status_changed_at = :at
                WHERE id = :id AND status = :from""")
                .param("id", id).param("from", from.name()).param("to", to.name()).param("reason", reason)
                .param("at", ts(at)).update() == 1;
    }

    /**
     * Keeps the seal's current certificate among its previous ones and puts the new key and certificate in its
     * place, if the seal still has the certificate {@code caSerial}; false when another renewal came first.
     */
    public boolean renew(String id, String caSerial, Renewal renewal) {
        int kept = jdbc.sql("""
                INSERT INTO seal_previous_certificate (seal_id, ca_issuer, ca_serial, certificate, chain_pem, valid_from,
                    valid_until, key_alias, key_file, seseal, replaced_at)
                SELECT id, ca_issuer, ca_serial, certificate, chain_pem, valid_from, valid_until, key_alias, key_file,
                    seseal, :at FROM seal WHERE id = :id AND ca_serial = :serial""")
                .param("id", id).param("serial", caSerial).param("at", ts(renewal.at())).update();
        if (kept != 1) {
            return false;
        }
        jdbc.sql("""
                UPDATE seal SET key_alias = :alias, key_file = NULL, certificate = :certificate, chain_pem = :chain,
                    ca_issuer = :issuer, ca_serial = :newSerial, valid_from = :from, valid_until = :until,
                    seseal = :seseal,
                    status_reason = CASE WHEN status = 'ACTIVE' THEN status_reason ELSE 'renewed' END,
                    status_changed_at = CASE WHEN status = 'ACTIVE' THEN status_changed_at ELSE :at END,
                    status = 'ACTIVE'
                WHERE id = :id AND ca_serial = :serial""")
                .param("id", id).param("serial", caSerial).param("alias", renewal.keyAlias())
                .param("certificate", renewal.certificate()).param("chain", renewal.chainPem())
                .param("issuer", renewal.caIssuer()).param("newSerial", renewal.caSerial())
                .param("from", ts(renewal.validFrom())).param("until", ts(renewal.validUntil()))
                .param("seseal", renewal.seseal()).param("at", ts(renewal.at())).update();
        return true;
    }

    /** The seal's certificates, the current one first, then the earlier ones, newest first. */
    public List<CertificateEntry> certificates(String id) {
        return jdbc.sql("""
                SELECT ca_issuer, ca_serial, chain_pem, valid_from, valid_until, NULL::timestamptz AS replaced_at
                FROM seal WHERE id = :id
                UNION ALL
                SELECT ca_issuer, ca_serial, chain_pem, valid_from, valid_until, replaced_at
                FROM seal_previous_certificate WHERE seal_id = :id
                ORDER BY replaced_at DESC NULLS FIRST""")
                .param("id", id).query((rs, n) -> new CertificateEntry(rs.getString("ca_issuer"),
                        rs.getString("ca_serial"), rs.getString("chain_pem"), instant(rs, "valid_from"),
                        instant(rs, "valid_until"), instant(rs, "replaced_at"))).list();
    }

    /** Locks the row for a status change, so two administrators cannot race. */
    public Optional<Seal> findForUpdate(String id) {
        return jdbc.sql(SELECT + " WHERE id = :id FOR UPDATE").param("id", id).query(this::seal).optional()
                .map(s -> withUsers(List.of(s)).get(0));
    }

    public Optional<Seal> find(String id) {
        return jdbc.sql(SELECT + " WHERE id = :id").param("id", id).query(this::seal).optional()
                .map(s -> withUsers(List.of(s)).get(0));
    }

    /**
     * As {@link #find}, without the seal's image ({@code stampPng} is null): a stamp reads its seal's row on every
     * request for the status, validity and users, while the image is read once and kept ({@link SealRegistry}).
     */
    public Optional<Seal> findWithoutImage(String id) {
        return jdbc.sql(SELECT.replace(" stamp_png,", " NULL::bytea AS stamp_png,") + " WHERE id = :id")
                .param("id", id).query(this::seal).optional().map(s -> withUsers(List.of(s)).get(0));
    }

    /** What a stamp checks again just before it is recorded: the seal's status, validity, certificate and its caller's rights. */
    public record UsableNow(SealStatus status, Instant validUntil, String caSerial, SealUser user) {

        public SealStatus statusAt(Instant now) {
            return Seal.statusAt(status, validUntil, now);
        }
    }

    /**
     * The seal's row locked against changes (FOR SHARE) until the transaction ends, with {@code client}'s rights on
     * it: a stamp reads it again here just before it is recorded, so that a suspension, revocation, renewal or change
     * of users (each locks the row FOR UPDATE) either committed before and is seen, or waits for the stamp to commit.
     * One round trip, no certificate (reading the whole seal again, then its users, cost 13-19 % of the stamps a second).
     */
    public Optional<UsableNow> usableNow(String id, String client) {
        return jdbc.sql("""
                SELECT s.status, s.valid_until, s.ca_serial, u.client_id, u.levels, u.may_certify, u.may_cross_page
                FROM seal s LEFT JOIN seal_user u ON u.seal_id = s.id AND u.client_id = :client
                WHERE s.id = :id FOR SHARE OF s""")
                .param("id", id).param("client", client)
                .query((rs, n) -> new UsableNow(SealStatus.valueOf(rs.getString("status")), instant(rs, "valid_until"),
                        rs.getString("ca_serial"), rs.getString("client_id") == null ? null : new SealUser(
                        rs.getString("client_id"), levels(rs.getArray("levels")), rs.getBoolean("may_certify"),
                        rs.getBoolean("may_cross_page"))))
                .optional();
    }

    /** The seal's image as it is stamped (PNG). */
    public Optional<byte[]> stampPng(String id) {
        return jdbc.sql("SELECT stamp_png FROM seal WHERE id = :id").param("id", id).query(byte[].class).optional();
    }

    public List<Seal> all() {
        return withUsers(jdbc.sql(SELECT + " ORDER BY id").query(this::seal).list());
    }

    /** Active seals whose validity has ended. */
    public List<String> activePast(Instant now) {
        return jdbc.sql("SELECT id FROM seal WHERE status = 'ACTIVE' AND valid_until <= :now ORDER BY id")
                .param("now", ts(now)).query(String.class).list();
    }

    public Optional<byte[]> image(String id) {
        return jdbc.sql("SELECT image FROM seal WHERE id = :id").param("id", id).query(byte[].class).optional();
    }

    /** The seal's GB/T 38540 SESeal (DER), when it has one. */
    public Optional<byte[]> seseal(String id) {
        return sesealWithSerial(id).map(StoredSeSeal::seseal);
    }

    /** A seal's SESeal with the serial of the certificate it was made for (the seal's current one). */
    public record StoredSeSeal(String caSerial, byte[] seseal) {
    }

    public Optional<StoredSeSeal> sesealWithSerial(String id) {
        return jdbc.sql("SELECT ca_serial, seseal FROM seal WHERE id = :id AND seseal IS NOT NULL").param("id", id)
                .query((rs, n) -> new StoredSeSeal(rs.getString("ca_serial"), rs.getBytes("seseal"))).optional();
    }

    public Optional<String> chainPem(String id) {
        return jdbc.sql("SELECT chain_pem FROM seal WHERE id = :id").param("id", id).query(String.class).optional();
    }

    private static final String SELECT = """
            SELECT id, name, agency, agency_code, kind, image_type, stamp_png, width_mm, height_mm, key_alias, key_file,
                   ca_issuer, ca_serial, certificate, valid_from, valid_until, status, status_reason, status_changed_at,
                   default_level, created_by, created_at
            FROM seal""";

    private Seal seal(ResultSet rs, int row) throws SQLException {
        String subject;
        byte[] der = rs.getBytes("certificate");
        try {
            subject = subjects.of(der);
        } catch (CertificateException e) {
            throw new SQLException("stored certificate of seal " + rs.getString("id") + " cannot be read", e);
        }
        return new Seal(rs.getString("id"), rs.getString("name"), rs.getString("agency"),
                rs.getString("agency_code"), SealKind.valueOf(rs.getString("kind")), rs.getString("image_type"),
                rs.getBytes("stamp_png"), rs.getDouble("width_mm"), rs.getDouble("height_mm"),
                rs.getString("key_alias"), rs.getString("key_file"), rs.getString("ca_issuer"),
                rs.getString("ca_serial"), subject, instant(rs, "valid_from"), instant(rs, "valid_until"),
                SealStatus.valueOf(rs.getString("status")), rs.getString("status_reason"),
                instant(rs, "status_changed_at"), SignatureLevel.valueOf(rs.getString("default_level")), List.of(),
                rs.getString("created_by"), instant(rs, "created_at"));
    }

    private List<Seal> withUsers(List<Seal> seals) {
        if (seals.isEmpty()) {
            return seals;
        }
        Map<String, List<SealUser>> users = new HashMap<>();
        // one seal (every stamp asks for one): only its users, not every seal's (a province has thousands of seals)
        var query = seals.size() == 1
                ? jdbc.sql("SELECT seal_id, client_id, levels, may_certify, may_cross_page FROM seal_user "
                        + "WHERE seal_id = :id ORDER BY client_id").param("id", seals.get(0).id())
                : jdbc.sql("SELECT seal_id, client_id, levels, may_certify, may_cross_page FROM seal_user ORDER BY client_id");
        query.query((rs, n) -> {
                    users.computeIfAbsent(rs.getString("seal_id"), k -> new ArrayList<>()).add(new SealUser(
                            rs.getString("client_id"), levels(rs.getArray("levels")), rs.getBoolean("may_certify"),
                            rs.getBoolean("may_cross_page")));
                    return null;
                }).list();
        return seals.stream().map(s -> new Seal(s.id(), s.name(), s.agency(), s.agencyCode(), s.kind(), s.imageType(),
                s.stampPng(), s.widthMm(), s.heightMm(), s.keyAlias(), s.keyFile(), s.caIssuer(), s.caSerial(),
                s.certificateSubject(), s.validFrom(), s.validUntil(), s.status(), s.statusReason(),
                s.statusChangedAt(), s.defaultLevel(), users.getOrDefault(s.id(), List.of()), s.createdBy(),
                s.createdAt())).toList();
    }

    private static Set<SignatureLevel> levels(Array array) throws SQLException {
        Set<SignatureLevel> levels = EnumSet.noneOf(SignatureLevel.class);
        Arrays.stream((String[]) array.getArray()).map(SignatureLevel::valueOf).forEach(levels::add);
        return levels;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
