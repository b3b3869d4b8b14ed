package cn.yinxin.ca.trustlist;

import cn.yinxin.service.audit.Actors;
import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Registration of recognised CAs, and the signed trust list that verifiers fetch. */
@RestController
public class TrustListController {

    private final TrustListService service;

    private final Clock clock;

    public TrustListController(TrustListService service, Clock clock) {
        this.clock = clock;
        this.service = service;
    }

    @PostMapping("/api/v1/trust-list/cas")
    public ResponseEntity<TrustListService.Registered> register(@RequestBody TrustListService.Registration registration,
                                                                HttpServletRequest http) throws GeneralSecurityException {
        return ResponseEntity.status(HttpStatus.CREATED).body(service.register(registration, Actors.of(http)));
    }

    @GetMapping("/api/v1/trust-list/cas")
    public List<TrustListService.Registered> registered() {
        return service.registered();
    }

    @DeleteMapping("/api/v1/trust-list/cas/{id}")
    public ResponseEntity<Void> remove(@PathVariable UUID id, HttpServletRequest http) {
        service.remove(id, Actors.of(http));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/v1/trust-list/publications")
    public ResponseEntity<Map<String, Object>> publish(HttpServletRequest http) throws GeneralSecurityException {
        var publication = service.publish(Actors.of(http));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("sequence", publication.sequence(),
                "issuedAt", publication.issuedAt().toString(), "nextUpdate", publication.nextUpdate().toString()));
    }

    /** The latest signed list (JWS compact serialisation), cacheable until it is due to be replaced. */
    @GetMapping("/api/v1/trust-list")
    public ResponseEntity<String> latest() {
        var publication = service.latest().orElseThrow(() ->
                new RejectedException(Problem.NOT_FOUND, "No trust list has been published yet."));
        long seconds = Math.max(0, Math.min(300, Duration.between(clock.instant(), publication.nextUpdate()).toSeconds()));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/jose"))
                .cacheControl(CacheControl.maxAge(Duration.ofSeconds(seconds)).cachePublic())
                .eTag("\"trust-list-" + publication.sequence() + "\"")
                .body(publication.jws());
    }
}
