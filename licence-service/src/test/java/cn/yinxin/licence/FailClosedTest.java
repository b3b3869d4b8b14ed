package cn.yinxin.licence;

import cn.yinxin.service.security.SecurityProperties;
import cn.yinxin.testing.LicenceServiceProcess;
import cn.yinxin.testing.ServiceProcess;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fail closed: the licence service, run as its own process with only its shipped settings (none of the tests'
 * config/application.properties) and no YINXIN_SECURITY_MODE, does not start: it exits non-zero and says which
 * setting is missing. It used to start in the development login, where every caller holds every role.
 */
@cn.yinxin.testing.Slow("licence service processes and an embedded PostgreSQL")
class FailClosedTest {

    @Test
    void withoutASignInModeTheServiceExitsNonZeroAndSaysWhy() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        var refusal = ServiceProcess.refusedStart("licence-service-without-mode", List.of(java, "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), LicenceServiceApplication.class.getName(),
                // the shipped settings only: the tests' own file states the development mode
                "--spring.config.location=classpath:/application.properties", "--server.port=0"), Map.of(
                "YINXIN_LICENCE_DB_URL", TestDatabase.jdbcUrl("licence_fail_closed"),
                "YINXIN_LICENCE_SAMPLE_TYPES", "false",
                "YINXIN_IMPORT_WORKERS", "0",
                "YINXIN_AUDIT_KEY_STORE", Files.createTempDirectory("fail-closed").resolve("audit.p12").toString()));
        assertThat(refusal.exitCode()).as(refusal.log()).isNotZero();
        assertThat(refusal.log()).contains(SecurityProperties.MODE_MISSING);
    }

    /**
     * Red team 7: the development login (every caller holds every role) listened on every interface unless the
     * launcher said otherwise (./yinxin up did; java -jar with YINXIN_SECURITY_MODE=development did not), so anyone
     * on the network could issue, revoke and read licences. It now listens on the loopback address only, and an
     * address of the network refuses the start.
     */
    @Test
    void theDevelopmentLoginRefusesToListenBeyondThisMachine() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        var refusal = ServiceProcess.refusedStart("licence-service-development-on-the-network", List.of(java,
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), LicenceServiceApplication.class.getName(),
                "--spring.config.location=classpath:/application.properties", "--server.port=0",
                "--server.address=0.0.0.0"), Map.of(
                "YINXIN_SECURITY_MODE", "development",
                "YINXIN_LICENCE_DB_URL", TestDatabase.jdbcUrl("licence_fail_closed"),
                "YINXIN_LICENCE_SAMPLE_TYPES", "false",
                "YINXIN_IMPORT_WORKERS", "0",
                "YINXIN_AUDIT_KEY_STORE", Files.createTempDirectory("fail-closed").resolve("audit.p12").toString()));
        assertThat(refusal.exitCode()).as(refusal.log()).isNotZero();
        assertThat(refusal.log()).contains("the development login (every call may do everything) listens on this "
                + "machine only, not on 0.0.0.0");
    }

    @Test
    void theDevelopmentLoginListensOnThisMachineOnlyWhenNoAddressIsGiven() throws Exception {
        InetAddress network = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst().orElse(null);
        Assumptions.assumeTrue(network != null, "this machine has no network address to try");
        try (var service = LicenceServiceProcess.start("licence_fail_closed", "http://127.0.0.1:9",
                Map.of("yinxin.licence.sample-types", "false", "yinxin.licence.import.workers", "0"))) {
            int port = java.net.URI.create(service.url()).getPort();
            try (Socket local = new Socket()) {
                local.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            }
            try (Socket remote = new Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> remote.connect(
                        new InetSocketAddress(network, port), 2000)).as("reached at " + network)
                        .isInstanceOf(ConnectException.class);
            }
        }
    }
}
