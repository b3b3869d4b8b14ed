package cn.yinxin.ca.ocsp;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;

/**
 * OCSP on the main port: RFC 6960 POST and RFC 5019 GET. The address in certificates is the lean listener
 * (OcspListener); this one answers the same for clients configured with the service's own address.
 */
@RestController
public class OcspController {

    private final OcspService ocsp;

    private final Clock clock;

    public OcspController(OcspService ocsp, Clock clock) {
        this.clock = clock;
        this.ocsp = ocsp;
    }

    @PostMapping(path = "/ocsp", consumes = OcspHttp.REQUEST_TYPE)
    public ResponseEntity<byte[]> post(@RequestBody(required = false) byte[] request) {
        return answer(ocsp.answer(request == null ? new byte[0] : request), false);
    }

    /** The raw request URI is decoded here: base64 holds '/' and '+', which servlet path decoding would mangle. */
    @GetMapping("/ocsp/**")
    public ResponseEntity<byte[]> get(HttpServletRequest http) {
        String raw = http.getRequestURI().substring(http.getContextPath().length() + "/ocsp/".length());
        return answer(ocsp.answer(OcspHttp.fromGetPath(raw)), true);
    }

    private ResponseEntity<byte[]> answer(OcspService.Served served, boolean get) {
        var response = ResponseEntity.ok();
        OcspHttp.headers(served, get, clock.instant()).forEach(response::header);
        return response.body(served.answer().der());
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
