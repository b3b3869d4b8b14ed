package cn.yinxin.licence.imports;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures of an import row are tried again (an outage) and which fail the row at once (its own). */
class ImportOutageTest {

    @Test
    void onlyAnOutageIsTriedAgain() {
        assertThat(ImportJobs.outage(new RejectedException(Problem.SEAL_SERVICE_UNAVAILABLE, "down"))).isTrue();
        assertThat(ImportJobs.outage(new TransientDataAccessResourceException("busy"))).isTrue();
        assertThat(ImportJobs.outage(new QueryTimeoutException("slow"))).isTrue();
        assertThat(ImportJobs.outage(new CannotCreateTransactionException("no connection"))).isTrue();

        assertThat(ImportJobs.outage(new RejectedException(Problem.INVALID_REQUEST, "missing holderName"))).isFalse();
        assertThat(ImportJobs.outage(new RejectedException(Problem.INVALID_LICENCE_FIELDS, "vehicleClass"))).isFalse();
        assertThat(ImportJobs.outage(new DataIntegrityViolationException("value too long"))).isFalse();
        assertThat(ImportJobs.outage(new DuplicateKeyException("the same physical number"))).isFalse();
        assertThat(ImportJobs.outage(new IllegalArgumentException("a bug, not an outage"))).isFalse();
    }
}
