package cn.yinxin.seal.keys;

import cn.yinxin.seal.SealsProperties;
import io.micrometer.core.instrument.MeterRegistry;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.service.metrics.OutgoingCalls;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import cn.yinxin.service.security.OnBehalfOf;
import cn.yinxin.service.security.ServiceTokens;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link CaClient} over HTTP: the seal service's calls to the ca-service: certify a seal key from its CSR, and revoke, suspend (hold) or
 * release the certificate when the seal's status changes. Each call carries this service's token and the token of
 * the person whose request it serves (a seal administrator, or the person applying for an e-signature), which the CA
 * checks against the certificate's subject. A refusal or an unreachable CA becomes a clear problem, and the seal
 * change it belonged to is not made.
 */
@Component
public class CaServiceClient implements CaClient {

    /** What the ca-service answers about a certificate (the fields used here). */
    public record CertificateView(String issuer, String serial, String status, String certificate, String chain) {
    }

    private final RestClient http;

    public CaServiceClient(SealsProperties properties, ServiceTokens tokens, MeterRegistry meters) {
        var timeout = properties.caTimeout() == null ? Duration.ofSeconds(10) : properties.caTimeout();
        var factory = new JdkClientHttpRequestFactory(HttpClient.newBuilder().connectTimeout(timeout).build());
        factory.setReadTimeout(timeout);
        this.http = RestClient.builder().baseUrl(properties.caUrl().toString()).requestFactory(factory)
                .requestInterceptor(tokens.interceptor())
                // the request id into the CA's logs; each call timed as yinxin.calls{target=ca}
                .requestInterceptor(OutgoingCalls.to(meters, "ca"))
                // the CA issues and changes certificates only for the person who asked for it here: their token
                .requestInterceptor(OnBehalfOf.relay()).build();
    }

    @Override
    public Issued certify(String csrPem, String sealName, String agency, String agencyCode, Integer validityDays)
            throws GeneralSecurityException {
        var body = new LinkedHashMap<String, Object>();
        body.put("profile", "AGENCY_SEAL");
        body.put("csr", csrPem);
        body.put("subject", Map.of("sealName", sealName, "agency", agency, "agencyCode", agencyCode));
        if (validityDays != null) {
            body.put("validityDays", validityDays);
        }
        CertificateView view = call("certify the seal key", () -> http.post().uri("/api/v1/enrolments")
                .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(CertificateView.class));
        List<X509Certificate> chain = Pem.readCertificates(view.chain().getBytes(StandardCharsets.US_ASCII));
        return new Issued(view.issuer(), view.serial(), chain, view.chain());
    }

    /**
     * Has the CA's seal maker sign GB/T 38540 seal information (DER SES_SealInfo); answers the DER SESeal.
     */
    @Override
    public byte[] makeSeSeal(byte[] sealInfoDer) {
        return call("make the GB/T 38540 seal", () -> http.post().uri("/api/v1/seseals")
                .contentType(MediaType.APPLICATION_OCTET_STREAM).body(sealInfoDer).retrieve().body(byte[].class));
    }

    /** Certifies a person's signing key from its CSR (profile PERSONAL: name and resident ID number, checked by the CA). */
    @Override
    public Issued certifyPerson(String csrPem, String name, String residentId) throws GeneralSecurityException {
        var subject = new LinkedHashMap<String, Object>();
        subject.put("name", name);
        subject.put("residentId", residentId);
        CertificateView view = call("certify the personal signing key", () -> http.post().uri("/api/v1/enrolments")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("profile", "PERSONAL", "csr", csrPem, "subject", subject))
                .retrieve().body(CertificateView.class));
        List<X509Certificate> chain = Pem.readCertificates(view.chain().getBytes(StandardCharsets.US_ASCII));
        return new Issued(view.issuer(), view.serial(), chain, view.chain());
    }

    /** Revokes for good (RFC 5280 reason name, e.g. cessationOfOperation, keyCompromise). */
    @Override
    public void revoke(String issuer, String serial, String reason) {
        call("revoke the seal's certificate", () -> http.post().uri("/api/v1/certificates/{issuer}/{serial}/revocation", issuer, serial)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("reason", reason)).retrieve()
                .body(CertificateView.class));
    }

    @Override
    public void release(String issuer, String serial) {
        call("release the seal's certificate", () -> http.delete().uri("/api/v1/certificates/{issuer}/{serial}/revocation", issuer, serial)
                .retrieve().body(CertificateView.class));
    }

    private static <T> T call(String what, Supplier<T> request) {
        try {
            T answer = request.get();
            if (answer == null) {
                throw new RejectedException(Problem.CA_UNAVAILABLE, "The ca-service gave no answer when asked to " + what + ".");
            }
            return answer;
        } catch (RestClientResponseException e) {
            throw new RejectedException(Problem.CA_UNAVAILABLE, "The ca-service refused to " + what + " (HTTP "
                    + e.getStatusCode().value() + "): " + e.getResponseBodyAsString(StandardCharsets.UTF_8));
        } catch (RestClientException e) {
            throw new RejectedException(Problem.CA_UNAVAILABLE, "The ca-service cannot be reached to " + what + ": "
                    + e.getMessage());
        }
    }
}
