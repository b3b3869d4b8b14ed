package cn.yinxin.testing;

import cn.yinxin.keystores.SamplePki;

import java.nio.file.Path;
import java.util.Map;

/**
 * The real ca-service in a process of its own. Its database lives in the test JVM's embedded PostgreSQL; its key
 * store is a fresh development PKI whose certificates point at this process for CRLs and OCSP.
 */
public final class CaServiceProcess implements AutoCloseable {

    private final ServiceProcess process;
    private final Path keystores;

    private CaServiceProcess(ServiceProcess process, Path keystores) {
        this.process = process;
        this.keystores = keystores;
    }

    public static CaServiceProcess start(String database) {
        int port = Commands.freePort();
        String url = "http://localhost:" + port;
        Path keystores = SampleKeystores.fresh(url, url + "/ocsp");
        return new CaServiceProcess(ServiceProcess.start("ca-service", port, Map.ofEntries(
                // the development login (X-Dev-* headers), stated: a service not told its mode does not start
                Map.entry("YINXIN_SECURITY_MODE", "development"),
                Map.entry("YINXIN_CA_DB_URL", TestDatabase.jdbcUrl(database)),
                Map.entry("YINXIN_CA_PUBLIC_URL", url),
                Map.entry("YINXIN_CA_OCSP_PORT", "0"),
                Map.entry("YINXIN_CA_OCSP_URL", url + "/ocsp"),
                Map.entry("YINXIN_CA_KEYSTORE", keystores.resolve("ca/ca.p12").toString()),
                Map.entry("YINXIN_CA_KEYSTORE_PASSWORD", SamplePki.PASSWORD),
                Map.entry("YINXIN_CA_IMPORT_DIR", keystores.resolve("ca/issued").toString()),
                Map.entry("YINXIN_SEAL_KEYSTORE", keystores.resolve("ca-seal-keys.p12").toString()),
                Map.entry("YINXIN_SEAL_KEYSTORE_PASSWORD", SamplePki.PASSWORD),
                Map.entry("YINXIN_AUDIT_KEY_STORE", keystores.resolve("audit/ca-service.p12").toString()))), keystores);
    }

    public String url() {
        return process.url();
    }

    /** The whole log of the process so far. */
    public String log() {
        return process.log();
    }

    /** The development PKI it runs on (trust/ holds its root). */
    public Path keystores() {
        return keystores;
    }

    @Override
    public void close() {
        process.close();
    }
}
