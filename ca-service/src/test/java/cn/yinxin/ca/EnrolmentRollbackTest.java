package cn.yinxin.ca;

import cn.yinxin.ca.certificates.EnrolmentRequest;
import cn.yinxin.ca.certificates.EnrolmentService;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.keystores.SamplePki;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.GeneralSecurityException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An enrolment that makes its key in the seal key store and then does not commit (a failing insert or audit append,
 * a lost commit): the key was written to the key store before the commit and stayed, with a certificate the CA's
 * database does not know, and the key's name was refused ever after (key-exists).
 */
class EnrolmentRollbackTest extends CaTestBase {

    @Autowired
    EnrolmentService enrolments;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aKeyMadeByAnEnrolmentThatRollsBackIsNotKeptAndItsNameMayBeUsedAgain() throws Exception {
        String alias = "rolled-back-" + System.nanoTime();
        assertThatThrownBy(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
            var issued = enrol(alias);
            assertThat(issued.keyAlias()).isEqualTo(alias);
            throw new IllegalStateException("the commit fails");
        })).hasMessage("the commit fails");

        assertThat(keyStoreHolds(alias)).as("no key left behind").isFalse();
        assertThat(jdbc.sql("SELECT count(*) FROM certificate WHERE key_alias = :a").param("a", alias)
                .query(Long.class).single()).as("no certificate recorded").isZero();
        // the same name again: the enrolment an administrator retries is made, with its key
        assertThat(enrol(alias).keyAlias()).isEqualTo(alias);
        assertThat(keyStoreHolds(alias)).isTrue();
    }

    private EnrolmentService.Issued enrol(String alias) {
        try {
            return enrolments.enrol(new EnrolmentRequest("AGENCY_SEAL", null,
                    new EnrolmentRequest.KeyGeneration(alias, "EC_P256"),
                    new EnrolmentRequest.Subject("回滚测试专用章", "测试局", SamplePki.AGENCY_CODE, null, null), null),
                    "rollback-test");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key store as its file holds it now (another reader than the service's own). */
    private static boolean keyStoreHolds(String alias) throws GeneralSecurityException {
        return new Pkcs12Vault(KEYSTORES.resolve("seal-keys.p12"), SamplePki.PASSWORD.toCharArray()).contains(alias);
    }
}
