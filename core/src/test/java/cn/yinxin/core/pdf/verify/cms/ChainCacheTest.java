package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
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
        KeyPair rootKeys = CertificateMaker.newEcKeyPair();
        X509Certificate root = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("Chain Root"), rootKeys,
                start, Duration.ofDays(3650));
        KeyPair caKeys = CertificateMaker.newEcKeyPair();
        X509Certificate ca = CertificateMaker.issue(CertificateMaker.caSubject("Chain CA"), caKeys.getPublic(),
                Profile.ISSUING_CA, root, rootKeys.getPrivate(), start, Duration.ofDays(1000));
        X509Certificate seal = CertificateMaker.issue(CertificateMaker.sealSubject("seal", "测试局", "91350100M000100Y43"),
                CertificateMaker.newEcKeyPair().getPublic(), Profile.AGENCY_SEAL, ca, caKeys.getPrivate(), start,
                Duration.ofDays(10));
        CmsSignatureCheck check = new CmsSignatureCheck(List.of(root));

        assertThat(check.chain(seal, List.of(ca), start.plus(Duration.ofDays(2)))).containsExactly(seal, ca, root);
        // the same certificate and intermediates, 20 days on: the seal's certificate had ended
        assertThat(check.chain(seal, List.of(ca), start.plus(Duration.ofDays(20)))).isNull();
        assertThat(check.chain(seal, List.of(ca), start.plus(Duration.ofDays(3)))).containsExactly(seal, ca, root);
        // another verifier, trusting another root, does not share what this one built
        KeyPair otherKeys = CertificateMaker.newEcKeyPair();
        X509Certificate otherRoot = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("Other Root"),
                otherKeys, start, Duration.ofDays(3650));
        assertThat(new CmsSignatureCheck(List.of(otherRoot)).chain(seal, List.of(ca), start.plus(Duration.ofDays(2))))
                .isNull();
    }
}
