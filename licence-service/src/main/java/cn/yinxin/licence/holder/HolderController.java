package cn.yinxin.licence.holder;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.licence.licences.Licence;
import cn.yinxin.licence.licences.Licences;
import cn.yinxin.licence.licences.LicencesController;
import cn.yinxin.licence.types.LicenceType;
import cn.yinxin.licence.uses.Purpose;
import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.security.Caller;
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

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The holder's own pages (a citizen or a company, signed in; through {@link SignedIn}): my
 * licences and their PDF, 亮证 presentation codes, consents to share (用证) and the log of every use; and the
 * checks others make: presentation verification and an office's use under a consent.
 */
@RestController
public class HolderController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SignedIn login;
    private final Licences licences;
    private final Presentations presentations;
    private final Sharing sharing;

    public HolderController(SignedIn login, Licences licences, Presentations presentations, Sharing sharing) {
        this.login = login;
        this.licences = licences;
        this.presentations = presentations;
        this.sharing = sharing;
    }

    @GetMapping({"/holder", "/holder/"})
    public ResponseEntity<Void> page() {
        return ResponseEntity.status(302).location(URI.create("/holder/index.html")).build();
    }

    @GetMapping("/api/v1/holder/licences")
    public List<Map<String, Object>> mine(HttpServletRequest http) {
        List<Map<String, Object>> mine = new ArrayList<>();
        for (Licence l : licences.ofHolder(login.holder())) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("identifier", l.identifier());
            view.put("type", l.typeCode());
            view.put("version", l.version());
            view.put("status", licences.liveStatus(l)); // as verifiers are told: EXPIRED, NOT_YET_VALID by its dates
            view.put("holder", Map.of("kind", l.holder().kind().name(), "name", l.holder().name(), "number", l.holder().number()));
            view.put("fields", JSON.readTree(l.fields()));
            view.put("physicalNumber", l.physicalNumber());
            view.put("validFrom", l.validFrom());
            view.put("validUntil", l.validUntil());
            view.put("issuer", Map.of("name", l.issuerName(), "code", l.issuerCode()));
            view.put("files", l.files().stream().sorted().map(Enum::name).toList());
            if (l.has(LicenceType.Format.PDF)) {
                view.put("pdf", "/api/v1/holder/licences/" + l.identifier() + "/pdf");
            }
            if (l.has(LicenceType.Format.OFD)) {
                view.put("ofd", "/api/v1/holder/licences/" + l.identifier() + "/ofd");
            }
            mine.add(view);
        }
        return mine;
    }

    @GetMapping("/api/v1/holder/licences/{identifier}/pdf")
    public ResponseEntity<byte[]> pdf(@PathVariable String identifier, HttpServletRequest http) {
        Licence licence = own(identifier, http);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                .header("Content-Disposition", "attachment; filename=\"licence.pdf\"")
                .body(licences.pdf(licence.identifier()));
    }

    /** The holder's own licence as the national-standard OFD file (404 when its type issues PDF only). */
    @GetMapping("/api/v1/holder/licences/{identifier}/ofd")
    public ResponseEntity<byte[]> ofd(@PathVariable String identifier, HttpServletRequest http) {
        Licence licence = own(identifier, http);
        return LicencesController.ofdFile(licence.identifier(),
                licences.ofd(licence.identifier()));
    }

    /** JSON: fields (names to disclose; the holder's name and masked number always are), seconds (1 to 300). */
    @PostMapping("/api/v1/holder/licences/{identifier}/presentations")
    public ResponseEntity<Presentations.Presentation> present(@PathVariable String identifier,
                                                              @RequestBody(required = false) JsonNode body,
                                                              HttpServletRequest http) {
        Licence licence = own(identifier, http);
        Integer seconds = body != null && body.hasNonNull("seconds") ? body.get("seconds").asInt() : null;
        var presentation = presentations.present(licence, strings(body, "fields"), seconds);
        return ResponseEntity.status(201).header("Cache-Control", "no-store").body(presentation);
    }

    /** For verifiers (the verifier service may delegate here): JSON {"text": "YXP1:..."}. Always 200 with a verdict. */
    @PostMapping("/api/v1/presentations/verify")
    public Presentations.Check verify(@RequestBody JsonNode body) {
        return presentations.verify(body.path("text").asString(null));
    }

    /** JSON: office, officeCode (USCC), purpose, fields, days (1 to 365, default 30). 201 with the consent id. */
    @PostMapping("/api/v1/holder/licences/{identifier}/consents")
    public ResponseEntity<Sharing.Consent> consent(@PathVariable String identifier, @RequestBody JsonNode body,
                                                   HttpServletRequest http) {
        Licence licence = own(identifier, http);
        var consent = sharing.grant(licence, body.path("office").asString(null), body.path("officeCode").asString(null),
                body.path("purpose").asString(null), strings(body, "fields"),
                body.hasNonNull("days") ? body.get("days").asInt() : null);
        return ResponseEntity.created(URI.create("/api/v1/holder/consents/" + consent.id())).body(consent);
    }

    @GetMapping("/api/v1/holder/consents")
    public List<Sharing.Consent> consents(HttpServletRequest http) {
        return sharing.consents(login.holder());
    }

    @DeleteMapping("/api/v1/holder/consents/{id}")
    public Sharing.Consent revoke(@PathVariable UUID id, HttpServletRequest http) {
        return sharing.revoke(id, login.holder());
    }

    @GetMapping("/api/v1/holder/uses")
    public List<Map<String, Object>> uses(HttpServletRequest http) {
        return sharing.uses(login.holder());
    }

    /**
     * An office (development login: X-Dev-Office) uses a consent. JSON: consent (id), purpose (as consented),
     * caseNumber (the office's case or approval item), copy (true: the 加注件, else the consented data as JSON),
     * copyFormat (PDF, the default, or OFD: the copy as a GB/T 33190 OFD sealed with the type's GB/T 38540 seal).
     */
    @PostMapping("/api/v1/uses")
    public ResponseEntity<?> use(@RequestBody JsonNode body, HttpServletRequest http) {
        String office = login.office();
        UUID consent;
        try {
            consent = body.hasNonNull("consent") ? UUID.fromString(body.get("consent").asString()) : null;
        } catch (IllegalArgumentException e) {
            throw new RejectedException(Problem.CONSENT_REFUSED, "consent is not a consent id.");
        }
        Purpose purpose = Purpose.of(body);
        boolean copy = body.path("copy").asBoolean(false);
        String copyFormat = body.path("copyFormat").asString("PDF");
        if (!copyFormat.equals("PDF") && !copyFormat.equals("OFD")) {
            throw new RejectedException(Problem.INVALID_REQUEST, "copyFormat is PDF (the default) or OFD.");
        }
        var format = copy ? LicenceType.Format.valueOf(copyFormat) : null;
        Caller caller = Caller.current();
        var use = sharing.use(consent, office, purpose, format, "office:" + office + " " + Actors.of(http),
                caller.auditName(), caller.name());
        if (format == LicenceType.Format.OFD) {
            return ResponseEntity.ok().contentType(LicencesController.OFD)
                    .header("Content-Disposition", "attachment; filename=\"licence-copy.ofd\"")
                    .header("Copy-Expires", use.copyExpiresAt().toString()).body(use.copy());
        }
        if (copy) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                    .header("Content-Disposition", "attachment; filename=\"licence-copy.pdf\"")
                    .header("Copy-Expires", use.copyExpiresAt().toString()).body(use.copy());
        }
        return ResponseEntity.ok(use.data());
    }

    private Licence own(String identifier, HttpServletRequest http) {
        String holder = login.holder();
        Licence licence = licences.get(identifier);
        if (!licence.holder().number().equals(holder)) {
            throw new RejectedException(Problem.UNKNOWN_LICENCE, "You hold no licence " + identifier + ".");
        }
        return licence;
    }

    private static List<String> strings(JsonNode body, String name) {
        List<String> values = new ArrayList<>();
        if (body != null && body.get(name) != null && body.get(name).isArray()) {
            body.get(name).forEach(v -> values.add(v.asString()));
        }
        return values;
    }
}
