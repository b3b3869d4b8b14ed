package cn.yinxin.ca;

import cn.yinxin.ca.hierarchy.KeyCeremonyCommand;
import cn.yinxin.service.audit.AuditCheckpoints;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.web.WebEdge;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/**
 * The certificate authority: enrolment and revocation, CRLs, OCSP, time-stamps. {@code java -jar ca-service.jar
 * ceremony} runs the key ceremony instead of the service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import({AuditLog.class, AuditCheckpoints.class, WebEdge.class})
public class CaServiceApplication {

    /**
     * The one clock of the CA: certificate validity, revocation times, CRL and OCSP update times, time-stamps and
     * trust-list publication read it, so a test can put the CA at another time by defining its own.
     */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    public static void main(String[] args) {
        if (args.length > 0 && "ceremony".equals(args[0])) {
            System.exit(KeyCeremonyCommand.run(args));
        }
        SpringApplication.run(CaServiceApplication.class, args);
    }
}
