package cn.yinxin.seal;

import cn.yinxin.service.audit.AuditCheckpoints;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.security.OfficeScope;
import cn.yinxin.service.web.WebEdge;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/** The seal service: the registry of seals and the stamping API that approval systems call. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import({AuditLog.class, AuditCheckpoints.class, WebEdge.class, OfficeScope.class})
public class SealServiceApplication {

    /**
     * The one clock of the service: whatever time decides (a seal's status and validity, a stamp's signing time, a
     * capture's expiry, audit entries) reads it, so a test can put the service at another time by defining its own.
     */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    public static void main(String[] args) {
        SpringApplication.run(SealServiceApplication.class, args);
    }
}
