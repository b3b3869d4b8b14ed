package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** One certificate object per exact encoding and way of reading; never another certificate's. */
class CertificatesTest {

    @Test
    void theSameBytesGiveOneObjectOtherBytesTheirOwnEachProviderItsOwn() throws Exception {
        TestPki pki = TestPki.builder().root("Certificates Root").issuingCa("Certificates CA")
                .identity("seal", Status.GOOD).identity("other", Status.GOOD).build();
        X509Certificate seal = pki.identity("seal").certificate();
        X509Certificate other = pki.identity("other").certificate();

        X509Certificate bc = Certificates.bouncyCastle(new X509CertificateHolder(seal.getEncoded()));
        assertThat(bc.getEncoded()).isEqualTo(seal.getEncoded());
        assertThat(bc.getClass().getName()).contains("bouncycastle");
        assertThat(Certificates.bouncyCastle(new X509CertificateHolder(seal.getEncoded()))).isSameAs(bc);

        // read by the JDK first: the JDK's object, not the one Bouncy Castle made from the same bytes
        X509Certificate jdk = Certificates.jdkFirst(new X509CertificateHolder(seal.getEncoded()));
        assertThat(jdk.getClass().getName()).startsWith("sun.security");
        assertThat(jdk.getEncoded()).isEqualTo(seal.getEncoded());

        X509Certificate otherRead = Certificates.jdkFirst(new X509CertificateHolder(other.getEncoded()));
        assertThat(otherRead).isNotSameAs(jdk);
        assertThat(otherRead.getEncoded()).isEqualTo(other.getEncoded());
    }
}
