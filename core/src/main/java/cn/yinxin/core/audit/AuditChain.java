package cn.yinxin.core.audit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
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
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The hash chains of an audit log: hash(n) = SHA-256(hash(n-1) || id || time || actor || action || subject ||
 * details [|| chain]), each field length-prefixed, n-1 the entry before n in the same chain, the first entry of a
 * chain chained to 32 zero bytes. An entry of chain 0 (the only chain before there were several) has no chain field;
 * an entry of another chain hashes its chain's number, so that no entry can be moved from one chain to another.
 * Entries go to one of a few chains (whichever is free: {@code AuditLog}) so that appends by many writers need not
 * wait for each other's commits; a signed checkpoint covers every chain at once ({@link #headsDigest}).
 * {@link #verify} recomputes the chains from the rows and names the first entry that does not fit: a changed row
 * (its hash no longer matches its content), a deleted or reordered row (its predecessor's hash is not the one it
 * was chained to), a row without a hash (outside the chain: audit views never show one).
 */
public final class AuditChain {

    /** What the first entry is chained to. */
    public static final byte[] GENESIS = new byte[32];

    /** One entry's content, as hashed, and the chain it is in. */
    public record Entry(long id, Instant at, String actor, String action, String subject, String details, int chain) {

        /** An entry of chain 0. */
        public Entry(long id, Instant at, String actor, String action, String subject, String details) {
            this(id, at, actor, action, subject, details, 0);
        }
    }

    /** The most chains an audit log has (numbered from 0); a checkpoint locks and reads every one of them. */
    public static final int MAX_CHAINS = 64;

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
            if (entry.chain() != 0) {
                field(data, Integer.toString(entry.chain()));
            }
            return sha256.digest(data.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a checkpoint signs for the chains' last entries ({@code heads}: each chain's last hash, by chain): the
     * last hash itself when chain 0 is the only one (as checkpoints were before there were several chains), else
     * SHA-256 of "yinxin-audit-heads" and each chain's number and last hash in the chains' order. Leaving out a
     * whole chain, or its last entries, changes it.
     */
    public static byte[] headsDigest(SortedMap<Integer, byte[]> heads) {
        if (heads.size() == 1 && heads.containsKey(0)) {
            return heads.get(0);
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("yinxin-audit-heads".getBytes(StandardCharsets.US_ASCII));
            heads.forEach((chain, hash) -> {
                sha256.update(ByteBuffer.allocate(4).putInt(chain).array());
                sha256.update(hash);
            });
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code audit_event} has the chain column (a log written before there were several chains has not). */
    public static boolean hasChains(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM information_schema.columns "
                + "WHERE table_name = 'audit_event' AND column_name = 'chain' AND table_schema = current_schema()");
             ResultSet rs = statement.executeQuery()) {
            return rs.next();
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
        SortedMap<Integer, byte[]> heads = new TreeMap<>();
        long count = 0;
        long lastId = Long.MIN_VALUE;
        int matched = 0;
        long covered = 0;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, at, actor, action, subject, details, prev_hash, hash, "
                        + (hasChains(connection) ? "chain" : "0 AS chain") + " FROM audit_event ORDER BY id")) {
            statement.setFetchSize(1000);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    count++;
                    long id = rs.getLong("id");
                    if (id == lastId) {
                        // the id is the table's key; a second row with it (the key dropped) could pass for the entry a
                        // checkpoint signed, or hide beside it
                        return new Result(count, id, "entry " + id + " appears twice: a row was written beside it",
                                null, matched, covered);
                    }
                    lastId = id;
                    var entry = new Entry(id, rs.getObject("at", OffsetDateTime.class).toInstant(),
                            rs.getString("actor"), rs.getString("action"), rs.getString("subject"), rs.getString("details"),
                            rs.getInt("chain"));
                    byte[] expectedPrevious = heads.getOrDefault(entry.chain(), GENESIS);
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
                    heads.put(entry.chain(), stored);
                    AuditCheckpoint checkpoint = checkpoints.remove(id);
                    if (checkpoint != null) {
                        // every entry up to the checkpoint's was written when it was signed, and none since
                        problem = checkpointProblem(checkpoint, id, headsDigest(heads), covered, pinned);
                        if (problem != null) {
                            return new Result(count, covered + 1, problem, null, matched, covered);
                        }
                        matched++;
                        covered = id;
                    }
                }
            }
        }
        if (!checkpoints.isEmpty()) {
            return new Result(count, checkpoints.firstKey(), "the signed checkpoint names entry " + checkpoints.firstKey()
                    + ", which is no longer in the log", null, matched, covered);
        }
        return new Result(count, null, null, heads.isEmpty() ? GENESIS : headsDigest(heads), matched, covered);
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
                    + "...: an entry before it in its chain (" + entry.chain() + ") was deleted, inserted or moved";
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
