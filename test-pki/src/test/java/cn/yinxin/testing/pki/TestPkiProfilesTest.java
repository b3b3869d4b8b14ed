package cn.yinxin.testing.pki;

import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The certificate profiles a seal verifier checks, and the clock that decides every time in the PKI. */
class TestPkiProfilesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final TestPki pki = TestPki.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .identity("测试专用章", Status.GOOD).identity("revoked", Status.REVOKED).identity("expired", Status.EXPIRED)
            .identity("TSA", Profile.TIME_STAMPING, Status.GOOD).identity("down", Status.OCSP_DOWN).build();

    @Test
    void aSealNamesItsAgencyAndMayOnlySign() throws Exception {
        X509Certificate seal = pki.identity("测试专用章").certificate();
        X500Name subject = X500Name.getInstance(seal.getSubjectX500Principal().getEncoded());
        assertThat(value(subject, BCStyle.O)).isEqualTo(TestPki.AGENCY);
        assertThat(value(subject, BCStyle.ORGANIZATION_IDENTIFIER)).isEqualTo(TestPki.AGENCY_CODE);
        assertThat(value(subject, BCStyle.CN)).isEqualTo("测试专用章");
        // digitalSignature (0) and nonRepudiation (1), nothing else; not a CA
        assertThat(seal.getKeyUsage()).containsExactly(true, true, false, false, false, false, false, false, false);
        assertThat(seal.getBasicConstraints()).isEqualTo(-1);
        assertThat(seal.getCriticalExtensionOIDs()).contains(Extension.keyUsage.getId());
        assertThat(seal.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNotNull();
        assertThat(seal.getExtensionValue(Extension.authorityInfoAccess.getId())).isNotNull();
        assertThat(pki.identity("测试专用章").chain()).containsExactly(seal, pki.issuingCa().certificate(),
                pki.root().certificate());
        seal.verify(pki.issuingCa().certificate().getPublicKey());
    }

    @Test
    void theCasAndTheResponderCarryTheirRoles() throws Exception {
        assertThat(pki.root().certificate().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(pki.issuingCa().certificate().getBasicConstraints()).as("path length 0").isZero();
        X509Certificate responder = pki.ocspSigner().certificate();
        assertThat(responder.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.9");
        assertThat(responder.getExtensionValue(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId())).isNotNull();
        assertThat(responder.getExtensionValue(Extension.authorityInfoAccess.getId()))
                .as("no OCSP pointer on the responder itself").isNull();
        assertThat(pki.identity("TSA").certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.8");
        assertThat(pki.identity("TSA").certificate().getCriticalExtensionOIDs())
                .contains(Extension.extendedKeyUsage.getId());
    }

    @Test
    void everyTimeComesFromTheClock() throws Exception {
        assertThat(pki.identity("expired").certificate().getNotAfter())
                .isEqualTo(Date.from(NOW.minus(Duration.ofDays(1))));
        assertThat(pki.identity("测试专用章").certificate().getNotBefore())
                .isEqualTo(Date.from(NOW.minus(Duration.ofDays(30))));
        X509CRLHolder crl = new X509CRLHolder(pki.crl());
        assertThat(crl.getThisUpdate()).isEqualTo(Date.from(NOW));
        assertThat(crl.getRevokedCertificate(serial("revoked")).getRevocationDate())
                .isEqualTo(Date.from(NOW.minus(Duration.ofHours(1))));
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(pki.ocsp(pki.identity("revoked").certificate()))
                .getResponseObject();
        assertThat(basic.getProducedAt()).isEqualTo(Date.from(NOW));
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .build(pki.ocspSigner().certificate()))).isTrue();
        assertThat(((RevokedStatus) basic.getResponses()[0].getCertStatus()).getRevocationReason()).isEqualTo(1);
    }

    @Test
    void aCrlIssuedBeforeARevocationDoesNotKnowIt() throws Exception {
        assertThat(new X509CRLHolder(pki.crl(NOW.minus(Duration.ofHours(2)))).getRevokedCertificate(serial("revoked")))
                .isNull();
        pki.revoke("测试专用章", NOW.minus(Duration.ofMinutes(5)), 6);
        assertThat(new X509CRLHolder(pki.crl()).getRevokedCertificate(serial("测试专用章"))).isNotNull();
        pki.lift("测试专用章");
        assertThat(new X509CRLHolder(pki.crl()).getRevokedCertificate(serial("测试专用章"))).isNull();
    }

    @Test
    void theDownIdentityGetsNoAnswerInMemory() throws Exception {
        X509Certificate down = pki.identity("down").certificate();
        assertThatThrownBy(() -> pki.ocsp(down)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> pki.crl(down)).isInstanceOf(ConnectException.class);
        byte[] request = TestPki.request(down, pki.issuingCa().certificate());
        assertThat(new OCSPResp(pki.ocsp(request)).getStatus()).isEqualTo(OCSPResp.TRY_LATER);
        assertThat(new OCSPResp(pki.ocsp(new byte[] {1, 2, 3})).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
    }

    @Test
    void anSm2PkiSignsWithSm2() throws Exception {
        TestPki sm2 = TestPki.builder().keyType(KeyType.SM2).identity("SM2 seal", Status.GOOD).build();
        X509Certificate seal = sm2.identity("SM2 seal").certificate();
        assertThat(seal.getSigAlgOID()).isEqualTo("1.2.156.10197.1.501"); // SM3withSM2
        seal.verify(sm2.issuingCa().certificate().getPublicKey(), new org.bouncycastle.jce.provider.BouncyCastleProvider());
    }

    private java.math.BigInteger serial(String name) {
        return pki.identity(name).certificate().getSerialNumber();
    }

    private static String value(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        return IETFUtils.valueToString(name.getRDNs(type)[0].getFirst().getValue());
    }
}
