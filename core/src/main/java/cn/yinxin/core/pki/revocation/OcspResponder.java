package cn.yinxin.core.pki.revocation;

import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.keys.Signers;

import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * An RFC 6960 OCSP responder for several CAs. Each CA answers through its delegated OCSP signer; the statuses come
 * from the caller (the CA's database). Requests for another issuer are answered "unauthorized".
 */
public final class OcspResponder {

    /** Looks up what one CA knows of a serial number. */
    @FunctionalInterface
    public interface StatusLookup {
        CertificateStatus status(BigInteger serial);
    }

    /** One CA this responder answers for: its certificate, its delegated signer, and its statuses. */
    public record Authority(String name, X509Certificate certificate, SealKey signer, StatusLookup statuses) {
    }

    /** A signed answer, with the window in which it may be reused (for caches and HTTP caching headers). */
    public record Answer(byte[] der, Instant thisUpdate, Instant nextUpdate, boolean cacheable) {
    }

    private final List<Authority> authorities;
    private final Duration validity;
    private final Clock clock;
    private final DigestCalculatorProvider digests;

    public OcspResponder(List<Authority> authorities, Duration validity, Clock clock) throws GeneralSecurityException {
        this.authorities = List.copyOf(authorities);
        this.validity = validity;
        this.clock = clock;
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bouncyCastle()).build();
        } catch (Exception e) {
            throw new GeneralSecurityException(e);
        }
    }

    public List<Authority> authorities() {
        return authorities;
    }

    /** Answers one DER-encoded OCSPRequest; never throws for bad input (malformedRequest instead). */
    public Answer respond(byte[] request) {
        Instant now = clock.instant();
        OCSPReq ocspReq;
        try {
            ocspReq = new OCSPReq(request);
        } catch (Exception e) {
            return status(OCSPRespBuilder.MALFORMED_REQUEST, now);
        }
        Req[] requests = ocspReq.getRequestList();
        if (requests.length == 0) {
            return status(OCSPRespBuilder.MALFORMED_REQUEST, now);
        }
        try {
            Authority authority = authorityOf(requests[0].getCertID());
            if (authority == null) {
                return status(OCSPRespBuilder.UNAUTHORIZED, now);
            }
            for (Req r : requests) {
                if (!authority.certificate().equals(issuerOf(r.getCertID()))) {
                    return status(OCSPRespBuilder.UNAUTHORIZED, now);
                }
            }
            X509CertificateHolder signerCertificate = new JcaX509CertificateHolder(authority.signer().certificate());
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(
                    new RespID(signerCertificate.getSubjectPublicKeyInfo(), digests.get(CertificateID.HASH_SHA1)));
            Instant nextUpdate = now.plus(validity);
            for (Req r : requests) {
                CertificateStatus status = authority.statuses().status(r.getCertID().getSerialNumber());
                org.bouncycastle.cert.ocsp.CertificateStatus answer = switch (status) {
                    case CertificateStatus.Good g -> org.bouncycastle.cert.ocsp.CertificateStatus.GOOD;
                    case CertificateStatus.Revoked rv -> new RevokedStatus(Date.from(rv.at()), rv.reason());
                    case CertificateStatus.Unknown u -> new UnknownStatus();
                };
                builder.addResponse(r.getCertID(), answer, Date.from(now), Date.from(nextUpdate));
            }
            Extension nonce = ocspReq.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                builder.setResponseExtensions(new Extensions(nonce));
            }
            var basic = builder.build(Signers.of(authority.signer()),
                    new X509CertificateHolder[] {signerCertificate}, Date.from(now));
            byte[] der = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
            return new Answer(der, now, nextUpdate, nonce == null);
        } catch (Exception e) {
            return status(OCSPRespBuilder.INTERNAL_ERROR, now);
        }
    }

    /** The authority a CertID names, or null. */
    private Authority authorityOf(CertificateID id) throws Exception {
        X509Certificate issuer = issuerOf(id);
        for (Authority authority : authorities) {
            if (authority.certificate().equals(issuer)) {
                return authority;
            }
        }
        return null;
    }

    private X509Certificate issuerOf(CertificateID id) throws Exception {
        for (Authority authority : authorities) {
            if (id.matchesIssuer(new JcaX509CertificateHolder(authority.certificate()), digests)) {
                return authority.certificate();
            }
        }
        return null;
    }

    private static Answer status(int status, Instant now) {
        try {
            return new Answer(new OCSPRespBuilder().build(status, null).getEncoded(), now, now, false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
