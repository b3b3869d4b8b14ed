package cn.yinxin.core.pdf.verify.longterm;

import cn.yinxin.core.pki.Providers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An embedded OCSP answer's signature is verified once per answer and issuer within one verification: a second
 * question about the same answer takes that result, but only for the same issuer. The attack: one answer about two
 * certificates of two CAs, signed by one of them; asked about the other CA's certificate it proves nothing.
 */
class OcspAnswerSignaturesTest {

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Test
    void anAnswerSignedByOneIssuerProvesNothingAboutAnotherIssuersCertificate() throws Exception {
        KeyPair aKeys = keys();
        KeyPair bKeys = keys();
        X509Certificate a = certificate("CN=CA A", aKeys, "CN=CA A", aKeys, 1, true);
        X509Certificate b = certificate("CN=CA B", bKeys, "CN=CA B", bKeys, 2, true);
        X509Certificate x = certificate("CN=Seal X", keys(), "CN=CA A", aKeys, 10, false);
        X509Certificate y = certificate("CN=Seal Y", keys(), "CN=CA B", bKeys, 20, false);
        // one answer about X (of A) and Y (of B), signed by A alone
        BasicOCSPResp answer = answer(aKeys, a, List.of(id(a, x), id(b, y)));
        RevocationCheck check = new RevocationCheck(
                new ValidationData(List.of(), List.of(answer), List.of(), 0), null, RevocationFreshness.DEFAULT);

        assertThat(check.status(x, a, now).state()).isEqualTo(RevocationCheck.State.GOOD);
        // the same answer, asked about a certificate of B: its signature is B's to make, not A's
        assertThat(check.status(y, b, now).state()).isNotEqualTo(RevocationCheck.State.GOOD);
        // and asked again, in either order, the same answers
        assertThat(check.status(x, a, now).state()).isEqualTo(RevocationCheck.State.GOOD);
        RevocationCheck other = new RevocationCheck(
                new ValidationData(List.of(), List.of(answer), List.of(), 0), null, RevocationFreshness.DEFAULT);
        assertThat(other.status(y, b, now).state()).isNotEqualTo(RevocationCheck.State.GOOD);
        assertThat(other.status(x, a, now).state()).isEqualTo(RevocationCheck.State.GOOD);
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                        long serial, boolean ca) throws Exception {
        var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(serial),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name(subject), subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        // names an OCSP responder: a certificate that names none cannot be checked at all
        builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                new AccessDescription(AccessDescription.id_ad_ocsp,
                        new GeneralName(GeneralName.uniformResourceIdentifier, "http://127.0.0.1:9/ocsp"))));
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(issuerKeys.getPrivate()));
        return new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle()).getCertificate(holder);
    }

    private static CertificateID id(X509Certificate issuer, X509Certificate certificate) throws Exception {
        return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer), certificate.getSerialNumber());
    }

    private BasicOCSPResp answer(KeyPair signer, X509Certificate signerCertificate, List<CertificateID> ids)
            throws Exception {
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(
                new JcaX509CertificateHolder(signerCertificate).getSubject()));
        for (CertificateID id : ids) {
            builder.addResponse(id, CertificateStatus.GOOD, Date.from(now.plusSeconds(60)),
                    Date.from(now.plus(Duration.ofHours(1))), null);
        }
        return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()), null,
                Date.from(now.plusSeconds(60)));
    }
}
