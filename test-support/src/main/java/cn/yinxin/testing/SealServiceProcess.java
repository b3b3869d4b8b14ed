package cn.yinxin.testing;

import cn.yinxin.keystores.SamplePki;

import java.nio.file.Path;
import java.util.Map;

/**
 * The real seal-service in a process of its own, for tests of the services that call it (the licence service). It
 * imports the sample seal of {@code keystores} and time-stamps with {@code tsaUrl}.
 */
public final class SealServiceProcess implements AutoCloseable {

    private final ServiceProcess process;

    private SealServiceProcess(ServiceProcess process) {
        this.process = process;
    }

    public static SealServiceProcess start(String database, Path keystores, String tsaUrl) {
        Path results = TempFolders.create("seal-results");
        return new SealServiceProcess(ServiceProcess.start("seal-service", Map.of(
                // the development login (X-Dev-* headers), stated: a service not told its mode does not start
                "YINXIN_SECURITY_MODE", "development",
                "YINXIN_SEAL_DB_URL", TestDatabase.jdbcUrl(database),
                "YINXIN_SEALS_DIR", keystores.resolve("seals").toString(),
                "YINXIN_SEALS_PASSWORD", SamplePki.PASSWORD,
                "YINXIN_SEAL_SERVICE_KEYSTORE", keystores.resolve("seal-service/keys.p12").toString(),
                "YINXIN_TSA_URL", tsaUrl,
                "YINXIN_STAMP_RESULTS_DIR", results.toString(),
                "YINXIN_AUDIT_KEY_STORE", keystores.resolve("audit/seal-service.p12").toString())));
    }

    public String url() {
        return process.url();
    }

    public long pid() {
        return process.pid();
    }

    /** The whole log of the process so far. */
    public String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
