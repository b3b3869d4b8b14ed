package cn.yinxin.ca;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.revocation.CertificateStatus;
import cn.yinxin.core.pki.revocation.CrlMaker;
import cn.yinxin.core.pki.revocation.OcspResponder;
import cn.yinxin.core.pki.revocation.Revocation;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CA's OCSP and CRL logic (core's {@link OcspResponder} and {@link CrlMaker}, which this service runs) on the
 * test PKI's named identities, whose states the test PKI keeps: every answer a relying party can get.
 */
class TestPkiIdentitiesTest {

    private static TestPki pki;

    @BeforeAll
    static void pki() {
        pki = TestPki.standard();
    }

    @Test
    void ocspAnswersEachIdentityAsItStands() throws Exception {
        assertThat(ocsp(Status.GOOD)).isNull(); // GOOD is null in Bouncy Castle
        assertThat(ocsp(Status.EXPIRED)).as("an expired certificate is still known").isNull();
        assertThat(((RevokedStatus) ocsp(Status.REVOKED)).getRevocationReason()).isEqualTo(1);
        assertThat(((RevokedStatus) ocsp(Status.ON_HOLD)).getRevocationReason()).isEqualTo(6);
        assertThat(ocsp(new BigInteger("123456789"), ca())).isInstanceOf(org.bouncycastle.cert.ocsp.UnknownStatus.class);

        Identity stranger = pki.identity(Status.UNKNOWN_ISSUER);
        var request = new OCSPReqBuilder().addRequest(id(stranger.certificate().getSerialNumber(), stranger.issuer()))
                .build();
        assertThat(new OCSPResp(responder().respond(request.getEncoded()).der()).getStatus())
                .isEqualTo(OCSPResp.UNAUTHORIZED);
        assertThat(new OCSPResp(responder().respond(new byte[] {1, 2, 3}).der()).getStatus())
                .isEqualTo(OCSPResp.MALFORMED_REQUEST);
    }

    @Test
    void theCrlListsRevokedAndSuspendedOnly() throws Exception {
        X509CRLHolder crl = new X509CRLHolder(crl());
        assertThat(crl.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca()))).isTrue();
        assertThat(crl.getRevokedCertificate(serial(Status.REVOKED))).isNotNull();
        assertThat(crl.getRevokedCertificate(serial(Status.ON_HOLD))).isNotNull();
        assertThat(crl.getRevokedCertificate(serial(Status.GOOD))).isNull();
        assertThat(crl.getRevokedCertificate(serial(Status.OCSP_DOWN))).isNull();
    }

    @Test
    void euDssCannotConfirmASealWhoseOcspResponderIsUnreachable() throws Exception {
        Identity down = pki.identity(Status.OCSP_DOWN);
        var aia = org.bouncycastle.asn1.x509.AuthorityInformationAccess.fromExtensions(
                new JcaX509CertificateHolder(down.certificate()).getExtensions());
        assertThat(aia.getAccessDescriptions()[0].getAccessLocation().getName().toString())
                .isEqualTo(TestPki.DOWN_URL + "/ocsp");

        byte[] pdf = cn.yinxin.keystores.SampleDocument.approvalResult();
        byte[] sealed = new cn.yinxin.core.pdf.sign.PdfSealer().seal(pdf, new cn.yinxin.core.pdf.sign.SealRequest(
                key(down), new cn.yinxin.core.pdf.sign.SealAppearance(png(), 30, 30),
                new cn.yinxin.core.pdf.sign.SealPlacement(1, 100, 100), "seal", null, Instant.now()));
        var verdict = cn.yinxin.testing.DssJudge.validateOnline(sealed, pki.root().certificate());
        assertThat(verdict.indication()).as(verdict.toString()).isEqualTo("INDETERMINATE");
    }

    /** Core's responder for the test PKI's issuing CA, signing with its delegated OCSP signer. */
    private static OcspResponder responder() throws Exception {
        return new OcspResponder(List.of(new OcspResponder.Authority("test-ca", ca(), key(pki.ocspSigner()),
                TestPkiIdentitiesTest::status)), Duration.ofMinutes(10), Clock.systemUTC());
    }

    /** What the issuing CA knows of a serial, as the test PKI keeps it. */
    private static CertificateStatus status(BigInteger serial) {
        for (Identity identity : pki.identities()) {
            X509Certificate certificate = identity.certificate();
            if (certificate.getSerialNumber().equals(serial) && pki.issued(certificate)) {
                TestPki.Revoked revoked = pki.revocation(certificate);
                return revoked == null ? CertificateStatus.GOOD
                        : new CertificateStatus.Revoked(revoked.at(), revoked.reason());
            }
        }
        return CertificateStatus.UNKNOWN;
    }

    /** Core's CRL of the issuing CA, listing what the test PKI says is revoked. */
    private static byte[] crl() throws Exception {
        List<Revocation> revocations = new ArrayList<>();
        for (Identity identity : pki.identities()) {
            TestPki.Revoked revoked = pki.revocation(identity.certificate());
            if (revoked != null) {
                revocations.add(new Revocation(identity.certificate().getSerialNumber(), revoked.at(),
                        revoked.reason()));
            }
        }
        Instant now = Instant.now();
        return CrlMaker.make(key(pki.issuingCa()), BigInteger.ONE, now, now.plus(Duration.ofDays(1)), revocations);
    }

    private static SealKey key(Identity identity) {
        return new SealKey(identity.privateKey(), identity.chain());
    }

    private static X509Certificate ca() {
        return pki.issuingCa().certificate();
    }

    private static byte[] png() throws Exception {
        var image = new java.awt.image.BufferedImage(10, 10, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static Object ocsp(Status status) throws Exception {
        return ocsp(serial(status), ca());
    }

    private static Object ocsp(BigInteger serial, X509Certificate issuer) throws Exception {
        var request = new OCSPReqBuilder().addRequest(id(serial, issuer)).build();
        OCSPResp response = new OCSPResp(responder().respond(request.getEncoded()).der());
        assertThat(response.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(basic.getCerts()[0]))).isTrue();
        return basic.getResponses()[0].getCertStatus();
    }

    private static CertificateID id(BigInteger serial, X509Certificate issuer) throws Exception {
        return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer), serial);
    }

    private static BigInteger serial(Status status) {
        return pki.identity(status).certificate().getSerialNumber();
    }
}
