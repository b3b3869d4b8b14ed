package cn.yinxin.seal.administration;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.seal.registry.Seal;
import cn.yinxin.seal.registry.SealController.SealView;
import cn.yinxin.seal.registry.SealKind;
import cn.yinxin.seal.registry.SealStore;
import cn.yinxin.seal.registry.SealUser;
import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.security.OfficeScope;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import static cn.yinxin.seal.registry.SealController.view;

/**
 * The seal administrators' routes: create a seal, change its details and users, suspend, resume, revoke and renew
 * it. Each acts only on the administrator's own agency's seals ({@link OfficeScope}); the work itself is
 * {@link SealAdministration}'s. Answers are the same seal views the registry's read routes give
 * ({@link cn.yinxin.seal.registry.SealController}).
 */
@RestController
public class SealAdministrationController {

    public record StatusRequest(String reason) {
    }

    /** A renewal: how many days the new certificate is valid (null: the CA's limit for seals). */
    public record RenewalRequest(Integer validityDays) {
    }

    private final SealAdministration administration;
    private final SealStore store;
    private final OfficeScope scope;
    private final Clock clock;

    public SealAdministrationController(SealAdministration administration, SealStore store, OfficeScope scope,
                                        Clock clock) {
        this.clock = clock;
        this.administration = administration;
        this.store = store;
        this.scope = scope;
    }

    /**
     * A seal administrator acts only on its own agency's seals (403 outside-office, audited); checked before anything
     * else, so the answer says nothing about the seal's state. An unknown seal is left to the action (404).
     */
    private void inScope(String id, String what, HttpServletRequest http) {
        store.find(id).ifPresent(seal -> scope.require(seal.agencyCode(), Seal.auditSubject(id), what,
                Actors.of(http)));
    }

    /** Multipart: the image (PNG with transparency or SVG) and the seal's fields. */
    @PostMapping(path = "/api/v1/seals", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<SealView> create(@RequestParam(name = "image", required = false) MultipartFile image,
                                           @RequestParam(name = "id", required = false) String id,
                                           @RequestParam(name = "name", required = false) String name,
                                           @RequestParam(name = "agency", required = false) String agency,
                                           @RequestParam(name = "agencyCode", required = false) String agencyCode,
                                           @RequestParam(name = "kind", required = false) String kind,
                                           @RequestParam(name = "widthMm", required = false) Double widthMm,
                                           @RequestParam(name = "heightMm", required = false) Double heightMm,
                                           @RequestParam(name = "defaultLevel", required = false) String defaultLevel,
                                           @RequestParam(name = "users", required = false) String users,
                                           @RequestParam(name = "keyAlgorithm", required = false) String keyAlgorithm,
                                           @RequestParam(name = "validityDays", required = false) Integer validityDays,
                                           HttpServletRequest http) throws IOException, GeneralSecurityException {
        if (agencyCode != null) {
            // before the image and fields are judged: another agency's administrator learns nothing from the answer
            scope.require(agencyCode.strip(), Seal.auditSubject(String.valueOf(id)), "create a seal", Actors.of(http));
        }
        if (image == null || image.isEmpty()) {
            throw new RejectedException(Problem.INVALID_SEAL_IMAGE, "Send the seal image as the multipart part 'image'.");
        }
        if (widthMm == null || heightMm == null) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Give the printed size: widthMm and heightMm.");
        }
        var request = new SealAdministration.NewSeal(id, name, agency, agencyCode, kind(kind), widthMm, heightMm,
                defaultLevel == null || defaultLevel.isBlank() ? null : SignatureLevel.parse(defaultLevel),
                users == null ? List.of() : SealUsers.parse(users), keyAlgorithm, validityDays);
        Seal created = administration.create(request, image.getBytes(), Actors.of(http));
        return ResponseEntity.created(URI.create("/api/v1/seals/" + created.id())).body(view(created, clock.instant()));
    }

    /** JSON with any of: name, defaultLevel, users (the whole list, replacing the old one). */
    @PatchMapping(path = "/api/v1/seals/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public SealView change(@PathVariable String id, @RequestBody JsonNode body, HttpServletRequest http) {
        inScope(id, "change the seal or its users", http);
        String name = body.hasNonNull("name") ? body.get("name").asString() : null;
        SignatureLevel level = body.hasNonNull("defaultLevel") ? SignatureLevel.parse(body.get("defaultLevel").asString()) : null;
        List<SealUser> users = body.has("users") ? SealUsers.parse(body.get("users")) : null;
        return view(administration.change(id, new SealAdministration.Change(name, level, users), Actors.of(http)), clock.instant());
    }

    @PostMapping("/api/v1/seals/{id}/suspension")
    public SealView suspend(@PathVariable String id, @RequestBody(required = false) StatusRequest request,
                            HttpServletRequest http) {
        inScope(id, "suspend the seal", http);
        return view(administration.suspend(id, request == null ? null : request.reason(), Actors.of(http)), clock.instant());
    }

    @DeleteMapping("/api/v1/seals/{id}/suspension")
    public SealView resume(@PathVariable String id, HttpServletRequest http) {
        inScope(id, "resume the seal", http);
        return view(administration.resume(id, Actors.of(http)), clock.instant());
    }

    /** Final: the seal stops stamping and its certificate is revoked (reason: an RFC 5280 reason name). */
    @PostMapping("/api/v1/seals/{id}/revocation")
    public SealView revoke(@PathVariable String id, @RequestBody(required = false) StatusRequest request,
                           HttpServletRequest http) {
        inScope(id, "revoke the seal", http);
        return view(administration.revoke(id, request == null ? null : request.reason(), Actors.of(http)), clock.instant());
    }

    /**
     * A new key and certificate for an active or expired seal; the old key is destroyed, the old certificate is kept
     * and listed under {@code /certificates}, so what it signed stays verifiable.
     */
    @PostMapping("/api/v1/seals/{id}/renewal")
    public SealView renew(@PathVariable String id, @RequestBody(required = false) RenewalRequest request,
                          HttpServletRequest http) throws GeneralSecurityException {
        inScope(id, "renew the seal", http);
        return view(administration.renew(id, request == null ? null : request.validityDays(), Actors.of(http)), clock.instant());
    }

    private static SealKind kind(String kind) {
        if (kind == null || kind.isBlank()) {
            return null;
        }
        try {
            return SealKind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Unknown kind '" + kind + "'; use one of "
                    + List.of(SealKind.values()) + ".");
        }
    }
}
