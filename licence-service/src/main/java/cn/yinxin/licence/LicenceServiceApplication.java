package cn.yinxin.licence;

import cn.yinxin.service.audit.AuditCheckpoints;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.security.OfficeScope;
import cn.yinxin.service.web.WebEdge;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Electronic licences: types, issuance, the licence PDF with its signed QR code, status and status lists. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import({AuditLog.class, AuditCheckpoints.class, WebEdge.class, OfficeScope.class})
public class LicenceServiceApplication {

    /** The one clock of the service: every date, expiry and audit time comes from it (tests may give another). */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    public static void main(String[] args) {
        SpringApplication.run(LicenceServiceApplication.class, args);
    }
}
