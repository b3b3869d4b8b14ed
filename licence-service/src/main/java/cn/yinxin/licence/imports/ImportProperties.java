package cn.yinxin.licence.imports;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Bulk import settings (application.properties has every default).
 *
 * @param workers   worker threads per licence-service process (0: this process only takes uploads)
 * @param batchSize rows a worker claims at once
 * @param lease     how long a claimed row stays with its worker; a row claimed longer ago (its worker stopped) is
 *                  claimed again. Workers renew the lease of their rows before each one, so it only has to exceed
 *                  the time one row takes.
 * @param poll      how long an idle worker waits before looking for rows again
 * @param maxRows   the most rows one upload may have
 */
@ConfigurationProperties("yinxin.licence.import")
public record ImportProperties(@DefaultValue("2") int workers, @DefaultValue("5") int batchSize,
                               @DefaultValue("PT2M") Duration lease, @DefaultValue("PT1S") Duration poll,
                               @DefaultValue("100000") int maxRows) {
}
