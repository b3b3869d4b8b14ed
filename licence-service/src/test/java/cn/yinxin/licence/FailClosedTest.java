package cn.yinxin.licence;

import cn.yinxin.service.security.SecurityProperties;
import cn.yinxin.testing.ServiceProcess;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.Test;

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
}
