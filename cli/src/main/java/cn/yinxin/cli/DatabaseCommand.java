package cn.yinxin.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code yinxin db}: runs the embedded PostgreSQL of a development install (binaries from Maven Central, nothing
 * downloaded at run time), with its data in a local folder that a later start keeps. Creates one database per
 * service that owns data. Runs until stopped.
 */
@Command(name = "db", description = "Run the embedded PostgreSQL for a development install until stopped.")
final class DatabaseCommand implements Callable<Integer> {

    static final List<String> DATABASES = List.of("ca", "seal", "licence");

    @Option(names = "--data", description = "data folder (default: ${DEFAULT-VALUE})", defaultValue = "var/pgdata")
    Path data;
    @Option(names = "--port", description = "port (default: ${DEFAULT-VALUE})", defaultValue = "15432")
    int port;

    @Override
    public Integer call() throws Exception {
        // PostgreSQL on a taken port leaves the embedded runner waiting on whatever holds it (a listener that never
        // answers held it 120 s); said here in one line, the launcher shows it ("db stopped while starting: ...")
        String taken = taken(port);
        if (taken != null) {
            System.err.println("yinxin db: port " + port + " is taken (" + taken + "); choose another with YINXIN_DB_PORT");
            return 1;
        }
        Files.createDirectories(data);
        Path binaries = Files.createDirectories(data.toAbsolutePath().getParent().resolve("pg-runtime"));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaries.toFile())
                .setPort(port)
                .start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            for (String name : DATABASES) {
                try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                    if (!rs.next()) {
                        statement.execute("CREATE DATABASE " + name);
                    }
                }
            }
        }
        System.out.println("PostgreSQL ready on port " + port + " with data in " + data.toAbsolutePath()
                + "; databases " + DATABASES);
        // EmbeddedPostgres stops the server from its own shutdown hook when this process is told to end.
        new CountDownLatch(1).await();
        return 0;
    }

    /** Why the loopback port cannot be listened on, or null when it can. */
    static String taken(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);   // as PostgreSQL: a closed connection's TIME_WAIT does not hold the port
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
