package cn.yinxin.cli;

import cn.yinxin.core.audit.AuditChain;
import cn.yinxin.core.audit.AuditExtract;
import cn.yinxin.core.pki.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code yinxin audit verify}: recomputes the hash chain of each service's audit log straight from its database
 * and names the first entry that was changed, deleted, inserted or moved, or that has no hash (outside the chain);
 * the signed checkpoints must verify with the service's pinned audit certificate. {@code yinxin audit export}
 * writes an auditor's extract of a range, which {@code yinxin audit verify --file} checks offline. Exit code 0 when
 * every chain is whole and signed by its pinned key, 1 when one is broken, 2 when a database or file cannot be read
 * or no audit certificate is pinned (a chain checked only against the key stored beside it proves nothing: whoever
 * rewrote the chain could have re-signed it with a key of their own).
 */
@Command(name = "audit", description = "Check the services' audit logs.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute each audit log's hash chain and name the first broken entry; "
                    + "or check an extract (--file) offline.")
    static final class Verify implements Callable<Integer> {

        @Parameters(paramLabel = "JDBC_URL", arity = "0..*",
                description = "databases to check (default: ca, seal and licence of ./yinxin up)")
        List<String> urls;
        @Option(names = "--user", defaultValue = "${env:YINXIN_DB_USER:-postgres}")
        String user;
        @Option(names = "--password", defaultValue = "${env:YINXIN_DB_PASSWORD:-}")
        String password;
        @Option(names = "--certificates", description = "folder of the services' audit certificates to pin, "
                + "<service>.pem (default: ${DEFAULT-VALUE})", defaultValue = "${env:YINXIN_HOME:-var}/keystores/audit")
        Path certificates;
        @Option(names = "--pin", description = "the service's audit certificate (PEM) to pin: for --file, or "
                + "instead of --certificates when one database is checked")
        Path pin;
        @Option(names = "--uncovered-for", defaultValue = "PT30M", description = "how long entries may wait for a "
                + "signed checkpoint (the services sign one every 10 minutes) before the chain is NOT TRUSTED: older "
                + "uncovered entries mean checkpoints were deleted or a service stopped signing (ISO-8601, default PT30M)")
        Duration uncoveredFor;

        @Option(names = "--file", description = "an extract written by 'yinxin audit export', checked offline")
        Path file;
        @Option(names = "--json", description = "print the results as JSON: {\"results\": [{source, intact, trusted, "
                + "entries, checkpoints, coveredUpTo, firstBroken, problem, pinned, error}]}")
        boolean json;

        private final ArrayNode results = Json.MAPPER.createArrayNode();
        /** What "waited too long for a checkpoint" is measured against (a test may set another). */
        Clock clock = Clock.systemUTC();

        /** One database's or extract's result, for --json; the human lines are printed only without it. */
        private ObjectNode result(String source, Path pinned) {
            ObjectNode result = results.addObject();
            result.put("source", source);
            result.put("pinned", pinned == null ? null : pinned.toString());
            result.put("intact", false);
            result.put("trusted", false);
            result.putNull("entries");
            result.putNull("checkpoints");
            result.putNull("coveredUpTo");
            result.putNull("firstBroken");
            result.putNull("problem");
            result.putNull("error");
            return result;
        }

        private static void found(ObjectNode json, AuditChain.Result result, boolean pinned) {
            json.put("intact", result.intact());
            json.put("trusted", result.intact() && pinned);
            json.put("entries", result.entries());
            json.put("checkpoints", result.checkpoints());
            json.put("coveredUpTo", result.coveredUpTo());
            if (!result.intact()) {
                json.put("firstBroken", result.firstBroken());
                json.put("problem", result.problem());
            }
        }

        private void say(String line) {
            if (!json) {
                System.out.println(line);
            }
        }

        private int done(int exit) {
            if (json) {
                ObjectNode answer = Json.MAPPER.createObjectNode();
                answer.set("results", results);
                System.out.println(Json.pretty(answer));
            }
            return exit;
        }

        @Override
        public Integer call() {
            if (file != null) {
                return done(verifyExtract());
            }
            List<String> databases = urls != null && !urls.isEmpty() ? urls : List.of("ca", "seal", "licence").stream()
                    .map(db -> "jdbc:postgresql://localhost:" + System.getenv().getOrDefault("YINXIN_DB_PORT", "15432")
                            + "/" + db).toList();
            if (pin != null && databases.size() > 1) {
                System.err.println("--pin names one service's certificate: check one database with it, or give the "
                        + "folder of all of them with --certificates.");
                return done(2);
            }
            int exit = 0;
            for (String url : databases) {
                exit = Math.max(exit, verifyDatabase(url));
            }
            return done(exit);
        }

        /** One service's database, its checkpoints checked against its pinned audit certificate; the exit code. */
        private int verifyDatabase(String url) {
            int exit = 0;
            Path where = pin != null ? pin : certificates.resolve(service(url) + ".pem");
            X509Certificate pinned = null;
            ObjectNode found = result(url, where);
            try {
                pinned = read(where);
            } catch (Exception e) {
                found.put("error", "the audit certificate to pin cannot be read: " + e.getMessage());
                // the chain is still checked (a broken one is named), but an unpinned check never passes
                System.err.println(url + ": NOT TRUSTED: the audit certificate to pin, " + where + ", cannot be "
                        + "read: " + e.getMessage());
                exit = 2;
            }
            try (Connection connection = DriverManager.getConnection(url, user, password)) {
                connection.setReadOnly(true);
                AuditChain.Result result = AuditChain.verify(connection, pinned, true);
                Instant uncovered = result.intact() && pinned != null
                        ? uncoveredSince(connection, result.coveredUpTo()) : null;
                found(found, result, pinned != null);
                return Math.max(exit, verdict(url, where, found, result, pinned != null, uncovered));
            } catch (SQLException e) {
                System.err.println(url + ": cannot be read: " + e.getMessage());
                found.put("error", "cannot be read: " + e.getMessage());
                return 2;
            }
        }

        /** What the chain's check says of one database (and its exit code): whole, untrusted or broken. */
        private int verdict(String url, Path where, ObjectNode found, AuditChain.Result result, boolean pinned,
                            Instant uncovered) {
            if (result.intact() && !pinned) {
                say(url + ": " + result.entries() + " entries, the chain is consistent, but "
                        + "no audit certificate is pinned: its checkpoints are not known to be the service's");
            } else if (result.intact() && uncovered != null
                    && uncovered.isBefore(clock.instant().minus(uncoveredFor))) {
                // a chain rewritten after its (recent) checkpoints were deleted is consistent up to the last
                // kept one; what came after has waited longer than any checkpoint interval (a new install
                // has none yet: its entries are younger than that)
                say(url + ": NOT TRUSTED: the chain is consistent, but the entries after " + result.coveredUpTo()
                        + " have waited since " + uncovered
                        + " for a signed checkpoint (more than " + uncoveredFor + "): checkpoints were deleted, or "
                        + "the service stopped signing them");
                found.put("error", "entries after " + result.coveredUpTo() + " uncovered for more than "
                        + uncoveredFor);
                return 2;
            } else if (result.intact()) {
                say(url + ": " + result.entries() + " entries, the chain is whole; "
                        + result.checkpoints() + " signed checkpoint(s) match, up to entry " + result.coveredUpTo()
                        + " (signed by the pinned audit key " + where + ")");
            } else {
                say(url + ": BROKEN at entry " + result.firstBroken() + ": " + result.problem());
                return 1;
            }
            return 0;
        }

        /** When the oldest entry no signed checkpoint covers was written, or null when every entry is covered. */
        private static Instant uncoveredSince(Connection connection, long coveredUpTo) throws SQLException {
            try (var statement = connection.prepareStatement("SELECT min(at) FROM audit_event WHERE id > ?")) {
                statement.setLong(1, coveredUpTo);
                try (var rs = statement.executeQuery()) {
                    rs.next();
                    Timestamp at = rs.getTimestamp(1);
                    return at == null ? null : at.toInstant();
                }
            }
        }

        private int verifyExtract() {
            ObjectNode found = result(file.toString(), pin);
            if (pin == null) {
                found.put("error", "no audit certificate pinned (--pin)");
                System.err.println(file + ": give the service's audit certificate with --pin: an extract checked "
                        + "against the certificate it carries itself proves nothing.");
                return 2;
            }
            X509Certificate pinned;
            JsonNode extract;
            try {
                pinned = read(pin);
                extract = Json.read(Files.readString(file));
            } catch (Exception e) {
                System.err.println(file + " or " + pin + " cannot be read: " + e.getMessage());
                found.put("error", "cannot be read: " + e.getMessage());
                return 2;
            }
            AuditChain.Result result = AuditExtract.verify(extract, pinned);
            found(found, result, true);
            if (!result.intact()) {
                say(file + ": BROKEN" + (result.firstBroken() >= 0 ? " at entry " + result.firstBroken()
                        : "") + ": " + result.problem());
                return 1;
            }
            say(file + ": " + result.entries() + " entries (" + extract.path("entries").get(0).path("id").asLong() + " to "
                    + result.coveredUpTo() + " of " + extract.path("source").asString("?") + "), chained and signed "
                    + "by the pinned audit key in the checkpoint for entry " + result.coveredUpTo());
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write an auditor's extract: the entries of a range up to a signed checkpoint, "
                    + "checkable offline with 'yinxin audit verify --file EXTRACT --pin CERTIFICATE'.")
    static final class Export implements Callable<Integer> {

        @Parameters(paramLabel = "JDBC_URL", description = "the service's database, e.g. "
                + "jdbc:postgresql://localhost:15432/seal")
        String url;
        @Option(names = "--from", description = "the first entry (default: the first)")
        Long from;
        @Option(names = "--to", description = "the last entry wanted (default: the last a signed checkpoint covers); "
                + "the extract runs on to the checkpoint that covers it")
        Long to;
        @Option(names = {"-o", "--out"}, required = true, description = "the extract file (JSON) to write")
        Path out;
        @Option(names = "--user", defaultValue = "${env:YINXIN_DB_USER:-postgres}")
        String user;
        @Option(names = "--password", defaultValue = "${env:YINXIN_DB_PASSWORD:-}")
        String password;
        @Option(names = "--json", description = "print what was written as JSON: file, service, entries, from, upTo")
        boolean json;

        @Override
        public Integer call() {
            try (Connection connection = DriverManager.getConnection(url, user, password)) {
                connection.setReadOnly(true);
                connection.setAutoCommit(false);
                // one snapshot: the rows and the checkpoint as they were at one moment
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                var extract = AuditExtract.export(connection, from, to, service(url));
                connection.commit();
                Files.writeString(out, Json.pretty(extract));
                int entries = extract.get("entries").size();
                if (json) {
                    ObjectNode written = Json.MAPPER.createObjectNode();
                    written.put("file", out.toString()).put("service", service(url)).put("entries", entries);
                    written.set("from", extract.get("from"));
                    written.set("upTo", extract.get("checkpoint").get("upTo"));
                    System.out.println(Json.pretty(written));
                    return 0;
                }
                System.out.println(out + ": " + entries + " entries of " + service(url) + ", " + extract.get("from")
                        + " to " + extract.get("checkpoint").get("upTo") + ", with the checkpoint signed for entry "
                        + extract.get("checkpoint").get("upTo"));
                return 0;
            } catch (AuditExtract.NotCovered e) {
                System.err.println(url + ": nothing to export that an auditor could check: " + e.getMessage());
                return 2;
            } catch (SQLException | IOException e) {
                System.err.println(url + ": cannot be exported: " + e.getMessage());
                return 2;
            }
        }
    }

    /** ca -> ca-service, seal -> seal-service, licence -> licence-service (the audit certificate's file name). */
    static String service(String url) {
        return url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*$", "") + "-service";
    }

    private static X509Certificate read(Path file) throws Exception {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file + " (no audit certificate pinned: without it the "
                    + "checkpoints prove nothing; copy the service's <service>.pem there, or name it with --pin)");
        }
        return Pem.readCertificates(Files.readAllBytes(file)).get(0);
    }
}
