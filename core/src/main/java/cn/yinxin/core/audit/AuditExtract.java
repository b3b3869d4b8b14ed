package cn.yinxin.core.audit;

import cn.yinxin.core.pki.Pem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An auditor's extract of an audit log: the entries of a range, continued up to the first signed checkpoint that
 * covers the range's end, with that checkpoint (signed by the service's audit key). Whoever holds the extract and
 * the service's pinned audit certificate can check offline that the entries are the service's own, unchanged and
 * complete from the range's first entry on: each entry's hash is recomputed and chained to the one before, and the
 * last one's hash is the one the key signed. Nothing outside the extract is trusted; the first entry's
 * {@code prevHash} is taken as given (the extract says nothing about entries before it).
 *
 * <p>The format ({@value #FORMAT}) is JSON: {@code entries} (id, at as an ISO instant, actor, action, subject,
 * details, prevHash and hash in hex) and {@code checkpoint} (upTo, hash in hex, at, signature in Base64,
 * certificate in PEM).
 */
public final class AuditExtract {

    public static final String FORMAT = "yinxin-audit-extract/1";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HexFormat HEX = HexFormat.of();

    /** No signed checkpoint covers the range yet (or the log is empty): nothing can be exported that verifies. */
    public static final class NotCovered extends Exception {
        NotCovered(String message) {
            super(message);
        }
    }

    private AuditExtract() {
    }

    /**
     * The entries {@code from} (null: the first) to {@code to} (null: the last one a checkpoint covers), and on to
     * the first checkpoint at or after {@code to}.
     */
    public static ObjectNode export(Connection connection, Long from, Long to, String source)
            throws SQLException, NotCovered {
        return export(connection, from, to, source, Clock.systemUTC());
    }

    /** As {@link #export(Connection, Long, Long, String)}, the extract stamped with {@code clock}'s time. */
    public static ObjectNode export(Connection connection, Long from, Long to, String source, Clock clock)
            throws SQLException, NotCovered {
        long end = lastEntry(connection, to);
        long start = from != null ? from : single(connection, "SELECT min(id) FROM audit_event", null);
        if (start < 0 || start > end) {
            throw new NotCovered("the range " + start + " to " + end + " holds no entries");
        }
        ObjectNode extract = JSON.createObjectNode();
        start = provenStart(connection, start, extract);
        extract.put("format", FORMAT);
        extract.put("source", source);
        extract.put("exportedAt", clock.instant().toString());
        extract.put("from", start);
        extract.put("to", end);
        coveringCheckpoint(connection, end, extract.putObject("checkpoint"));
        long upTo = extract.get("checkpoint").get("upTo").asLong();
        addEntries(connection, start, upTo, extract.putArray("entries"));
        return extract;
    }

    /** The range's last entry: {@code to}, or the last one a checkpoint covers. */
    private static long lastEntry(Connection connection, Long to) throws SQLException, NotCovered {
        if (to != null) {
            return to;
        }
        long end = single(connection, "SELECT max(up_to) FROM audit_checkpoint", null);
        if (end < 0) {
            throw new NotCovered("no signed checkpoint has been made yet (the services sign one every "
                    + "yinxin.audit.checkpoint-interval, 10 minutes by default)");
        }
        return end;
    }

    /**
     * Where the extract's chain starts, which must be proved too, or entries cut from its head go unnoticed: right
     * after the last signed checkpoint before {@code start} (carried along as startCheckpoint) or at the chain's first
     * entry (which chains to GENESIS).
     */
    private static long provenStart(Connection connection, long start, ObjectNode extract) throws SQLException {
        long anchor = single(connection, "SELECT max(up_to) FROM audit_checkpoint WHERE up_to < ?", start);
        if (anchor < 0) {
            return single(connection, "SELECT min(id) FROM audit_event", null);
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT up_to, hash, at, signature, certificate FROM audit_checkpoint WHERE up_to = ?")) {
            statement.setLong(1, anchor);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                checkpoint(extract.putObject("startCheckpoint"), rs);
            }
        }
        startHeads(connection, anchor, (ObjectNode) extract.get("startCheckpoint"));
        return anchor + 1;
    }

    /**
     * The last hash of every chain at the start checkpoint, which the checkpoint signs together
     * ({@link AuditChain#headsDigest}): where each chain of the extract starts. Left out when chain 0 is the only one
     * (the checkpoint's hash is then its last hash, as in extracts made before there were several chains).
     */
    private static void startHeads(Connection connection, long anchor, ObjectNode checkpoint) throws SQLException {
        if (!AuditChain.hasChains(connection)) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT DISTINCT ON (chain) chain, hash FROM audit_event WHERE id <= ? AND hash IS NOT NULL "
                        + "ORDER BY chain, id DESC")) {
            statement.setLong(1, anchor);
            ArrayNode heads = JSON.createArrayNode();
            boolean others = false;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    heads.addObject().put("chain", rs.getInt(1)).put("hash", HEX.formatHex(rs.getBytes(2)));
                    others |= rs.getInt(1) != 0;
                }
            }
            if (others) {
                checkpoint.set("heads", heads);
            }
        }
    }

    /** The first signed checkpoint at or after entry {@code end}. */
    private static void coveringCheckpoint(Connection connection, long end, ObjectNode checkpoint)
            throws SQLException, NotCovered {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT up_to, hash, at, signature, certificate FROM audit_checkpoint WHERE up_to >= ? "
                        + "ORDER BY up_to LIMIT 1")) {
            statement.setLong(1, end);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    long latest = single(connection, "SELECT max(up_to) FROM audit_checkpoint", null);
                    throw new NotCovered("no signed checkpoint covers entry " + end + " yet"
                            + (latest < 0 ? "" : " (the latest covers entry " + latest + "; export up to it, or wait "
                            + "for the next checkpoint)"));
                }
                checkpoint(checkpoint, rs);
            }
        }
    }

    private static void addEntries(Connection connection, long start, long upTo, ArrayNode entries)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, at, actor, action, subject, details, prev_hash, hash, "
                        + (AuditChain.hasChains(connection) ? "chain" : "0 AS chain") + " FROM audit_event "
                        + "WHERE id BETWEEN ? AND ? ORDER BY id")) {
            statement.setLong(1, start);
            statement.setLong(2, upTo);
            statement.setFetchSize(1000);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ObjectNode entry = entries.addObject();
                    entry.put("id", rs.getLong("id"));
                    entry.put("at", rs.getObject("at", OffsetDateTime.class).toInstant().toString());
                    entry.put("actor", rs.getString("actor"));
                    entry.put("action", rs.getString("action"));
                    entry.put("subject", rs.getString("subject"));
                    entry.put("details", rs.getString("details"));
                    byte[] previous = rs.getBytes("prev_hash");
                    byte[] hash = rs.getBytes("hash");
                    // a row outside the chain is exported as it is, so that the check names it
                    entry.put("prevHash", previous == null ? null : HEX.formatHex(previous));
                    entry.put("hash", hash == null ? null : HEX.formatHex(hash));
                    if (rs.getInt("chain") != 0) {
                        entry.put("chain", rs.getInt("chain"));
                    }
                }
            }
        }
    }

    private static void checkpoint(ObjectNode checkpoint, ResultSet rs) throws SQLException {
        checkpoint.put("upTo", rs.getLong("up_to"));
        checkpoint.put("hash", HEX.formatHex(rs.getBytes("hash")));
        checkpoint.put("at", rs.getObject("at", OffsetDateTime.class).toInstant().toString());
        checkpoint.put("signature", Base64.getEncoder().encodeToString(rs.getBytes("signature")));
        checkpoint.put("certificate", Pem.encode(certificate(rs.getBytes("certificate"))));
    }

    private static AuditCheckpoint read(JsonNode checkpoint) throws GeneralSecurityException {
        return new AuditCheckpoint(checkpoint.path("upTo").asLong(), HEX.parseHex(checkpoint.path("hash").asString()),
                Instant.parse(checkpoint.path("at").asString()),
                Base64.getDecoder().decode(checkpoint.path("signature").asString()),
                Pem.readCertificates(checkpoint.path("certificate").asString()
                        .getBytes(StandardCharsets.US_ASCII)).get(0));
    }

    /**
     * Checks an extract offline against the service's pinned audit certificate: every entry chained and unchanged,
     * the last one the entry the checkpoint names, with the hash it states, signed by the pinned key.
     */
    public static AuditChain.Result verify(JsonNode extract, X509Certificate pinned) {
        if (!FORMAT.equals(extract.path("format").asString(""))) {
            return broken(0, -1, "this is not a Yinxin audit extract (" + FORMAT + ")", 0);
        }
        JsonNode entries = extract.path("entries");
        JsonNode checkpoint = extract.path("checkpoint");
        if (!entries.isArray() || entries.isEmpty() || !checkpoint.isObject()) {
            return broken(0, -1, "the extract has no entries or no signed checkpoint", 0);
        }
        // where the chains start: right after a signed checkpoint, or at each chain's very first entry
        SortedMap<Integer, byte[]> heads = new TreeMap<>();
        JsonNode start = extract.path("startCheckpoint");
        if (start.isObject()) {
            AuditCheckpoint anchor;
            try {
                anchor = read(start);
            } catch (RuntimeException | GeneralSecurityException e) {
                return broken(0, -1, "the extract's start checkpoint cannot be read: " + e.getMessage(), 0);
            }
            if (!pinned.equals(anchor.certificate()) || !anchor.verifies()) {
                return broken(0, anchor.upTo(), "the start checkpoint (entry " + anchor.upTo() + ") is not signed by "
                        + "the pinned audit key", 0);
            }
            AuditChain.Result unproved = startHeads(start, anchor, heads);
            if (unproved != null) {
                return unproved;
            }
        }
        Walk walk = new Walk(heads);
        AuditChain.Result broken = walk.through(entries);
        if (broken != null) {
            return broken;
        }
        return signedEnd(checkpoint, pinned, walk);
    }

    /**
     * Fills {@code heads} with where each chain starts after the start checkpoint: its listed heads, which must be
     * what it signed, or its hash as chain 0's alone. A break, or null.
     */
    private static AuditChain.Result startHeads(JsonNode start, AuditCheckpoint anchor, SortedMap<Integer, byte[]> heads) {
        JsonNode listed = start.path("heads");
        if (!listed.isArray()) {
            heads.put(0, anchor.hash());
            return null;
        }
        try {
            for (JsonNode head : listed) {
                int chain = head.path("chain").asInt(-1);
                if (chain < 0 || chain >= AuditChain.MAX_CHAINS || heads.put(chain, HEX.parseHex(head.path("hash")
                        .asString())) != null) {
                    throw new IllegalArgumentException("chain " + head.path("chain"));
                }
            }
        } catch (RuntimeException e) {
            return broken(0, -1, "the extract's start checkpoint lists chains that cannot be read: " + e.getMessage(), 0);
        }
        if (!Arrays.equals(AuditChain.headsDigest(heads), anchor.hash())) {
            return broken(0, anchor.upTo(), "the chains' starts the extract lists are not the ones the start checkpoint "
                    + "(entry " + anchor.upTo() + ") signed", 0);
        }
        return null;
    }

    /** The extract's entries walked in order, each chained to the one before in its chain and matching its own hash. */
    private static final class Walk {
        long count;
        long previousId = Long.MIN_VALUE;
        final SortedMap<Integer, byte[]> heads;
        final java.util.Set<Integer> started = new java.util.HashSet<>();

        Walk(SortedMap<Integer, byte[]> heads) {
            this.heads = heads;
        }

        /** The first break in the entries, or null when they chain unchanged. */
        AuditChain.Result through(JsonNode entries) {
            for (JsonNode row : entries) {
                count++;
                long id = row.path("id").asLong();
                if (id <= previousId) {
                    return broken(count, id, "entry " + id + " is out of order", 0);
                }
                previousId = id;
                String hashText = row.path("hash").asString(null);
                String previousText = row.path("prevHash").asString(null);
                if (hashText == null || previousText == null) {
                    return broken(count, id, AuditChain.unchained(id), 0);
                }
                int chain = row.path("chain").asInt(0);
                if (chain < 0 || chain >= AuditChain.MAX_CHAINS) {
                    return broken(count, id, "entry " + id + " names no chain there can be (" + row.path("chain") + ")", 0);
                }
                byte[] stored = HEX.parseHex(hashText);
                byte[] previous = HEX.parseHex(previousText);
                if (!Arrays.equals(previous, heads.getOrDefault(chain, AuditChain.GENESIS))) {
                    return broken(count, id, started.add(chain) ? "entry " + id + " does not chain to where the extract says "
                            + "it starts (the chain's first entry, or the signed start checkpoint): entries were cut "
                            + "from its head" : "entry " + id + " is not chained to the entry before it in the extract: "
                            + "an entry was deleted, inserted or moved", 0);
                }
                started.add(chain);
                var entry = new AuditChain.Entry(id, Instant.parse(row.path("at").asString()), text(row, "actor"),
                        text(row, "action"), text(row, "subject"), text(row, "details"), chain);
                if (!Arrays.equals(stored, AuditChain.hash(previous, entry))) {
                    return broken(count, id, "entry " + id + " was changed: its content no longer matches its hash", 0);
                }
                heads.put(chain, stored);
            }
            return null;
        }
    }

    /** The end checkpoint names the last entry walked, states its hash and is signed by the pinned key. */
    private static AuditChain.Result signedEnd(JsonNode checkpoint, X509Certificate pinned, Walk walk) {
        long count = walk.count;
        AuditCheckpoint signed;
        try {
            signed = read(checkpoint);
        } catch (RuntimeException | GeneralSecurityException e) {
            return broken(count, -1, "the extract's checkpoint cannot be read: " + e.getMessage(), 0);
        }
        byte[] end = AuditChain.headsDigest(walk.heads);
        if (signed.upTo() != walk.previousId || !Arrays.equals(signed.hash(), end)) {
            return broken(count, signed.upTo(), "the checkpoint signed for entry " + signed.upTo() + " does not "
                    + "state the hash the extract's entries end in: the entries were rewritten or cut", 0);
        }
        if (!pinned.equals(signed.certificate()) || !signed.verifies()) {
            return broken(count, signed.upTo(), "the checkpoint for entry " + signed.upTo() + " is not signed by the "
                    + "pinned audit key", 0);
        }
        return new AuditChain.Result(count, null, null, end, 1, signed.upTo());
    }

    private static String text(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static AuditChain.Result broken(long count, long id, String problem, int checkpoints) {
        return new AuditChain.Result(count, id, problem, null, checkpoints, 0);
    }

    private static long single(Connection connection, String sql, Long parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setLong(1, parameter);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                long value = rs.getLong(1);
                return rs.wasNull() ? -1 : value;
            }
        }
    }

    private static X509Certificate certificate(byte[] der) throws SQLException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new SQLException("a checkpoint's certificate cannot be read", e);
        }
    }
}
