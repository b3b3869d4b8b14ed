package cn.yinxin.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real licence-service, started in a process of its own (from the classes of the running JVM's class path
 * when they are on it, as in the licence service's tests, else from its built jar): several of them share one
 * database to work bulk imports together, and a test may kill one ({@link #kill}, like kill -9).
 */
public final class LicenceServiceProcess implements AutoCloseable {

    private static final String MAIN = "cn.yinxin.licence.LicenceServiceApplication";

    private final ServiceProcess process;

    private LicenceServiceProcess(ServiceProcess process) {
        this.process = process;
    }

    /**
     * @param database the test database (shared with the test's own licence service)
     * @param sealUrl  the seal service
     * @param settings more Spring settings (name -> value), e.g. yinxin.licence.import.workers; {@code {port}} in a
     *                 value is the port the service will listen on (e.g. its public URL)
     */
    public static LicenceServiceProcess start(String database, String sealUrl, Map<String, String> settings) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + ServiceProcess.heap("320m")));
        if (onClassPath()) {
            // the licence service's own tests: its classes as compiled now (the jar is made after the tests)
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN));
        } else {
            command.addAll(List.of("-jar", ServiceProcess.jar("licence-service").toString()));
        }
        int port = Commands.freePort();
        settings.forEach((name, value) -> command.add("--" + name + "=" + value.replace("{port}", String.valueOf(port))));
        return new LicenceServiceProcess(ServiceProcess.start("licence-service", command, port, Map.of(
                // the development login (X-Dev-* headers), stated: a service not told its mode does not start
                "YINXIN_SECURITY_MODE", "development",
                "YINXIN_LICENCE_DB_URL", TestDatabase.jdbcUrl(database),
                "YINXIN_SEAL_URL", sealUrl,
                "YINXIN_AUDIT_KEY_STORE", TempFolders.create("licence-audit").resolve("licence-service.p12")
                        .toString())));
    }

    public String url() {
        return process.url();
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the process at once (SIGKILL): no shutdown hooks, no transaction finished. */
    public void kill() {
        process.kill();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.close();
    }

    public String tail() {
        return process.tail();
    }

    /** The whole log so far. */
    public String log() {
        return process.log();
    }

    private static boolean onClassPath() {
        try {
            Class.forName(MAIN, false, LicenceServiceProcess.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
