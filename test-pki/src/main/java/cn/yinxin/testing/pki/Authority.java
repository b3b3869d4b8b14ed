package cn.yinxin.testing.pki;

import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One CA of the test PKI as relying parties meet it: its CRL and its OCSP answers, signed by {@code responder}
 * (a delegated OCSP signer for the issuing CA, the root's own key for the root, as RFC 6960 4.2.2.2 allows both).
 */
final class Authority {

    /** How long an OCSP answer claims to be current (nextUpdate - thisUpdate) unless the builder says otherwise. */
    static final Duration OCSP_VALIDITY = Duration.ofMinutes(10);

    final Identity ca;
    final Revocations revocations = new Revocations();
    private final Identity responder;
    private final KeyType keyType;
    private final Duration ocspValidity;
    private final AtomicLong crlNumbers = new AtomicLong();

    Authority(Identity ca, Identity responder, KeyType keyType, Duration ocspValidity) {
        this.ca = ca;
        this.responder = responder;
        this.keyType = keyType;
        this.ocspValidity = ocspValidity;
    }

    byte[] crl(Instant thisUpdate) {
        return Crls.make(ca, keyType, BigInteger.valueOf(crlNumbers.incrementAndGet()), thisUpdate,
                revocations.all());
    }

    /** Whether {@code id} names a certificate of this CA (same issuer name and key hashes). */
    boolean issued(CertificateID id) {
        try {
            return id.matchesIssuer(new JcaX509CertificateHolder(ca.certificate()), digests());
        } catch (OCSPException | CertificateEncodingException
                 | org.bouncycastle.operator.OperatorCreationException e) {
            return false;
        }
    }

    /** A successful, signed OCSP answer about {@code requests}, produced at {@code at}; the nonce echoed (RFC 8954). */
    byte[] answer(Req[] requests, Extension nonce, Instant at) throws OCSPException, IOException {
        try {
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(
                    new X509CertificateHolder(responder.certificate().getEncoded()).getSubjectPublicKeyInfo(),
                    digests().get(CertificateID.HASH_SHA1)));
            for (Req request : requests) {
                CertificateID id = request.getCertID();
                builder.addResponse(id, status(id.getSerialNumber(), at), Date.from(at),
                        Date.from(at.plus(ocspValidity)), null);
            }
            if (nonce != null) {
                builder.setResponseExtensions(new Extensions(nonce));
            }
            X509CertificateHolder[] chain = {new X509CertificateHolder(responder.certificate().getEncoded())};
            var basic = builder.build(Certificates.signer(responder.privateKey(), keyType), chain, Date.from(at));
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
        } catch (CertificateEncodingException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new OCSPException("test OCSP answer not made: " + e.getMessage(), e);
        }
    }

    private CertificateStatus status(BigInteger serial, Instant at) {
        Revocations.Entry revoked = revocations.at(serial, at);
        if (revoked != null) {
            return new RevokedStatus(Date.from(revoked.at()), revoked.reason());
        }
        return revocations.isIssued(serial) ? CertificateStatus.GOOD : new UnknownStatus();
    }

    static Extension nonceOf(org.bouncycastle.cert.ocsp.OCSPReq request) {
        return request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
    }

    static OCSPResp refusal(int status) {
        try {
            return new OCSPRespBuilder().build(status, null);
        } catch (OCSPException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DigestCalculatorProvider digests() throws org.bouncycastle.operator.OperatorCreationException {
        return new JcaDigestCalculatorProviderBuilder().setProvider(Bc.PROVIDER).build();
    }
}
