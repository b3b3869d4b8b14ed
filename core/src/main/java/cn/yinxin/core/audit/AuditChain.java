package cn.yinxin.core.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The hash chain of an audit log: hash(n) = SHA-256(hash(n-1) || id || time || actor || action || subject ||
 * details), each field length-prefixed, the first entry chained to 32 zero bytes. {@link #verify} recomputes it
 * from the rows and names the first entry that does not fit: a changed row (its hash no longer matches its
 * content), a deleted or reordered row (its predecessor's hash is not the one it was chained to).
 */
public final class AuditChain {

    /** What the first entry is chained to. */
    public static final byte[] GENESIS = new byte[32];

    /** One entry's content, as hashed. */
    public record Entry(long id, java.time.Instant at, String actor, String action, String subject, String details) {
    }

    /** What a check found: the entries checked, and the first broken one (null when the chain is whole). */
    public record Result(long entries, Long firstBroken, String problem, byte[] lastHash) {

        public boolean intact() {
            return firstBroken == null;
        }
    }

    private AuditChain() {
    }

    public static byte[] hash(byte[] previous, Entry entry) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            data.writeBytes(previous);
            field(data, Long.toString(entry.id()));
            field(data, Long.toString(entry.at().getEpochSecond()) + "." + String.format("%06d", entry.at().getNano() / 1000));
            field(data, entry.actor());
            field(data, entry.action());
            field(data, entry.subject());
            field(data, entry.details());
            return sha256.digest(data.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.write(0xff);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >>> 24);
        out.write(bytes.length >>> 16);
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    /** Recomputes the chain of {@code audit_event} over a JDBC connection (the CLI's {@code audit verify}). */
    public static Result verify(Connection connection) throws SQLException {
        byte[] expectedPrevious = GENESIS;
        long count = 0;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, at, actor, action, subject, details, prev_hash, hash FROM audit_event "
                        + "WHERE hash IS NOT NULL ORDER BY id")) {
            statement.setFetchSize(1000);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    count++;
                    long id = rs.getLong("id");
                    var entry = new Entry(id, rs.getObject("at", OffsetDateTime.class).toInstant(),
                            rs.getString("actor"), rs.getString("action"), rs.getString("subject"), rs.getString("details"));
                    byte[] previous = rs.getBytes("prev_hash");
                    byte[] stored = rs.getBytes("hash");
                    if (!Arrays.equals(previous, expectedPrevious)) {
                        return new Result(count, id, "entry " + id + " is chained to "
                                + HexFormat.of().formatHex(previous).substring(0, 16) + "..., but the entry before it has hash "
                                + HexFormat.of().formatHex(expectedPrevious).substring(0, 16)
                                + "...: an entry before it was deleted, inserted or moved", null);
                    }
                    if (!Arrays.equals(stored, hash(previous, entry))) {
                        return new Result(count, id, "entry " + id + " was changed after it was written: its content no "
                                + "longer matches its hash", null);
                    }
                    expectedPrevious = stored;
                }
            }
        }
        return new Result(count, null, null, expectedPrevious);
    }
}
