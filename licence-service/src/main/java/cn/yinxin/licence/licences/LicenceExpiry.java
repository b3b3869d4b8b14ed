package cn.yinxin.licence.licences;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.List;

/** Marks licences whose validity has ended as expired (and so, invalid in their status list). */
@Component
public class LicenceExpiry {

    private static final Logger log = LoggerFactory.getLogger(LicenceExpiry.class);
    private final Licences licences;
    private final int batch;

    /** @param batch licences expired per transaction (yinxin.licence.expiry-batch, 500) */
    public LicenceExpiry(Licences licences, @Value("${yinxin.licence.expiry-batch:500}") int batch) {
        if (batch < 1 || batch > 100_000) {
            throw new IllegalStateException("yinxin.licence.expiry-batch must be 1 to 100000; got " + batch);
        }
        this.licences = licences;
        this.batch = batch;
    }

    /** Batch after batch, each in its own transaction, until a batch comes back short. */
    @Scheduled(fixedDelayString = "${yinxin.licence.expiry-check:PT1H}", initialDelayString = "PT1M")
    public void run() {
        long total = 0;
        List<String> expired;
        do {
            expired = licences.expire(batch);
            total += expired.size();
        } while (expired.size() == batch);
        if (total > 0) {
            log.info("Licences expired: {} (in transactions of at most {})", total, batch);
        }
    }
}
