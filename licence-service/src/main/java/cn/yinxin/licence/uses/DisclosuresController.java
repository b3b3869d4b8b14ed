package cn.yinxin.licence.uses;

import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * An officer's look-up of a licence holder's full data, with a purpose (a POST: the purpose is in the body, not in
 * a URL that proxies and access logs keep; and each call records a use).
 */
@RestController
public class DisclosuresController {

    public static final String PATH = "/api/v1/licences/{identifier}/disclosures";

    private final Disclosures disclosures;

    public DisclosuresController(Disclosures disclosures) {
        this.disclosures = disclosures;
    }

    /** JSON: purpose (用证事由, 1 to 200 characters), caseNumber (case or approval item). */
    @PostMapping(PATH)
    public ResponseEntity<Map<String, Object>> disclose(@PathVariable String identifier,
                                                        @RequestBody(required = false) JsonNode body,
                                                        HttpServletRequest http) {
        Purpose purpose = Purpose.of(body);
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(disclosures.disclose(identifier, purpose, Caller.current(), Actors.of(http)));
    }
}
