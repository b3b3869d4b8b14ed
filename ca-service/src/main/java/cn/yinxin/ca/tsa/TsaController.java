package cn.yinxin.ca.tsa;

import cn.yinxin.ca.CaProperties;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.cms.TimeStampAuthority;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.time.Clock;

/**
 * {@code POST /tsa}: RFC 3161 over HTTP. Serial numbers come from a PostgreSQL sequence, so they stay unique
 * across restarts and instances. A malformed or refused request gets a rejection reply and HTTP 400.
 */
@RestController
public class TsaController {

    static final MediaType REPLY = MediaType.parseMediaType("application/timestamp-reply");
    private final TimeStampAuthority tsa;

    private final Clock clock;

    public TsaController(CaHierarchy hierarchy, CaProperties properties, JdbcClient jdbc, Clock clock) throws GeneralSecurityException {
        this.clock = clock;
        this.tsa = new TimeStampAuthority(hierarchy.tsa(), new ASN1ObjectIdentifier(properties.tsaPolicy()),
                () -> BigInteger.valueOf(jdbc.sql("SELECT nextval('tsa_serial')").query(Long.class).single()),
                clock);
    }

    @PostMapping(path = "/tsa", consumes = "application/timestamp-query")
    public ResponseEntity<byte[]> timestamp(@RequestBody(required = false) byte[] request) {
        var reply = tsa.respond(request == null ? new byte[0] : request);
        return ResponseEntity.status(reply.granted() ? 200 : 400).contentType(REPLY).body(reply.der());
    }
}
