package cn.yinxin.ca;

import cn.yinxin.testing.TestPki;
import cn.yinxin.testing.TestPki.Identity;
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

import static org.assertj.core.api.Assertions.assertThat;

/** The OCSP and CRL logic on the offline test PKI's named identities: every answer a relying party can get. */
class TestPkiIdentitiesTest {

    private static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki();
    }

    @Test
    void ocspAnswersEachIdentityAsItStands() throws Exception {
        assertThat(ocsp(Identity.GOOD)).isNull(); // GOOD is null in Bouncy Castle
        assertThat(ocsp(Identity.EXPIRED)).as("an expired certificate is still known").isNull();
        assertThat(((RevokedStatus) ocsp(Identity.REVOKED)).getRevocationReason()).isEqualTo(1);
        assertThat(((RevokedStatus) ocsp(Identity.SUSPENDED)).getRevocationReason()).isEqualTo(6);
        assertThat(ocsp(new BigInteger("123456789"), pki.ca())).isInstanceOf(org.bouncycastle.cert.ocsp.UnknownStatus.class);

        var stranger = pki.identity(Identity.UNKNOWN_ISSUER).chain().get(1);
        var request = new OCSPReqBuilder().addRequest(id(pki.identity(Identity.UNKNOWN_ISSUER).certificate().getSerialNumber(),
                stranger)).build();
        assertThat(new OCSPResp(pki.ocsp().respond(request.getEncoded()).der()).getStatus())
                .isEqualTo(OCSPResp.UNAUTHORIZED);
        assertThat(new OCSPResp(pki.ocsp().respond(new byte[] {1, 2, 3}).der()).getStatus())
                .isEqualTo(OCSPResp.MALFORMED_REQUEST);
    }

    @Test
    void theCrlListsRevokedAndSuspendedOnly() throws Exception {
        X509CRLHolder crl = new X509CRLHolder(pki.crl());
        assertThat(crl.isSignatureValid(new JcaContentVerifierProviderBuilder().build(pki.ca()))).isTrue();
        assertThat(crl.getRevokedCertificate(serial(Identity.REVOKED))).isNotNull();
        assertThat(crl.getRevokedCertificate(serial(Identity.SUSPENDED))).isNotNull();
        assertThat(crl.getRevokedCertificate(serial(Identity.GOOD))).isNull();
        assertThat(crl.getRevokedCertificate(serial(Identity.OCSP_UNREACHABLE))).isNull();
    }

    @Test
    void euDssCannotConfirmASealWhoseOcspResponderIsUnreachable() throws Exception {
        var aia = org.bouncycastle.asn1.x509.AuthorityInformationAccess.fromExtensions(
                new JcaX509CertificateHolder(pki.identity(Identity.OCSP_UNREACHABLE).certificate()).getExtensions());
        assertThat(aia.getAccessDescriptions()[0].getAccessLocation().getName().toString()).isEqualTo(TestPki.OCSP_URL);

        byte[] pdf = cn.yinxin.keystores.SampleDocument.approvalResult();
        byte[] sealed = new cn.yinxin.core.pdf.sign.PdfSealer().seal(pdf, new cn.yinxin.core.pdf.sign.SealRequest(
                pki.identity(Identity.OCSP_UNREACHABLE), new cn.yinxin.core.pdf.sign.SealAppearance(png(), 30, 30),
                new cn.yinxin.core.pdf.sign.SealPlacement(1, 100, 100), "seal", null, java.time.Instant.now()));
        var verdict = cn.yinxin.testing.DssJudge.validateOnline(sealed, pki.root());
        assertThat(verdict.indication()).as(verdict.toString()).isEqualTo("INDETERMINATE");
    }

    private static byte[] png() throws Exception {
        var image = new java.awt.image.BufferedImage(10, 10, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static Object ocsp(Identity identity) throws Exception {
        return ocsp(serial(identity), pki.ca());
    }

    private static Object ocsp(BigInteger serial, java.security.cert.X509Certificate issuer) throws Exception {
        var request = new OCSPReqBuilder().addRequest(id(serial, issuer)).build();
        OCSPResp response = new OCSPResp(pki.ocsp().respond(request.getEncoded()).der());
        assertThat(response.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(basic.getCerts()[0]))).isTrue();
        return basic.getResponses()[0].getCertStatus();
    }

    private static CertificateID id(BigInteger serial, java.security.cert.X509Certificate issuer) throws Exception {
        return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer), serial);
    }

    private static BigInteger serial(Identity identity) {
        return pki.identity(identity).certificate().getSerialNumber();
    }
}
