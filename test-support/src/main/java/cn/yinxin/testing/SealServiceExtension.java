package cn.yinxin.testing;

import java.nio.file.Path;

/**
 * The real seal-service ({@link SealServiceProcess}) for one test class, started before its tests and stopped after.
 * Not shared between classes: its configuration (key stores, TSA) comes from each class's own PKI, and classes
 * read its database and its log.
 */
public final class SealServiceExtension extends ServiceExtension<SealServiceProcess> {

    /**
     * @param database  its database in the test JVM's PostgreSQL
     * @param keystores the development PKI whose sample seals it imports
     * @param tsaUrl    the time-stamping authority it asks
     */
    public SealServiceExtension(String database, Path keystores, String tsaUrl) {
        super(database, false, () -> SealServiceProcess.start(database, keystores, tsaUrl));
    }

    public String url() {
        return process().url();
    }

    /** The whole log of the process so far. */
    public String log() {
        return process().log();
    }
}
