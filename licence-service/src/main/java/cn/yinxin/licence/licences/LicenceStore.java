package cn.yinxin.licence.licences;

import cn.yinxin.service.TransactionLocks;
import cn.yinxin.licence.types.LicenceType;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Repository;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The licence table, and the counters of serials and status list indexes (sequences; formerly licence_counter). */
@Repository
public class LicenceStore {

    /**
     * Every column a {@link Licence} is made of: not the PDF, which PostgreSQL keeps out of line (TOAST) and would
     * otherwise read, decompress and send for every look-up, status check and holder list (tens of kilobytes each).
     */
    static final String LICENCE_COLUMNS = "id, identifier, type_code, issuer_code, issuer_name, serial, version, "
            + "holder_kind, holder_name, holder_number, fields, physical_number, approval_item, valid_from, valid_until, "
            + "status, status_reason, status_changed_at, status_index, replaces, qr_text, issued_by, issued_at, "
            + "pdf IS NOT NULL AS has_pdf, ofd IS NOT NULL AS has_ofd";

    /**
     * The look-ups a call makes, each answered through an index at any size of the registry (RegistryIndexesTest
     * asks PostgreSQL's plan of each; RegistryBenchmark times them at 10 million licences).
     */
    static final String BY_IDENTIFIER = "SELECT " + LICENCE_COLUMNS + " FROM licence WHERE identifier = :identifier";
    static final String SUCCESSOR = "SELECT " + LICENCE_COLUMNS + " FROM licence WHERE replaces = :id";
    static final String OF_HOLDER = "SELECT " + LICENCE_COLUMNS + " FROM licence WHERE holder_number = :n ORDER BY issued_at";
    static final String ENDED_BEFORE = "SELECT identifier FROM licence WHERE status IN ('VALID', 'SUSPENDED') "
            + "AND valid_until < :today ORDER BY valid_until LIMIT :limit";

    private final JdbcClient jdbc;
    private final DataSource dataSource;

