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

        @Override
        public Integer call() {
            List<String> databases = urls != null && !urls.isEmpty() ? urls : List.of("ca", "seal", "licence").stream()
                    .map(db -> "jdbc:postgresql://localhost:" + System.getenv().getOrDefault("YINXIN_DB_PORT", "15432")
                            + "/" + db).toList();
            int exit = 0;
            for (String url : databases) {
                try (Connection connection = DriverManager.getConnection(url, user, password)) {
                    connection.setReadOnly(true);
                    AuditChain.Result result = AuditChain.verify(connection);
                    if (result.intact()) {
                        System.out.println(url + ": " + result.entries() + " entries, the chain is whole");
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
    }
}
