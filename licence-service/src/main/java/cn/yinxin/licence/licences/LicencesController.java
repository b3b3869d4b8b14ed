package cn.yinxin.licence.licences;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.licence.access.IssuingOffice;
import cn.yinxin.licence.types.LicenceType;
import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.audit.AuditLog;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.OfficeScope;
import cn.yinxin.service.security.Roles;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Issue licences, read them and their PDF, and change their status. */
@RestController
public class LicencesController {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Licences licences;
    private final IssuingOffice office;
    private final AuditLog audit;

    public LicencesController(Licences licences, IssuingOffice office, AuditLog audit) {
        this.licences = licences;
        this.office = office;
        this.audit = audit;
    }

    /**
     * JSON: type, holder {kind PERSON|ORGANISATION, name, number}, fields {...}, physicalNumber, optional
     * validFrom, validUntil (ISO dates), approvalItem. 201 with the identifier; a retry of the same issuance gives
     * 200 and the same licence ({@code Idempotent-Replayed: true}).
     */
    @PostMapping(path = "/api/v1/licences", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> issue(@RequestBody JsonNode body, HttpServletRequest http) {
        office.type(body.path("type").asString(null), "issue a licence of this type", http);
        JsonNode holder = body.path("holder");
        Holder.Kind kind;
        try {
            kind = Holder.Kind.valueOf(holder.path("kind").asString(""));
        } catch (IllegalArgumentException e) {
            throw new RejectedException(Problem.INVALID_HOLDER, "holder.kind is PERSON or ORGANISATION.");
        }
        var request = new Licences.IssueRequest(body.path("type").asString(null),
                new Holder(kind, holder.path("name").asString(null), holder.path("number").asString(null)),
                body.get("fields"), date(body, "validFrom"), date(body, "validUntil"),
                body.path("physicalNumber").asString(null), body.path("approvalItem").asString(null));
        var issued = licences.issue(request, Actors.of(http));
        var answer = issued.replayed() ? ResponseEntity.ok()
                : ResponseEntity.created(URI.create("/api/v1/licences/" + issued.licence().identifier()));
        return answer.header("Idempotent-Replayed", String.valueOf(issued.replayed())).body(view(issued.licence()));
    }

    /**
     * For issuers (the holder's full number too) and officers. An officer sees the holder's name and number masked
     * here: the full data is disclosed only with a purpose, recorded and shown to the holder
     * ({@code POST /api/v1/licences/{identifier}/disclosures}).
     */
    @GetMapping("/api/v1/licences/{identifier}")
    public Map<String, Object> licence(@PathVariable String identifier, HttpServletRequest http) {
        office.issuerReads(identifier, http);
        Licence licence = licences.get(identifier);
        Map<String, Object> view = view(licence);
        Caller caller = Caller.current();
        // full data for an issuer of the licence's own office only; an account that is also an officer, or an
        // issuer of another office, reads what an officer reads
        if (caller.has(Roles.LICENCE_ISSUER) && OfficeScope.covers(caller, licence.issuerCode())) {
            view.put("holder", Map.of("kind", licence.holder().kind().name(), "name", licence.holder().name(),
                    "number", licence.holder().masked(), "identityNumber", licence.holder().number()));
        } else {
            view.put("holder", Map.of("kind", licence.holder().kind().name(), "name", maskedName(licence.holder()),
                    "number", licence.holder().masked()));
            view.remove("qr"); // its signed claims carry the holder's full name
            // the type's fields may be personal too (a birth date completes the masked resident ID number)
            view.remove("fields");
            view.put("personalData", "hidden: POST " + "/api/v1/licences/" + licence.identifier() + "/disclosures "
                    + "with purpose (用证事由) and caseNumber");
        }
        return view;
    }

    /** A person's name as the public sees it (张三 -> 张*); an organisation's name is public. */
    static String maskedName(Holder holder) {
        String name = holder.name();
        if (holder.kind() == Holder.Kind.ORGANISATION) {
            return name;
        }
        int first = name.offsetByCodePoints(0, 1);
        return name.substring(0, first) + "*".repeat(Math.max(1, name.codePointCount(first, name.length())));
    }

    @GetMapping("/api/v1/licences/{identifier}/pdf")
    public ResponseEntity<byte[]> pdf(@PathVariable String identifier, HttpServletRequest http) {
        office.licence(identifier, "download the licence's PDF", http);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                .header("Content-Disposition", "attachment; filename=\"licence.pdf\"").body(licences.pdf(identifier));
    }

    /**
     * The national-standard licence file: a GB/T 33190 OFD with the GB/T 36903 metadata and a GB/T 38540 seal, named
     * after the licence's identifier as licence files usually are. 404 licence-file-not-issued when the licence's
     * type issues PDF only.
     */
    @GetMapping("/api/v1/licences/{identifier}/ofd")
    public ResponseEntity<byte[]> ofd(@PathVariable String identifier, HttpServletRequest http) {
        office.licence(identifier, "download the licence's OFD", http);
        return ofdFile(identifier, licences.ofd(identifier));
    }

    /** An OFD answer: its media type (none is registered; readers and platforms use application/ofd) and name. */
    public static ResponseEntity<byte[]> ofdFile(String identifier, byte[] ofd) {
        return ResponseEntity.ok().contentType(OFD).header("Content-Disposition", "attachment; filename=\""
                + identifier.replaceAll("[^0-9A-Za-z.-]", "_") + ".ofd\"").body(ofd);
    }

    /** The media type of an OFD file. */
    public static final MediaType OFD = MediaType.parseMediaType("application/ofd");

    /** The live status, for verifiers: no personal data. */
    @GetMapping("/api/v1/licences/{identifier}/status")
    public Map<String, Object> status(@PathVariable String identifier) {
        Licence licence = licences.get(identifier);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("identifier", licence.identifier());
        status.put("status", licences.liveStatus(licence));
        status.put("since", licence.statusChangedAt());
        status.put("validFrom", licence.validFrom());
        status.put("validUntil", licence.validUntil());
        licences.successor(licence).ifPresent(next -> status.put("supersededBy", next.identifier()));
        return status;
    }

    @PostMapping("/api/v1/licences/{identifier}/suspension")
    public Map<String, Object> suspend(@PathVariable String identifier, @RequestBody(required = false) JsonNode body,
                                       HttpServletRequest http) {
        office.licence(identifier, "suspend the licence", http);
        return view(licences.suspend(identifier, reason(body), Actors.of(http)));
    }

    @DeleteMapping("/api/v1/licences/{identifier}/suspension")
    public Map<String, Object> restore(@PathVariable String identifier, HttpServletRequest http) {
        office.licence(identifier, "restore the licence", http);
        return view(licences.restore(identifier, Actors.of(http)));
    }

    @PostMapping("/api/v1/licences/{identifier}/revocation")
    public Map<String, Object> revoke(@PathVariable String identifier, @RequestBody(required = false) JsonNode body,
                                      HttpServletRequest http) {
        office.licence(identifier, "revoke the licence", http);
        return view(licences.revoke(identifier, reason(body), Actors.of(http)));
    }

    @PostMapping("/api/v1/licences/{identifier}/cancellation")
    public Map<String, Object> cancel(@PathVariable String identifier, @RequestBody(required = false) JsonNode body,
                                      HttpServletRequest http) {
        office.licence(identifier, "cancel the licence", http);
        return view(licences.cancel(identifier, reason(body), Actors.of(http)));
    }

    /** JSON: validUntil (the new end). A new version replaces this one. */
    @PostMapping("/api/v1/licences/{identifier}/renewal")
    public ResponseEntity<Map<String, Object>> renew(@PathVariable String identifier, @RequestBody JsonNode body,
                                                     HttpServletRequest http) {
        office.licence(identifier, "renew the licence", http);
        Licence next = licences.replace(identifier, null, null, date(body, "validUntil"), Actors.of(http), "licence.renew");
        return ResponseEntity.created(URI.create("/api/v1/licences/" + next.identifier())).body(view(next));
    }

    /** JSON: fields (all of them, as amended) and/or holderName. A new version replaces this one. */
    @PostMapping("/api/v1/licences/{identifier}/amendment")
    public ResponseEntity<Map<String, Object>> amend(@PathVariable String identifier, @RequestBody JsonNode body,
                                                     HttpServletRequest http) {
        office.licence(identifier, "amend the licence", http);
        Licence next = licences.replace(identifier, body.get("fields"), body.path("holderName").asString(null), null,
                Actors.of(http), "licence.amend");
        return ResponseEntity.created(URI.create("/api/v1/licences/" + next.identifier())).body(view(next));
    }

    /** For auditors only (三权分立): everything the audit log holds about one licence version, oldest first. */
    @GetMapping("/api/v1/licences/{identifier}/audit")
    public List<AuditLog.Entry> audit(@PathVariable String identifier) {
        licences.get(identifier);
        return audit.about(Licences.subject(identifier));
    }

    /**
     * The licence as its issuer or an officer reads it. Its status is the live one (as verifiers are told, {@link
     * Licences#liveStatus}): a licence past its last day is EXPIRED before the hourly expiry marks it, one issued ahead
     * of its start NOT_YET_VALID; a clerk deciding from this answer must not read VALID there.
     */
    private Map<String, Object> view(Licence l) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("identifier", l.identifier());
        view.put("type", l.typeCode());
        view.put("version", l.version());
        view.put("status", licences.liveStatus(l));
        view.put("statusReason", l.statusReason());
        view.put("holder", Map.of("kind", l.holder().kind().name(), "name", l.holder().name(), "number", l.holder().masked()));
        view.put("fields", JSON.readTree(l.fields()));
        view.put("physicalNumber", l.physicalNumber());
        view.put("validFrom", l.validFrom());
        view.put("validUntil", l.validUntil());
        view.put("issuer", Map.of("name", l.issuerName(), "code", l.issuerCode()));
        view.put("issuedAt", l.issuedAt());
        view.put("statusIndex", l.statusIndex());
        view.put("qr", l.qrText());
        view.put("files", l.files().stream().sorted().map(Enum::name).toList());
        if (l.has(LicenceType.Format.PDF)) {
            view.put("pdf", "/api/v1/licences/" + l.identifier() + "/pdf");
        }
        if (l.has(LicenceType.Format.OFD)) {
            view.put("ofd", "/api/v1/licences/" + l.identifier() + "/ofd");
        }
        return view;
    }

    private static String reason(JsonNode body) {
        return body == null ? null : body.path("reason").asString(null);
    }

    private static LocalDate date(JsonNode body, String field) {
        if (body == null || !body.hasNonNull(field)) {
            return null;
        }
        try {
            return LocalDate.parse(body.get(field).asString());
        } catch (DateTimeParseException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, field + " is an ISO date (yyyy-mm-dd).");
        }
    }

}
