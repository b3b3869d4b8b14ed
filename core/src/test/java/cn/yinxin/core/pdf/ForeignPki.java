package cn.yinxin.core.pdf;

import cn.yinxin.core.pki.cms.TimeStampAuthority;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.KeyType;
import cn.yinxin.testing.pki.Profile;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.model.TimestampBinary;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.spi.x509.revocation.ocsp.OCSPSource;
import eu.europa.esig.dss.spi.x509.revocation.ocsp.OCSPToken;
import eu.europa.esig.dss.spi.x509.tsp.TSPSource;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PKI for documents made by other products: two signers (a seal and a person) whose certificates name an OCSP
 * responder, and a TSA, all answered in memory, both to EU DSS (its {@link TSPSource} and {@link OCSPSource}, so it
 * can sign B-T and extend to B-LT and B-LTA) and to Yinxin (its online {@link RevocationSource}).
 */
final class ForeignPki {

    static final String SEAL = "外来专用章";
    static final String PERSON = "李四";

    final TestPki pki;
    final X509Certificate root;
    final SealKey sealKey;
    final SealKey personKey;
    private final TimeStampAuthority tsa;

    ForeignPki() throws GeneralSecurityException {
        this(KeyType.EC_P256);
    }

    /** The same PKI with every key of {@code keyType} (RSA for signers that know no EC key). */
    ForeignPki(KeyType keyType) throws GeneralSecurityException {
        pki = TestPki.builder().keyType(keyType).root("Foreign Root").issuingCa("Foreign Issuing CA")
                .identity(SEAL, Profile.SEAL, Status.GOOD)
                .identity(PERSON, Profile.PERSONAL, Status.GOOD)
                .identity("Foreign TSA", Profile.TIME_STAMPING, Status.GOOD).build();
        root = pki.root().certificate();
        sealKey = key(pki.identity(SEAL));
        personKey = key(pki.identity(PERSON));
        AtomicLong serials = new AtomicLong();
        tsa = new TimeStampAuthority(key(pki.identity("Foreign TSA")), new ASN1ObjectIdentifier("2.25.11"),
                () -> BigInteger.valueOf(serials.incrementAndGet()), Clock.systemUTC());
    }

    private static SealKey key(Identity identity) {
        return new SealKey(identity.privateKey(), identity.chain());
    }

    /** An RFC 3161 token over {@code digest} (its algorithm named by {@code oid}) from the in-memory TSA. */
    byte[] timeStampToken(String oid, byte[] digest) {
        try {
            TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
            generator.setCertReq(true);
            var request = generator.generate(new ASN1ObjectIdentifier(oid), digest,
                    BigInteger.valueOf(System.nanoTime()));
            TimeStampResponse response = new TimeStampResponse(tsa.respond(request.getEncoded()).der());
            response.validate(request);
            return response.getTimeStampToken().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("the foreign TSA failed", e);
        }
    }

    /** The TSA as EU DSS asks it. */
    TSPSource tspSource() {
        return (TSPSource) (DigestAlgorithm algorithm, byte[] digest) ->
                new TimestampBinary(timeStampToken(algorithm.getOid(), digest));
    }

    /** The OCSP responder as EU DSS asks it. */
    OCSPSource ocspSource() {
        return (OCSPSource) (CertificateToken certificate, CertificateToken issuer) -> {
            try {
                BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(pki.ocsp(certificate.getCertificate()))
                        .getResponseObject();
                return new OCSPToken(basic, basic.getResponses()[0], certificate, issuer);
            } catch (Exception e) {
                return null;
            }
        };
    }

    /** The OCSP responder as Yinxin's verifier asks it online. */
    RevocationSource revocation() {
        return new RevocationSource() {
            @Override
            public byte[] ocsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
                try {
                    return pki.ocsp(certificate);
                } catch (java.io.IOException e) {
                    throw new GeneralSecurityException(e);
                }
            }

            @Override
            public byte[] crl(X509Certificate certificate) {
                return null;
            }
        };
    }

    /** A DSS certificate verifier trusting the root, with the in-memory OCSP responder and no network. */
    CommonCertificateVerifier dssVerifier() {
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        verifier.setAIASource(null);
        verifier.setCrlSource(null);
        verifier.setOcspSource(ocspSource());
        CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
        trusted.addCertificate(new CertificateToken(root));
        verifier.setTrustedCertSources(trusted);
        return verifier;
    }
}
