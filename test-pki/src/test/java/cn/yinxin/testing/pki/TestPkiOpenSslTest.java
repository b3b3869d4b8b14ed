package cn.yinxin.testing.pki;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenSSL, which shares no code with the test PKI or with Yinxin, judges each named identity: path validation with
 * the CA's CRL ({@code openssl verify -crl_check}) and the OCSP answers fetched over HTTP from the served PKI
 * ({@code openssl ocsp -url}, which also checks the delegated responder's signature and EKU against the root).
 */
class TestPkiOpenSslTest {

    private static TestPki pki;

    @BeforeAll
    static void pki() {
        pki = TestPki.builder().root("OpenSSL Judge Root").issuingCa("OpenSSL Judge CA").served()
                .identity("good", Status.GOOD).identity("revoked", Status.REVOKED).identity("on hold", Status.ON_HOLD)
                .identity("expired", Status.EXPIRED).identity("stranger", Status.UNKNOWN_ISSUER)
                .identity("down", Status.OCSP_DOWN).build();
    }

    @AfterAll
    static void stop() {
        pki.close();
    }

    @Test
    void opensslValidatesEachIdentityWithTheCrlAsItClaims(@TempDir Path folder) throws Exception {
        OpenSsl openssl = new OpenSsl(folder);
        openssl.pem("root", pki.root().certificate());
        openssl.pem("ca", pki.issuingCa().certificate());
        openssl.crl("ca", pki.crl());

        assertThat(verify(openssl, "good").output()).contains("good.pem: OK");
        assertThat(verify(openssl, "down").output()).as("its CRL is what the CA publishes").contains("down.pem: OK");
        assertThat(verify(openssl, "revoked").output()).contains("certificate revoked");
        assertThat(verify(openssl, "on hold").output()).contains("certificate revoked");
        assertThat(verify(openssl, "expired").output()).contains("certificate has expired");
        assertThat(verify(openssl, "stranger").output()).contains("unable to get local issuer certificate");
        // and without the CRL the revoked one is a fine certificate: the CRL is what says otherwise
        openssl.pem("revoked", pki.identity("revoked").certificate());
        assertThat(openssl.run("verify", "-CAfile", "root.pem", "-untrusted", "ca.pem", "revoked.pem").output())
                .contains("revoked.pem: OK");
    }

    @Test
    void opensslReadsEachOcspAnswerFromTheServedResponder(@TempDir Path folder) throws Exception {
        OpenSsl openssl = new OpenSsl(folder);
        openssl.pem("root", pki.root().certificate());
        openssl.pem("ca", pki.issuingCa().certificate());

        assertThat(ocsp(openssl, "good").output()).contains("Response verify OK").contains("good.pem: good");
        assertThat(ocsp(openssl, "expired").output()).contains("Response verify OK").contains("expired.pem: good");
        var revoked = ocsp(openssl, "revoked").output();
        assertThat(revoked).contains("Response verify OK").contains("revoked.pem: revoked").contains("keyCompromise");
        assertThat(ocsp(openssl, "on hold").output()).contains("on hold.pem: revoked").contains("certificateHold");

        openssl.pem("down", pki.identity("down").certificate());
        var down = openssl.run("ocsp", "-issuer", "ca.pem", "-cert", "down.pem", "-url", TestPki.DOWN_URL + "/ocsp",
                "-CAfile", "root.pem", "-timeout", "5");
        assertThat(down.exit()).as(down.output()).isNotZero();
        assertThat(down.output()).doesNotContain("Response verify OK");

        var stranger = pki.identity("stranger");
        openssl.pem("stranger", stranger.certificate());
        openssl.pem("stranger-ca", stranger.issuer());
        assertThat(openssl.run("ocsp", "-issuer", "stranger-ca.pem", "-cert", "stranger.pem", "-url", pki.ocspUrl(),
                "-CAfile", "root.pem").output()).contains("unauthorized");
    }

    private static OpenSsl.Outcome verify(OpenSsl openssl, String name) throws Exception {
        Identity identity = pki.identity(name);
        openssl.pem(name, identity.certificate());
        return openssl.run("verify", "-CAfile", "root.pem", "-untrusted", "ca.pem", "-crl_check", "-CRLfile",
                "ca.crl.pem", name + ".pem");
    }

    private static OpenSsl.Outcome ocsp(OpenSsl openssl, String name) throws Exception {
        openssl.pem(name, pki.identity(name).certificate());
        return openssl.run("ocsp", "-issuer", "ca.pem", "-cert", name + ".pem", "-url", pki.ocspUrl(),
                "-CAfile", "root.pem", "-resp_text");
    }
}
