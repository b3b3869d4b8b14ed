package cn.yinxin.licence.licences;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Marks licences whose validity has ended as expired (and so, invalid in their status list). */
@Component
public class LicenceExpiry {

    private static final Logger log = LoggerFactory.getLogger(LicenceExpiry.class);
    private final Licences licences;

    public LicenceExpiry(Licences licences) {
        this.licences = licences;
    }

    @Scheduled(fixedDelayString = "${yinxin.licence.expiry-check:PT1H}", initialDelayString = "PT1M")
    public void run() {
        var expired = licences.expire();
        if (!expired.isEmpty()) {
            log.info("Licences expired: {}", expired);
        }
    }
}
