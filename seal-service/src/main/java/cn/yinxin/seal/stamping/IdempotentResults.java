package cn.yinxin.seal.stamping;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** First answers to requests that carried an Idempotency-Key, per caller. */
@Repository
public class IdempotentResults {

    /** A stored first answer and the fingerprint of the request that got it. */
    /** {@code result} holds the sealed bytes, or {@code resultFile} names the file of a large one. */
    public record Stored(String requestSha256, UUID stampId, byte[] result, String resultFile, String requestedLevel) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public IdempotentResults(JdbcClient jdbc, Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
    }

    public Optional<Stored> find(String caller, String key) {
        return jdbc.sql("SELECT request_sha256, stamp_id, result, result_file, requested_level FROM stamp_idempotency "
                        + "WHERE caller = :c AND key = :k")
                .param("c", caller).param("k", key)
                .query((rs, n) -> new Stored(rs.getString(1), rs.getObject(2, UUID.class), rs.getBytes(3),
                        rs.getString(4), rs.getString(5)))
                .optional();
    }

    /** False when another request with the same key got there first. */
    public boolean add(String caller, String key, String requestSha256, UUID stampId, byte[] result, String resultFile,
                       String requestedLevel) {
        return jdbc.sql("""
                INSERT INTO stamp_idempotency (caller, key, request_sha256, stamp_id, result, result_file, requested_level,
                    created_at)
                VALUES (:c, :k, :h, :s, :r, :f, :l, :t) ON CONFLICT (caller, key) DO NOTHING
                """).param("c", caller).param("k", key).param("h", requestSha256).param("s", stampId)
                .param("r", result).param("f", resultFile).param("l", requestedLevel).param("t", Timestamp.from(clock.instant())).update() == 1;
    }
}
