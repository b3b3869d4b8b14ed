package cn.yinxin.testing;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The real licence-service ({@link LicenceServiceProcess}) for one test class, started before its tests and stopped
 * after. Not shared: its settings differ from class to class, and classes read its log.
 */
public final class LicenceServiceExtension extends ServiceExtension<LicenceServiceProcess> {

    /**
     * @param database its database in the test JVM's PostgreSQL
     * @param sealUrl  the seal service, asked when this one starts (e.g. {@code seals::url} of a
     *                 {@link SealServiceExtension} registered before this one: give both an {@code @Order})
     * @param settings more Spring settings, as for {@link LicenceServiceProcess#start}
     */
    public LicenceServiceExtension(String database, Supplier<String> sealUrl, Map<String, String> settings) {
        super(database, false, () -> LicenceServiceProcess.start(database, sealUrl.get(), settings));
    }

    public String url() {
        return process().url();
    }

    /** The whole log of the process so far. */
    public String log() {
        return process().log();
    }
}
