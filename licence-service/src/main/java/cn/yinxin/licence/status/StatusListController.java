package cn.yinxin.licence.status;

import cn.yinxin.licence.LicenceProperties;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;

/** Serves the status lists with HTTP caching (max-age from the list's time-to-live, ETag, 304). */
@RestController
public class StatusListController {

    public static final MediaType STATUS_LIST_CWT = MediaType.parseMediaType("application/statuslist+cwt");

    private final StatusLists lists;
    private final Duration ttl;

    public StatusListController(StatusLists lists, LicenceProperties properties) {
        this.lists = lists;
        this.ttl = properties.statusListTtl();
    }

    @GetMapping("/api/v1/status-lists/{issuer}/{type}")
    public ResponseEntity<byte[]> list(@PathVariable String issuer, @PathVariable String type,
                                       @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        StatusLists.Token token = lists.token(issuer, type);
        var cache = CacheControl.maxAge(ttl.dividedBy(2)).cachePublic();
        if (token.etag().equals(ifNoneMatch)) {
            return ResponseEntity.status(304).eTag(token.etag()).cacheControl(cache).build();
        }
        return ResponseEntity.ok().contentType(STATUS_LIST_CWT).eTag(token.etag()).cacheControl(cache)
                .lastModified(token.issuedAt()).body(token.cwt());
    }
}
