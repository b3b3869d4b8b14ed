package cn.yinxin.licence.types;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.licence.access.IssuingOffice;
import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.audit.AuditLog;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Licence types, managed by API: list, read, define. */
@RestController
public class LicenceTypesController {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final LicenceTypes types;
    private final IssuingOffice office;
    private final AuditLog audit;

    /** The service's clock (LicenceServiceApplication): what decides a date or an expiry. */
    private final Clock clock;

    public LicenceTypesController(LicenceTypes types, IssuingOffice office, AuditLog audit, Clock clock) {
        this.clock = clock;
        this.types = types;
        this.office = office;
        this.audit = audit;
    }

    @GetMapping("/api/v1/licence-types")
    public List<Map<String, Object>> all() {
        return types.all().stream().map(LicenceTypes::view).toList();
    }

    @GetMapping("/api/v1/licence-types/{code}")
    public Map<String, Object> one(@PathVariable String code) {
        return LicenceTypes.view(types.get(code));
    }

    /** For auditors only (三权分立): the type's definition and the refused attempts to issue or define it. */
    @GetMapping("/api/v1/licence-types/{code}/audit")
    public List<AuditLog.Entry> audit(@PathVariable String code) {
        types.get(code);
        return audit.about("licence-type:" + code);
    }

    /**
     * JSON: code, name, fieldsSchema (a JSON Schema object), template {title, accent, labels}, sealId,
     * signatureLevel (default B_T), validityYears, formats (["PDF"], ["OFD"] or ["PDF", "OFD"]) and ofdSealId (an SM2
     * seal of the same agency with a GB/T 38540 seal). Without formats: both files when an ofdSealId is named, else the
     * PDF only.
     */
    @PostMapping("/api/v1/licence-types")
    public ResponseEntity<Map<String, Object>> define(@RequestBody JsonNode body, HttpServletRequest http) {
        // an office defines its own types: the code starts with the defining authority's USCC
        office.newType(body.path("code").asString(null), body.path("sealId").asString(null), http);
        String ofdSealId = body.hasNonNull("ofdSealId") ? body.get("ofdSealId").asString(null) : null;
        if (ofdSealId != null) {
            office.newType(body.path("code").asString(null), ofdSealId, http);
        }
        JsonNode template = body.path("template");
        var type = new LicenceType(body.path("code").asString(null), body.path("name").asString(null),
                body.has("fieldsSchema") ? JSON.writeValueAsString(body.get("fieldsSchema")) : null,
                template.isObject() ? JSON.treeToValue(template, LicenceType.Template.class) : null,
                body.path("sealId").asString(null), body.path("signatureLevel").asString("B_T"),
                body.hasNonNull("validityYears") ? body.get("validityYears").asInt() : null, null, clock.instant(),
                formats(body.get("formats"), ofdSealId), ofdSealId);
        if (type.fieldsSchema() == null) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Give the fieldsSchema.");
        }
        LicenceType defined = types.define(type, Actors.of(http), true);
        return ResponseEntity.created(URI.create("/api/v1/licence-types/" + defined.code())).body(LicenceTypes.view(defined));
    }

    /** The formats asked for; when none are, both if an SM2 seal is named for the OFD, else the PDF alone. */
    private static Set<LicenceType.Format> formats(JsonNode asked, String ofdSealId) {
        if (asked == null || asked.isNull()) {
            return ofdSealId == null ? Set.of(LicenceType.Format.PDF)
                    : Set.of(LicenceType.Format.PDF, LicenceType.Format.OFD);
        }
        if (!asked.isArray() || asked.isEmpty() || asked.size() > 2) {
            throw new RejectedException(Problem.INVALID_REQUEST,
                    "formats is a list of one or two of \"PDF\" and \"OFD\".");
        }
        var formats = EnumSet.noneOf(LicenceType.Format.class);
        for (JsonNode one : asked) {
            String name = one.isString() ? one.asString() : "";
            if (!name.equals("PDF") && !name.equals("OFD")) {
                throw new RejectedException(Problem.INVALID_REQUEST,
                        "formats is a list of one or two of \"PDF\" and \"OFD\"; got " + one + ".");
            }
            formats.add(LicenceType.Format.valueOf(name));
        }
        return formats;
    }
}
