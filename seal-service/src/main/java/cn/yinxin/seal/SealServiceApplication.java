package cn.yinxin.seal;

import cn.yinxin.service.audit.AuditCheckpoints;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.web.WebEdge;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The seal service: the registry of seals and the stamping API that approval systems call. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import({AuditLog.class, AuditCheckpoints.class, WebEdge.class, cn.yinxin.service.security.OfficeScope.class})
public class SealServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SealServiceApplication.class, args);
    }
}