    public LicenceStore(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /**
     * The next value of a counter (serial of a year, status list index): a PostgreSQL sequence per issuer, type and
     * counter, so that two issuances never get the same one. {@code nextval} holds no lock until the transaction
     * ends (a counter row did, and made every issuance of a type wait for the one before, seal service call and
     * all); the price is a gap when an issuance fails: a serial never printed, a status list index that stays 0 and
     * that no credential names. A database counted by the licence_counter table goes on from its value.
     */
    public long next(String issuerCode, String typeCode, String name, long first) {
        String sequence = sequence(issuerCode, typeCode, name);
        if (!jdbc.sql("SELECT EXISTS (SELECT 1 FROM pg_class WHERE relkind = 'S' AND relname = :s "
                + "AND relnamespace = current_schema()::regnamespace)").param("s", sequence).query(Boolean.class).single()) {
            long start = jdbc.sql("SELECT next_value FROM licence_counter WHERE issuer_code = :i AND type_code = :t AND name = :n")
                    .param("i", issuerCode).param("t", typeCode).param("n", name).query(Long.class).optional().orElse(first);
            create(sequence, start);
        }
        return jdbc.sql("SELECT nextval('" + sequence + "')").query(Long.class).single();
    }

    /** Makes the sequence; one made at the same moment by another transaction is as good (a savepoint keeps ours). */
    private void create(String sequence, long start) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            boolean inTransaction = !connection.getAutoCommit();
            Savepoint savepoint = inTransaction ? connection.setSavepoint() : null;
            try (var statement = connection.createStatement()) {
                statement.execute("CREATE SEQUENCE IF NOT EXISTS " + sequence + " MINVALUE 0 START WITH " + start);
                if (savepoint != null) {
                    connection.releaseSavepoint(savepoint);
                }
            } catch (SQLException e) {
                if (savepoint == null) {
                    throw e;
                }
                connection.rollback(savepoint);   // made by a concurrent transaction, committed now
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make the counter " + sequence, e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    static String sequence(String issuerCode, String typeCode, String name) {
        String sequence = ("lc_" + issuerCode + "_" + typeCode + "_" + name).toLowerCase().replaceAll("[^a-z0-9_]", "_");
        if (!sequence.matches("[a-z0-9_]{1,63}")) {
            throw new IllegalArgumentException("counter " + sequence);
        }
        return sequence;
    }

    /** One version with its sealed files ({@code pdf} or {@code ofd} null when its type does not issue it). */
    public void insert(Licence l, byte[] pdf, byte[] ofd) {
        jdbc.sql("""
                INSERT INTO licence (id, identifier, type_code, issuer_code, issuer_name, serial, version, holder_kind,
                    holder_name, holder_number, fields, physical_number, approval_item, valid_from, valid_until, status,
                    status_reason, status_changed_at, status_index, replaces, qr_text, pdf, ofd, issued_by, issued_at)
                VALUES (:id, :identifier, :type, :issuer, :issuerName, :serial, :version, :kind, :holderName,
                    :holderNumber, :fields, :physical, :approval, :from, :until, :status, :reason, :changed, :index,
                    :replaces, :qr, :pdf, :ofd, :by, :at)""")
                .param("id", l.id()).param("identifier", l.identifier()).param("type", l.typeCode())
                .param("issuer", l.issuerCode()).param("issuerName", l.issuerName()).param("serial", l.serial())
                .param("version", l.version()).param("kind", l.holder().kind().name())
                .param("holderName", l.holder().name()).param("holderNumber", l.holder().number())
                .param("fields", l.fields()).param("physical", l.physicalNumber()).param("approval", l.approvalItem())
                .param("from", Date.valueOf(l.validFrom()))
                .param("until", l.validUntil() == null ? null : Date.valueOf(l.validUntil()))
                .param("status", l.status().name()).param("reason", l.statusReason())
                .param("changed", Timestamp.from(l.statusChangedAt())).param("index", l.statusIndex())
                .param("replaces", l.replaces()).param("qr", l.qrText()).param("pdf", pdf).param("ofd", ofd)
                .param("by", l.issuedBy()).param("at", Timestamp.from(l.issuedAt()))
                .update();
    }

    public boolean changeStatus(UUID id, LicenceStatus from, LicenceStatus to, String reason, Instant at) {
        return jdbc.sql("""
                UPDATE licence SET status = :to, status_reason = :reason, status_changed_at = :at
                WHERE id = :id AND status = :from""")
                .param("id", id).param("from", from.name()).param("to", to.name()).param("reason", reason)
                .param("at", Timestamp.from(at)).update() == 1;
    }

    public Optional<Licence> byIdentifier(String identifier, boolean lock) {
        return jdbc.sql(BY_IDENTIFIER + (lock ? " FOR UPDATE" : ""))
                .param("identifier", identifier).query(LicenceStore::licence).optional();
    }

    /**
     * Holds the issuances of one physical licence (type and physical number) one after another until this transaction
     * ends, so that a second one sees the first's licence instead of sealing its own.
     */
    public void lockPhysicalNumber(String typeCode, String physicalNumber) {
        TransactionLocks.hold(jdbc, "licence-issue:" + typeCode + "/" + physicalNumber);
    }

    public Optional<Licence> byPhysicalNumber(String typeCode, String physicalNumber, int version) {
        return jdbc.sql("SELECT " + LICENCE_COLUMNS + " FROM licence WHERE type_code = :t AND physical_number = :p "
                        + "AND version = :v")
                .param("t", typeCode).param("p", physicalNumber).param("v", version).query(LicenceStore::licence).optional();
    }

    /** The version that replaced {@code id}: every status check asks it (index licence_by_replaces, V91). */
    public Optional<Licence> successorOf(UUID id) {
        return jdbc.sql(SUCCESSOR).param("id", id).query(LicenceStore::licence).optional();
    }

    /** The sealed PDF; empty when there is no such licence or its type issued no PDF. */
    public Optional<byte[]> pdf(String identifier) {
        return jdbc.sql("SELECT pdf FROM licence WHERE identifier = :i AND pdf IS NOT NULL").param("i", identifier)
                .query(byte[].class).optional();
    }

    /** The sealed OFD; empty when there is no such licence or its type issued no OFD. */
    public Optional<byte[]> ofd(String identifier) {
        return jdbc.sql("SELECT ofd FROM licence WHERE identifier = :i AND ofd IS NOT NULL").param("i", identifier)
                .query(byte[].class).optional();
    }

    public List<Licence> ofHolder(String holderNumber) {
        return jdbc.sql(OF_HOLDER).param("n", holderNumber)
                .query(LicenceStore::licence).list();
    }

    /** The list value of every index of one status list (indexes never given are 0). */
    /**
     * Hands each licence of the type that is not valid (index, list value) to {@code entry}, row by row: the valid
     * ones are the zeros a list starts with, so a list of millions reads only its few percent of others
     * (index licence_not_valid).
     */
    public void notValid(String issuerCode, String typeCode, ObjIntConsumer<Integer> entry) {
        jdbc.sql("SELECT status_index, status FROM licence WHERE issuer_code = :i AND type_code = :t "
                        + "AND status <> 'VALID'")
                .param("i", issuerCode).param("t", typeCode)
                .query((RowCallbackHandler) rs -> entry.accept(rs.getInt(1),
                        LicenceStatus.valueOf(rs.getString(2)).listValue()));
    }

    public long size(String issuerCode, String typeCode) {
        String sequence = sequence(issuerCode, typeCode, "status-index");
        boolean exists = jdbc.sql("SELECT EXISTS (SELECT 1 FROM pg_class WHERE relkind = 'S' AND relname = :s "
                + "AND relnamespace = current_schema()::regnamespace)").param("s", sequence).query(Boolean.class).single();
        if (!exists) {
            return jdbc.sql("SELECT coalesce(max(next_value), 0) FROM licence_counter WHERE issuer_code = :i AND type_code = :t "
                    + "AND name = 'status-index'").param("i", issuerCode).param("t", typeCode).query(Long.class).single();
        }
        // the next index to give: last_value + 1 once one was given, else the start
        return jdbc.sql("SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM " + sequence)
                .query(Long.class).single();
    }

    /**
     * At most {@code limit} valid or suspended licences whose validity ended before {@code today}, longest ended
     * first (index licence_ending, V91).
     */
    public List<String> endedBefore(LocalDate today, int limit) {
        return jdbc.sql(ENDED_BEFORE).param("limit", limit)
                .param("today", Date.valueOf(today)).query(String.class).list();
    }

    static Licence licence(ResultSet rs, int row) throws SQLException {
        Date until = rs.getDate("valid_until");
        return new Licence(rs.getObject("id", UUID.class), rs.getString("identifier"), rs.getString("type_code"),
                rs.getString("issuer_code"), rs.getString("issuer_name"), rs.getString("serial"), rs.getInt("version"),
                new Holder(Holder.Kind.valueOf(rs.getString("holder_kind")), rs.getString("holder_name"),
                        rs.getString("holder_number")),
                rs.getString("fields"), rs.getString("physical_number"), rs.getString("approval_item"),
                rs.getDate("valid_from").toLocalDate(), until == null ? null : until.toLocalDate(),
                LicenceStatus.valueOf(rs.getString("status")), rs.getString("status_reason"),
                rs.getObject("status_changed_at", OffsetDateTime.class).toInstant(), rs.getInt("status_index"),
                rs.getObject("replaces", UUID.class), rs.getString("qr_text"), rs.getString("issued_by"),
                rs.getObject("issued_at", OffsetDateTime.class).toInstant(), files(rs));
    }

    private static Set<LicenceType.Format> files(ResultSet rs) throws SQLException {
        var files = EnumSet.noneOf(LicenceType.Format.class);
        if (rs.getBoolean("has_pdf")) {
            files.add(LicenceType.Format.PDF);
        }
        if (rs.getBoolean("has_ofd")) {
            files.add(LicenceType.Format.OFD);
        }
        return Set.copyOf(files);
    }
}
