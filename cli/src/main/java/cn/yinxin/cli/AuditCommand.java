package cn.yinxin.cli;

import cn.yinxin.core.audit.AuditChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code yinxin audit verify}: recomputes the hash chain of each service's audit log straight from its database
 * and names the first entry that was changed, deleted, inserted or moved. Exit code 0 when every chain is whole,
 * 1 when one is broken, 2 when a database cannot be read.
 */
@Command(name = "audit", description = "Check the services' audit logs.", subcommands = AuditCommand.Verify.class)
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute each audit log's hash chain and name the first broken entry.")
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
        java.nio.file.Path certificates;

        @Override
        public Integer call() {
            List<String> databases = urls != null && !urls.isEmpty() ? urls : List.of("ca", "seal", "licence").stream()
                    .map(db -> "jdbc:postgresql://localhost:" + System.getenv().getOrDefault("YINXIN_DB_PORT", "15432")
                            + "/" + db).toList();
            int exit = 0;
            for (String url : databases) {
                try (Connection connection = DriverManager.getConnection(url, user, password)) {
                    connection.setReadOnly(true);
                    java.security.cert.X509Certificate pinned = pinned(url);
                    AuditChain.Result result = AuditChain.verify(connection, pinned, true);
                    if (result.intact()) {
                        System.out.println(url + ": " + result.entries() + " entries, the chain is whole; "
                                + result.checkpoints() + " signed checkpoint(s) match, up to entry " + result.coveredUpTo()
                                + (pinned == null ? " (no pinned audit certificate found: signatures checked against "
                                + "the certificate stored with them)" : " (signed by the pinned audit key)"));
                    } else {
                        System.out.println(url + ": BROKEN at entry " + result.firstBroken() + ": " + result.problem());
                        exit = Math.max(exit, 1);
                    }
                } catch (SQLException e) {
                    System.err.println(url + ": cannot be read: " + e.getMessage());
                    exit = 2;
                }
            }
            return exit;
        }

        /** ca -> ca-service.pem, seal -> seal-service.pem, licence -> licence-service.pem. */
        private java.security.cert.X509Certificate pinned(String url) {
            String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*$", "");
            java.nio.file.Path file = certificates.resolve(database + "-service.pem");
            try {
                return java.nio.file.Files.exists(file)
                        ? cn.yinxin.core.pki.Pem.readCertificates(java.nio.file.Files.readAllBytes(file)).get(0) : null;
            } catch (Exception e) {
                System.err.println(file + " cannot be read: " + e.getMessage());
                return null;
            }
        }
    }
}
