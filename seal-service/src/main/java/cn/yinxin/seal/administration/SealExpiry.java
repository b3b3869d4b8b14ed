package cn.yinxin.seal.administration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Marks active seals whose certificate has run out as expired (stamping already refuses them before this runs). */
@Component
public class SealExpiry {

    private static final Logger log = LoggerFactory.getLogger(SealExpiry.class);

    private final SealAdministration administration;

    public SealExpiry(SealAdministration administration) {
        this.administration = administration;
    }

    @Scheduled(fixedDelayString = "${yinxin.seals.expiry-check:PT1M}", initialDelayString = "${yinxin.seals.expiry-check:PT1M}")
    public void run() {
        var expired = administration.expire();
        if (!expired.isEmpty()) {
            log.info("Seals expired: {}", expired);
        }
    }
}
