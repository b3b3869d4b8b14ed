package cn.yinxin.ca.crl;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** {@code GET /crl/{ca}.crl}: the CRL distribution point named in every certificate. */
@RestController
public class CrlController {

    private final CrlPublisher publisher;

    private final Clock clock;

    public CrlController(CrlPublisher publisher, Clock clock) {
        this.clock = clock;
        this.publisher = publisher;
    }

    @GetMapping("/crl/{issuer}.crl")
    public ResponseEntity<byte[]> crl(@PathVariable String issuer) {
        if (!CrlPublisher.AUTHORITIES.contains(issuer)) {
            throw new RejectedException(Problem.UNKNOWN_CA, "There is no CA named '" + issuer + "'.");
        }
        var crl = publisher.latest(issuer).orElseThrow(() ->
                new RejectedException(Problem.NOT_FOUND, "No CRL of " + issuer + " has been published yet."));
        long seconds = Math.max(0, Duration.between(clock.instant(), crl.nextUpdate()).toSeconds());
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/pkix-crl"))
                .cacheControl(CacheControl.maxAge(Duration.ofSeconds(seconds)).cachePublic())
                .lastModified(crl.thisUpdate())
                .eTag("\"" + issuer + "-" + crl.number() + "\"")
                .body(crl.der());
    }
}
