package cn.yinxin.seal.registry;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.keystores.SamplePki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.CertificateException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The subject kept for a seal's certificate is that certificate's own, never another's (a renewal brings new bytes). */
class CertificateSubjectsTest {

    @Test
    void eachCertificateGetsItsOwnSubjectAlsoWhenAnotherWasReadBefore(@TempDir Path dir) throws Exception {
        SamplePki.create(dir);
        SealKey seal = SealKey.fromPkcs12(dir.resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        SealKey report = SealKey.fromPkcs12(dir.resolve("seals").resolve(SamplePki.REPORT_SEAL_ID).resolve("seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        CertificateSubjects subjects = new CertificateSubjects();

        String first = subjects.of(seal.certificate().getEncoded());
        String second = subjects.of(report.certificate().getEncoded());

        assertThat(first).isEqualTo(Seal.subjectOf(seal.certificate()));
        assertThat(second).isEqualTo(Seal.subjectOf(report.certificate())).isNotEqualTo(first);
        // asked again (kept now): the same answers
        assertThat(subjects.of(seal.certificate().getEncoded())).isEqualTo(first);
        assertThat(subjects.of(report.certificate().getEncoded())).isEqualTo(second);
    }

    @Test
    void bytesThatAreNoCertificateAreRefusedNotRemembered() {
        CertificateSubjects subjects = new CertificateSubjects();
        assertThatThrownBy(() -> subjects.of(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}))
                .isInstanceOf(CertificateException.class);
    }
}
