package cn.yinxin.ca.ocsp;

import cn.yinxin.core.pki.OcspResponder.Answer;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** The OCSP responder: RFC 6960 POST and RFC 5019 GET, the address in every certificate's AIA. */
@RestController
public class OcspController {

    static final MediaType OCSP_RESPONSE = MediaType.parseMediaType("application/ocsp-response");
    private final OcspService ocsp;

    public OcspController(OcspService ocsp) {
        this.ocsp = ocsp;
    }

    @PostMapping(path = "/ocsp", consumes = "application/ocsp-request")
    public ResponseEntity<byte[]> post(@RequestBody(required = false) byte[] request) {
        Answer answer = ocsp.answer(request == null ? new byte[0] : request).answer();
        return ResponseEntity.ok().contentType(OCSP_RESPONSE).cacheControl(CacheControl.noStore()).body(answer.der());
    }

    /**
     * RFC 5019: the base64 DER request, URL-encoded, after /ocsp/; answers may be cached by HTTP. The raw request
     * URI is decoded here because base64 holds '/' and '+', which servlet path decoding would mangle.
     */
    @GetMapping("/ocsp/**")
    public ResponseEntity<byte[]> get(HttpServletRequest http) {
        String raw = http.getRequestURI().substring(http.getContextPath().length() + "/ocsp/".length());
        byte[] der;
        try {
            der = Base64.getDecoder().decode(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            der = new byte[0];
        }
        var served = ocsp.answer(der);
        Answer answer = served.answer();
        var response = ResponseEntity.ok().contentType(OCSP_RESPONSE);
        if (!answer.cacheable()) {
            return response.cacheControl(CacheControl.noStore()).body(answer.der());
        }
        long maxAge = Math.max(0, Duration.between(Instant.now(), answer.nextUpdate()).toSeconds());
        return response
                .cacheControl(CacheControl.maxAge(Duration.ofSeconds(maxAge)).cachePublic().noTransform().mustRevalidate())
                .lastModified(answer.thisUpdate())
                .header(HttpHeaders.EXPIRES, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(answer.nextUpdate().atZone(java.time.ZoneOffset.UTC)))
                .eTag(served.etag())
                .body(answer.der());
    }

    /** Lets %2F (a '/' of base64) through to the controller instead of Tomcat refusing the request. */
    @Configuration
    static class EncodedSlashes {
        @Bean
        TomcatConnectorCustomizer ocspGetRequests() {
            return connector -> connector.setEncodedSolidusHandling("passthrough");
        }
    }
}
