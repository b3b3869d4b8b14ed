package cn.yinxin.seal.registry;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.audit.AuditLog;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.OfficeScope;
import cn.yinxin.service.security.Roles;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The seal registry's read routes: the list of seals and one seal (public: verifiers list the seals they can meet;
 * which clients may use a seal only its agency's administrators see), a seal's certificates, image, status and GB/T
 * 38540 seal, and its audit trail (auditors). The administrators' routes are
 * {@link cn.yinxin.seal.administration.SealAdministrationController}'s; both answer with {@link #view}.
 */
@RestController
public class SealController {

    public record UserView(String client, List<String> levels, boolean certify, boolean crossPage) {
    }

    public record CertificateView(String issuer, String serial, String subject, Instant validFrom, Instant validUntil) {
    }

    public record SealView(String id, String name, String agency, String agencyCode, String kind, String kindName,
                           String imageType, double widthMm, double heightMm, String status, String statusReason,
                           Instant statusChangedAt, String defaultLevel, List<UserView> users,
                           CertificateView certificate, String keyStore, String createdBy, Instant createdAt) {
    }

    /**
     * One of a seal's certificates with its PEM chain (signer first): the current one ({@code current} true) or one
     * it had before a renewal, with when it was replaced.
     */
    public record CertificateEntryView(String issuer, String serial, Instant validFrom, Instant validUntil,
                                       boolean current, Instant replacedAt, String chain) {
    }

    private final SealRegistry registry;
    private final SealStore store;
    private final AuditLog audit;
    private final OfficeScope scope;
    private final Clock clock;

    public SealController(SealRegistry registry, SealStore store, AuditLog audit, OfficeScope scope,
                          Clock clock) {
        this.registry = registry;
        this.store = store;
        this.audit = audit;
        this.scope = scope;
        this.clock = clock;
    }

    /**
     * Public (verifiers list the seals they can meet); which clients may use a seal only a seal admin sees. With
     * {@code expiringWithinDays}: only the active seals whose certificate ends within that many days (to renew).
     */
    @GetMapping("/api/v1/seals")
    public List<SealView> seals(@RequestParam(name = "expiringWithinDays", required = false) String expiringWithinDays) {
        var seals = registry.all().stream();
        if (expiringWithinDays != null) {
            Instant now = clock.instant();
            Instant until = now.plus(Duration.ofDays(days(expiringWithinDays)));
            seals = seals.filter(s -> s.statusAt(now) == SealStatus.ACTIVE && s.validUntil().isBefore(until));
        }
        return seals.map(s -> view(s, clock.instant())).map(SealController::forCaller).toList();
    }

    private static long days(String text) {
        try {
            long days = Long.parseLong(text.strip());
            if (days >= 0 && days <= 36500) {
                return days;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new RejectedException(Problem.INVALID_REQUEST, "expiringWithinDays is a whole number of days, 0 to 36500; got '"
                + text + "'.");
    }

    @GetMapping("/api/v1/seals/{id}")
    public SealView seal(@PathVariable String id) {
        return forCaller(view(registry.get(id), clock.instant()));
    }

    private static SealView forCaller(SealView view) {
        Caller caller = Caller.current();
        // another agency's administrator sees what an approval system sees
        if (caller.has(Roles.SEAL_ADMIN) && OfficeScope.covers(caller, view.agencyCode())) {
            return view;
        }
        // an approval system or service sees its own entry only
        List<UserView> own = view.users().stream().filter(u -> u.client().equals(caller.client())).toList();
        return new SealView(view.id(), view.name(), view.agency(), view.agencyCode(), view.kind(), view.kindName(),
                view.imageType(), view.widthMm(), view.heightMm(), view.status(), view.statusReason(),
                view.statusChangedAt(), view.defaultLevel(), own, view.certificate(),
                // where the key is kept, not under which name: the alias is the administrators' business
                view.keyStore().startsWith("key store alias") ? "key store" : view.keyStore(), view.createdBy(),
                view.createdAt());
    }

    /** Every certificate the seal has had, the current one first: verifiers need the old ones for old codes. */
    @GetMapping("/api/v1/seals/{id}/certificates")
    public List<CertificateEntryView> certificates(@PathVariable String id) {
        registry.get(id);
        return store.certificates(id).stream().map(c -> new CertificateEntryView(c.caIssuer(), c.caSerial(),
                c.validFrom(), c.validUntil(), c.replacedAt() == null, c.replacedAt(), c.chainPem())).toList();
    }

    @GetMapping("/api/v1/seals/{id}/image")
    public ResponseEntity<byte[]> image(@PathVariable String id, HttpServletRequest http) {
        Seal seal = registry.get(id);
        if (!seal.listsApprovalSystem(Caller.current())) {
            // the original artwork is the agency's: its administrators' (an approval system the seal lists may fetch
            // it too; any other is refused and audited)
            scope.require(seal.agencyCode(), Seal.auditSubject(id), "read the seal's image", Actors.of(http));
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(seal.imageType()))
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                .body(store.image(id).orElseThrow());
    }

    @GetMapping("/api/v1/seals/{id}/certificate")
    public ResponseEntity<String> certificate(@PathVariable String id) {
        registry.get(id);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/pem-certificate-chain"))
                .body(store.chainPem(id).orElseThrow());
    }

    /** A seal's status as of now, as its issuer publishes it to verifiers (GB/T 38540: a revoked seal is not valid). */
    public record StatusView(String id, String status, Instant statusChangedAt, boolean seseal) {
    }

    @GetMapping("/api/v1/seals/{id}/status")
    public StatusView status(@PathVariable String id) {
        Seal seal = registry.get(id);
        return new StatusView(id, seal.statusAt(clock.instant()).name(), seal.statusChangedAt(),
                store.seseal(id).isPresent());
    }

    /** The seal's GB/T 38540 v4 SESeal (DER), made by the CA's seal maker when the SM2 seal was created. */
    @GetMapping("/api/v1/seals/{id}/seseal")
    public ResponseEntity<byte[]> seseal(@PathVariable String id) {
        registry.get(id);
        byte[] der = store.seseal(id).orElseThrow(() -> new RejectedException(Problem.NOT_FOUND, "Seal '" + id
                + "' has no GB/T 38540 seal: only SM2 seals created by this service have one."));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header("Content-Disposition", "attachment; filename=\"" + id + ".seseal.der\"").body(der);
    }

    /** For auditors only (三权分立): the administrators whose work the trail records do not read it here. */
    @GetMapping("/api/v1/seals/{id}/audit")
    public List<AuditLog.Entry> audit(@PathVariable String id) {
        registry.get(id);
        return audit.about(Seal.auditSubject(id));
    }

    public static SealView view(Seal s, Instant now) {
        return new SealView(s.id(), s.name(), s.agency(), s.agencyCode(), s.kind().name(), s.kind().chinese(),
                s.imageType(), s.widthMm(), s.heightMm(), s.statusAt(now).name(), s.statusReason(),
                s.statusChangedAt(), s.defaultLevel().label(),
                s.users().stream().map(u -> new UserView(u.client(),
                        u.levels().stream().sorted().map(SignatureLevel::label).toList(), u.certify(), u.crossPage())).toList(),
                new CertificateView(s.caIssuer(), s.caSerial(), s.certificateSubject(), s.validFrom(), s.validUntil()),
                s.keyAlias() != null ? "key store alias " + s.keyAlias() : "imported PKCS#12 file",
                s.createdBy(), s.createdAt());
    }
}
