package cn.yinxin.core.pki.revocation;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;

/** Revocation data fetched from the addresses in the certificates (AIA OCSP, CRL distribution points). */
public final class OnlineRevocationSource implements RevocationSource {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http;
    private final Duration timeout;

    public OnlineRevocationSource(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public byte[] ocsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
        return ocsp(certificate, issuer, false);
    }

    /**
     * With a nonce (RFC 8954): a responder that serves answers signed ahead of time (RFC 5019, as our CA does for
     * nonce-less requests) signs this one now, so that it is issued after the time-stamp it is embedded next to.
     */
    @Override
    public byte[] freshOcsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
        return ocsp(certificate, issuer, true);
    }

    private byte[] ocsp(X509Certificate certificate, X509Certificate issuer, boolean withNonce)
            throws GeneralSecurityException {
        String url = ocspUrl(certificate);
        if (url == null) {
            return null;
        }
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer), certificate.getSerialNumber());
            OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id);
            if (withNonce) {
                byte[] nonce = new byte[16];
                RANDOM.nextBytes(nonce);
                builder.setRequestExtensions(new Extensions(new Extension(
                        OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(new DEROctetString(nonce).getEncoded()))));
            }
            byte[] request = builder.build().getEncoded();
            byte[] answer = post(url, "application/ocsp-request", request);
            OCSPResp response = new OCSPResp(answer);
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                throw new GeneralSecurityException("the OCSP responder at " + url + " answered status " + response.getStatus());
            }
            return answer;
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            throw new GeneralSecurityException("no OCSP answer from " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] crl(X509Certificate certificate) throws GeneralSecurityException {
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (value == null) {
            return null;
        }
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(
                    ASN1OctetString.getInstance(value).getOctets());
            for (DistributionPoint point : points.getDistributionPoints()) {
                if (point.getDistributionPoint() != null
                        && point.getDistributionPoint().getName() instanceof GeneralNames names) {
                    for (GeneralName name : names.getNames()) {
                        if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
                            return get(ASN1IA5String.getInstance(name.getName()).getString());
                        }
                    }
                }
            }
            return null;
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            throw new GeneralSecurityException("no CRL for " + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    static String ocspUrl(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (value == null) {
            return null;
        }
        AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                ASN1OctetString.getInstance(value).getOctets());
        for (AccessDescription description : aia.getAccessDescriptions()) {
            if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)
                    && description.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                return ASN1IA5String.getInstance(description.getAccessLocation().getName()).getString();
            }
        }
        return null;
    }

    private byte[] post(String url, String type, byte[] body) throws IOException, InterruptedException, GeneralSecurityException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new GeneralSecurityException(url + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    private byte[] get(String url) throws IOException, InterruptedException, GeneralSecurityException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new GeneralSecurityException(url + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }
}
