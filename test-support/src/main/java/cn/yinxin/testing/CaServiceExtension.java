package cn.yinxin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real ca-service ({@link CaServiceProcess}) for a test class: its own process ({@code new
 * CaServiceExtension("ca_for_x")}) or one shared by every class of the JVM that names the same database
 * ({@link #shared}). Its configuration is made from the database name alone (a fresh development PKI pointing at
 * the process), so the same name means the same CA.
 */
public final class CaServiceExtension extends ServiceExtension<CaServiceProcess> {

    private Path sealKeyStore;

    /** A CA of this class's own, in database {@code database}: for a class that stops it or reads its database. */
    public CaServiceExtension(String database) {
        this(database, false);
    }

    private CaServiceExtension(String database, boolean shared) {
        super(database, shared, () -> CaServiceProcess.start(database));
    }

    /** One CA for every class of the JVM that names {@code database}, started by the first, stopped at the end. */
    public static CaServiceExtension shared(String database) {
        return new CaServiceExtension(database, true);
    }

    public String url() {
        return process().url();
    }

    /** The whole log of the process so far. */
    public String log() {
        return process().log();
    }

    /** The development PKI it runs on (trust/ holds its root, seals/ the sample seals, samples/ sample PDFs). */
    public Path keystores() {
        return process().keystores();
    }

    /** The CA's database in the test JVM's PostgreSQL (shared: the other classes' certificates are there too). */
    public String database() {
        return name();
    }

    /**
     * Where this test class's seal service keeps its keys: a file of this class's own, not made yet (the seal
     * service makes it with its first key), so that classes sharing one CA never share a key store.
     */
    public synchronized Path sealKeyStore() {
        if (sealKeyStore == null) {
            try {
                sealKeyStore = Files.createTempDirectory("seal-service-keys").resolve("keys.p12");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sealKeyStore;
    }
}
