package cn.yinxin.seal.stamping;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stamp records in PostgreSQL. */
@Repository
public class StampRecords {

    private final JdbcClient jdbc;

    public StampRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void add(StampRecord r) {
        jdbc.sql("""
                INSERT INTO stamp_record (id, seal_id, caller, document_sha256_before, document_sha256_after,
                                          signature_level, page, x_mm, y_mm, anchor, stamped_at)
                VALUES (:id, :seal, :caller, :before, :after, :level, :page, :x, :y, :anchor, :at)
                """)
                .param("id", r.id()).param("seal", r.sealId()).param("caller", r.caller())
                .param("before", r.documentSha256Before()).param("after", r.documentSha256After())
                .param("level", r.signatureLevel()).param("page", r.page()).param("x", r.xMm()).param("y", r.yMm()).param("anchor", r.anchor())
                .param("at", Timestamp.from(r.stampedAt()))
                .update();
    }

    public Optional<StampRecord> find(UUID id) {
        return jdbc.sql("SELECT * FROM stamp_record WHERE id = :id").param("id", id).query(StampRecords::row).optional();
    }

    /** The records of the seals that made one result document, in the order they were put. */
    public List<StampRecord> forResult(String documentSha256After) {
        return jdbc.sql("SELECT * FROM stamp_record WHERE document_sha256_after = :h ORDER BY page, x_mm, y_mm")
                .param("h", documentSha256After).query(StampRecords::row).list();
    }

    private static StampRecord row(ResultSet rs, int n) throws SQLException {
        return new StampRecord(rs.getObject("id", UUID.class), rs.getString("seal_id"),
                        rs.getString("caller"), rs.getString("document_sha256_before"),
                        rs.getString("document_sha256_after"), rs.getString("signature_level"), rs.getInt("page"),
                        rs.getDouble("x_mm"), rs.getDouble("y_mm"), rs.getString("anchor"),
                        rs.getTimestamp("stamped_at").toInstant());
    }
}
