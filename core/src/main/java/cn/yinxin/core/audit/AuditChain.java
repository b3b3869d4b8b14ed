package cn.yinxin.core.audit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The hash chain of an audit log: hash(n) = SHA-256(hash(n-1) || id || time || actor || action || subject ||
 * details), each field length-prefixed, the first entry chained to 32 zero bytes. {@link #verify} recomputes it
 * from the rows and names the first entry that does not fit: a changed row (its hash no longer matches its
 * content), a deleted or reordered row (its predecessor's hash is not the one it was chained to), a row without a
 * hash (outside the chain: audit views never show one).
 */
public final class AuditChain {

    /** What the first entry is chained to. */
    public static final byte[] GENESIS = new byte[32];

    /** One entry's content, as hashed. */
    public record Entry(long id, Instant at, String actor, String action, String subject, String details) {
    }

    /**
     * What a check found: the entries checked, the first broken one (null when the chain is whole), the signed
     * checkpoints that matched, and the last entry a matching checkpoint covers.
     */
    public record Result(long entries, Long firstBroken, String problem, byte[] lastHash, int checkpoints,
                         long coveredUpTo) {

        Result(long entries, Long firstBroken, String problem, byte[] lastHash) {
            this(entries, firstBroken, problem, lastHash, 0, 0);
        }

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

    /** Why an entry without a hash fails: it is outside the chain. */
    public static String unchained(long id) {
        return "entry " + id + " has no hash: it is outside the hash chain (written directly in the database, or "
                + "before the chain existed), so nothing vouches for it";
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

    /** Recomputes the chain of {@code audit_event} over a JDBC connection, without checkpoints. */
    public static Result verify(Connection connection) throws SQLException {
        return verify(connection, null, false);
    }

    /**
     * Recomputes the chain and checks the signed checkpoints ({@code audit_checkpoint}): each must name an entry
     * whose recomputed hash it states, and verify with {@code pinned} (the service's audit certificate; null: with
     * the certificate stored beside it, which only proves consistency). A rewrite of the chain that recomputed every
     * later hash is caught at the first checkpoint after the rewritten entry.
     */
    public static Result verify(Connection connection, X509Certificate pinned,
                                boolean withCheckpoints) throws SQLException {
        NavigableMap<Long, AuditCheckpoint> checkpoints = withCheckpoints ? checkpoints(connection)
                : new TreeMap<>();
        byte[] expectedPrevious = GENESIS;
        long count = 0;
        int matched = 0;
        long covered = 0;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, at, actor, action, subject, details, prev_hash, hash FROM audit_event ORDER BY id")) {
            statement.setFetchSize(1000);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    count++;
                    long id = rs.getLong("id");
                    var entry = new Entry(id, rs.getObject("at", OffsetDateTime.class).toInstant(),
                            rs.getString("actor"), rs.getString("action"), rs.getString("subject"), rs.getString("details"));
                    byte[] previous = rs.getBytes("prev_hash");
                    byte[] stored = rs.getBytes("hash");
                    // a checkpoint for an entry that is gone: the entries up to it were rewritten
                    Long skipped = checkpoints.isEmpty() ? null : checkpoints.firstKey();
                    if (skipped != null && skipped < id) {
                        return new Result(count, skipped, "the signed checkpoint names entry " + skipped
                                + ", which is no longer in the log", null, matched, covered);
                    }
                    String problem = chainProblem(id, entry, previous, stored, expectedPrevious);
                    if (problem != null) {
                        return new Result(count, id, problem, null, matched, covered);
                    }
                    AuditCheckpoint checkpoint = checkpoints.remove(id);
                    if (checkpoint != null) {
                        problem = checkpointProblem(checkpoint, id, stored, covered, pinned);
                        if (problem != null) {
                            return new Result(count, covered + 1, problem, null, matched, covered);
                        }
                        matched++;
                        covered = id;
                    }
                    expectedPrevious = stored;
                }
            }
        }
        if (!checkpoints.isEmpty()) {
            return new Result(count, checkpoints.firstKey(), "the signed checkpoint names entry " + checkpoints.firstKey()
                    + ", which is no longer in the log", null, matched, covered);
        }
        return new Result(count, null, null, expectedPrevious, matched, covered);
    }

    /** Why entry {@code id} breaks the chain, or null when it follows {@code expectedPrevious} unchanged. */
    private static String chainProblem(long id, Entry entry, byte[] previous, byte[] stored, byte[] expectedPrevious) {
        if (stored == null || previous == null) {
            // every entry the service writes is chained: one without a hash was written around it (or
            // before the chain existed) and nothing vouches for it
            return unchained(id);
        }
        if (!Arrays.equals(previous, expectedPrevious)) {
            return "entry " + id + " is chained to "
                    + HexFormat.of().formatHex(previous).substring(0, 16) + "..., but the entry before it has hash "
                    + HexFormat.of().formatHex(expectedPrevious).substring(0, 16)
                    + "...: an entry before it was deleted, inserted or moved";
        }
        if (!Arrays.equals(stored, hash(previous, entry))) {
            return "entry " + id + " was changed after it was written: its content no "
                    + "longer matches its hash";
        }
        return null;
    }

    /** Why the checkpoint signed for entry {@code id} (whose hash is {@code hash}) fails, or null when it holds. */
    private static String checkpointProblem(AuditCheckpoint checkpoint, long id, byte[] hash, long covered,
                                            X509Certificate pinned) {
        if (!Arrays.equals(checkpoint.hash(), hash)) {
            return "the log was rewritten after entry " + covered
                    + ": the checkpoint signed for entry " + id + " states another hash than the "
                    + "entries now give";
        }
        if (!checkpoint.verifies() || pinned != null && !pinned.equals(checkpoint.certificate())) {
            return "the checkpoint for entry " + id + " is not signed "
                    + "by the service's audit key";
        }
        return null;
    }

    private static NavigableMap<Long, AuditCheckpoint> checkpoints(Connection connection) throws SQLException {
        NavigableMap<Long, AuditCheckpoint> checkpoints = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT up_to, hash, at, signature, certificate FROM audit_checkpoint ORDER BY up_to");
             ResultSet rs = statement.executeQuery()) {
            var factory = CertificateFactory.getInstance("X.509");
            while (rs.next()) {
                var certificate = (X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(rs.getBytes("certificate")));
                checkpoints.put(rs.getLong("up_to"), new AuditCheckpoint(rs.getLong("up_to"), rs.getBytes("hash"),
                        rs.getObject("at", OffsetDateTime.class).toInstant(), rs.getBytes("signature"), certificate));
            }
        } catch (CertificateException e) {
            throw new SQLException("a checkpoint's certificate cannot be read", e);
        }
        return checkpoints;
    }
}
