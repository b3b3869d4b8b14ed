package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A chain built once is taken again only while all of it is valid at the new validation time. */
class ChainCacheTest {

    @Test
    void aKnownChainIsNotTakenAtATimeItsCertificateHadEnded() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));
        TestPki pki = TestPki.builder().root("Chain Root").issuingCa("Chain CA").revocationPointers(false)
                .notBefore(start).validity(Duration.ofDays(10)).identity("seal", Status.GOOD).build();
        X509Certificate root = pki.root().certificate();
        X509Certificate ca = pki.issuingCa().certificate();
        X509Certificate seal = pki.identity("seal").certificate();
        CmsSignatureCheck check = new CmsSignatureCheck(List.of(root));

        assertThat(check.chain(seal, List.of(ca), start.plus(Duration.ofDays(2)))).containsExactly(seal, ca, root);
        // the same certificate and intermediates, 20 days on: the seal's certificate had ended
        assertThat(check.chain(seal, List.of(ca), start.plus(Duration.ofDays(20)))).isNull();
        assertThat(check.chain(seal, List.of(ca), start.plus(Duration.ofDays(3)))).containsExactly(seal, ca, root);
        // another verifier, trusting another root, does not share what this one built
        X509Certificate otherRoot = TestPki.builder().root("Other Root").build().root().certificate();
        assertThat(new CmsSignatureCheck(List.of(otherRoot)).chain(seal, List.of(ca), start.plus(Duration.ofDays(2))))
                .isNull();
    }
}
