package cn.yinxin.seal.administration;

import cn.yinxin.seal.SealsProperties;
import cn.yinxin.seal.keys.CaClient;
import cn.yinxin.seal.keys.CertifiedKeys;
import cn.yinxin.seal.keys.NationalSeals;
import cn.yinxin.seal.keys.SealKeys;
import cn.yinxin.seal.registry.Seal;
import cn.yinxin.seal.registry.SealKind;
import cn.yinxin.seal.registry.SealStatus;
import cn.yinxin.seal.registry.SealStore;
import cn.yinxin.seal.registry.SealUser;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.Uscc;
import cn.yinxin.core.text.PrintedText;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.revocation.Revocation;
import cn.yinxin.service.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Creates seals and moves them through their lifecycle. Every change and its audit entry are written in one
 * transaction; a change that needs the ca-service (revoking, suspending, resuming) calls it inside that
 * transaction, so a refusal by the CA leaves the seal as it was.
 */
@Service
public class SealAdministration {

    /** What an administrator sends to create a seal (the image comes separately). */
    public record NewSeal(String id, String name, String agency, String agencyCode, SealKind kind, double widthMm,
                          double heightMm, SignatureLevel defaultLevel, List<SealUser> users, String keyAlgorithm,
                          Integer validityDays) {
    }

    /** A change of the seal's details; null fields stay as they are. */
    public record Change(String name, SignatureLevel defaultLevel, List<SealUser> users) {
    }

    private static final Logger log = LoggerFactory.getLogger(SealAdministration.class);

    private final SealStore store;
    private final SealKeys keys;
    private final CertifiedKeys certifiedKeys;
    private final CaClient ca;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final SealImageLimits imageLimits;
    private final SealsProperties properties;
    private final SignatureLevel serviceDefaultLevel;
    private final Clock clock;

    public SealAdministration(SealStore store, SealKeys keys, CertifiedKeys certifiedKeys, CaClient ca, AuditLog audit,
                              TransactionTemplate transaction, SealImageLimits imageLimits, SealsProperties properties,
                              @Value("${yinxin.stamp.default-level:B_B}")
                              SignatureLevel serviceDefaultLevel, Clock clock) {
        this.clock = clock;
        this.serviceDefaultLevel = serviceDefaultLevel;
        this.store = store;
        this.keys = keys;
        this.certifiedKeys = certifiedKeys;
        this.ca = ca;
        this.audit = audit;
        this.transaction = transaction;
        this.imageLimits = imageLimits;
        this.properties = properties;
    }

    /**
     * Checks everything that can be checked first (fields, image, id free), then makes the key in the key store
     * with a certificate from the ca-service, then stores the seal with its audit entry. If storing fails after
     * the CA has certified the key, the certificate is revoked again (cessationOfOperation), so no usable orphan
     * remains.
     */
    public Seal create(NewSeal request, byte[] image, String actor) throws GeneralSecurityException {
        validate(request);
        SealImages.Checked checked = SealImages.check(image, request.widthMm(), request.heightMm(), imageLimits);
        if (store.exists(request.id())) {
            throw new RejectedException(Problem.SEAL_EXISTS, "There is a seal with id '" + request.id() + "' already.");
        }
        KeyAlgorithm algorithm = algorithm(request.keyAlgorithm());
        CertifiedKeys.Made made = certifiedKeys.make(request.id(), algorithm, request.name(), request.agency(),
                request.agencyCode(), request.validityDays());
        String alias = made.alias();
        CaClient.Issued issued = made.issued();
        X509Certificate certificate = made.certificate();
        Instant now = clock.instant();
        Seal seal = new Seal(request.id(), request.name().strip(), request.agency().strip(), request.agencyCode(),
                request.kind(), checked.type(), checked.stampPng(), request.widthMm(), request.heightMm(), alias, null,
                issued.issuer(), issued.serial(), Seal.subjectOf(certificate),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), SealStatus.ACTIVE, null,
                now, request.defaultLevel() == null ? serviceDefaultLevel : request.defaultLevel(),
                request.users() == null ? List.of() : request.users(), actor, now);
        try {
            // national mode: an SM2 seal also gets its GB/T 38540 seal from the CA's seal maker, with the stamped image
            byte[] seseal = algorithm == KeyAlgorithm.SM2 ? ca.makeSeSeal(NationalSeals.sealInfo(seal, certificate)) : null;
            transaction.executeWithoutResult(status -> {
                store.insert(new SealStore.NewSeal(seal, checked.original(), encoded(certificate), issued.chainPem(),
                        seseal));
                audit.record(actor, "seal.create", Seal.auditSubject(seal.id()), String.format(Locale.ROOT,
                        "kind=%s agency=%s (%s) image=%s %.1fx%.1fmm key=%s %s certificate=%s/%s users=%s",
                        seal.kind(), seal.agency(), seal.agencyCode(), seal.imageType(), seal.widthMm(),
                        seal.heightMm(), algorithm, alias, seal.caIssuer(), seal.caSerial(), describe(seal.users()))
                        + (seseal == null ? "" : " seseal=GB/T 38540 v4 (" + seseal.length + " bytes)"));
            });
        } catch (RuntimeException e) {
            revokeAgain(seal.id(), issued, "was not stored");
            if (e instanceof DuplicateKeyException) {
                throw new RejectedException(Problem.SEAL_EXISTS, "There is a seal with id '" + request.id() + "' already.");
            }
            throw e;
        }
        return store.find(seal.id()).orElseThrow();
    }

    public Seal change(String id, Change change, String actor) {
        return transaction.execute(status -> {
            Seal seal = locked(id);
            if (seal.status().isFinal()) {
                throw new RejectedException(Problem.SEAL_STATUS_CONFLICT, "Seal '" + id + "' is " + seal.status()
                        + "; it cannot be changed any more.");
            }
            String name = change.name() == null ? seal.name() : change.name().strip();
            if (name.isEmpty() || name.length() > 100 || !PrintedText.printable(name)) {
                throw new RejectedException(Problem.INVALID_REQUEST, "A seal's name has 1 to 100 printed characters "
                        + "(no control, bidi, zero-width or line-breaking characters).");
            }
            SignatureLevel level = change.defaultLevel() == null ? seal.defaultLevel() : change.defaultLevel();
            store.updateDetails(id, name, level);
            StringBuilder details = new StringBuilder();
            if (!name.equals(seal.name())) {
                details.append("name: ").append(seal.name()).append(" -> ").append(name).append("; ");
            }
            if (level != seal.defaultLevel()) {
                details.append("defaultLevel: ").append(seal.defaultLevel()).append(" -> ").append(level).append("; ");
            }
            if (change.users() != null) {
                store.replaceUsers(id, change.users());
                details.append("users: ").append(describe(seal.users())).append(" -> ").append(describe(change.users()));
            }
            audit.record(actor, "seal.update", Seal.auditSubject(id), details.toString().strip());
            return store.find(id).orElseThrow();
        });
    }

    /** Suspends an active seal: stamping stops and the certificate goes on hold until the seal is resumed. */
    public Seal suspend(String id, String reason, String actor) {
        return transition(id, SealStatus.ACTIVE, SealStatus.SUSPENDED, reason, actor, "seal.suspend",
                seal -> ca.hold(seal.caIssuer(), seal.caSerial()));
    }

    public Seal resume(String id, String actor) {
        return transition(id, SealStatus.SUSPENDED, SealStatus.ACTIVE, null, actor, "seal.resume",
                seal -> ca.release(seal.caIssuer(), seal.caSerial()));
    }

    /** Revokes a seal for good, and its certificate with it (RFC 5280 reason; default cessationOfOperation). */
    public Seal revoke(String id, String reason, String actor) {
        String why = reason == null || reason.isBlank() ? "cessationOfOperation" : reason.strip();
        int code = Revocation.reasonCode(why);
        if (code < 0 || code == Revocation.CERTIFICATE_HOLD) {
            // certificateHold made a final REVOKED here and a hold at the CA, which can be lifted
            throw new RejectedException(Problem.INVALID_REQUEST, "A seal's revocation is final: give a final RFC 5280 "
                    + "reason (keyCompromise, cessationOfOperation, superseded ...), not '" + why + "'; suspend to hold it.");
        }
        return transaction.execute(status -> {
            Seal seal = locked(id);
            if (seal.status() == SealStatus.REVOKED) {
                throw new RejectedException(Problem.SEAL_STATUS_CONFLICT, "Seal '" + id + "' is revoked already.");
            }
            store.changeStatus(id, seal.status(), SealStatus.REVOKED, why, clock.instant());
            audit.record(actor, "seal.revoke", Seal.auditSubject(id), "reason=" + why + " certificate=" + seal.caIssuer() + "/"
                    + seal.caSerial() + " was " + seal.status());
            if (seal.status() != SealStatus.EXPIRED) {
                if (seal.status() == SealStatus.SUSPENDED) {
                    // a certificate on hold is revoked for good by lifting the hold first
                    ca.release(seal.caIssuer(), seal.caSerial());
                }
                ca.revoke(seal.caIssuer(), seal.caSerial(), why);
            }
            return store.find(id).orElseThrow();
        });
    }

    /**
     * Renews a seal that is active or has expired: a new key made in the key store, a new certificate for it from the
     * ca-service (same subject; {@code validityDays} or the CA's default), and for an SM2 seal a new GB/T 38540 seal.
     * The seal keeps its id, look, users and history, and is active afterwards. The old certificate is kept and
     * published with the new one, so what it signed stays verifiable; it is not revoked, because that would make
     * every earlier stamp without a time-stamp (B-B) impossible to place before the revocation. Instead the old key
     * is destroyed once the renewal is stored, so nothing can be signed with that certificate any more.
     *
     * <p>As in {@link #create}, if storing fails after the CA has certified the new key, the new certificate is
     * revoked and the new key destroyed: the seal stays exactly as it was.
     */
    public Seal renew(String id, Integer validityDays, String actor) throws GeneralSecurityException {
        Seal seal = store.find(id).orElseThrow(() -> unknown(id));
        refuseRenewal(seal);
        X509Certificate old = currentCertificate(seal);
        KeyAlgorithm algorithm = KeyAlgorithm.of(old.getPublicKey());
        CertifiedKeys.Made made = certifiedKeys.make(id, algorithm, seal.name(), seal.agency(), seal.agencyCode(),
                validityDays);
        String alias = made.alias();
        CaClient.Issued issued = made.issued();
        X509Certificate certificate = made.certificate();
        try {
            byte[] seseal = algorithm == KeyAlgorithm.SM2 ? ca.makeSeSeal(NationalSeals.sealInfo(seal, certificate)) : null;
            transaction.executeWithoutResult(status -> {
                Seal current = locked(id);
                refuseRenewal(current);
                Instant now = clock.instant();
                var renewal = new SealStore.Renewal(alias, encoded(certificate), issued.chainPem(), issued.issuer(),
                        issued.serial(), certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
                        seseal, now);
                if (!store.renew(id, seal.caSerial(), renewal)) {
                    throw new RejectedException(Problem.SEAL_STATUS_CONFLICT, "Seal '" + id
                            + "' was renewed by someone else meanwhile; nothing was changed.");
                }
                audit.record(actor, "seal.renew", Seal.auditSubject(id), "certificate " + seal.caIssuer() + "/" + seal.caSerial()
                        + " -> " + issued.issuer() + "/" + issued.serial() + " valid until "
                        + certificate.getNotAfter().toInstant() + "; key " + where(seal) + " -> key store alias " + alias
                        + " (" + algorithm + ")" + (current.statusAt(now) == SealStatus.ACTIVE ? "" : "; was "
                        + current.statusAt(now)) + (seseal == null ? "" : "; new GB/T 38540 seal"));
            });
        } catch (RuntimeException e) {
            undo(id, issued, alias);
            throw e;
        }
        if (seal.keyAlias() != null) {
            destroyOldKey(id, seal.keyAlias(), actor);
        }
        return store.find(id).orElseThrow();
    }

    private static void refuseRenewal(Seal seal) {
        if (seal.status() == SealStatus.SUSPENDED || seal.status() == SealStatus.REVOKED) {
            throw new RejectedException(Problem.SEAL_STATUS_CONFLICT, "Seal '" + seal.id() + "' is " + seal.status()
                    + "; only an active or expired seal can be renewed.");
        }
    }

    private X509Certificate currentCertificate(Seal seal) throws GeneralSecurityException {
        var chain = Pem.readCertificates(store.chainPem(seal.id()).orElseThrow()
                .getBytes(StandardCharsets.US_ASCII));
        return chain.get(0);
    }

    private static String where(Seal seal) {
        return seal.keyAlias() != null ? "key store alias " + seal.keyAlias() : "imported file " + seal.keyFile();
    }

    /** Revokes a certificate the CA issued for a change that was not stored, so no usable orphan remains. */
    private void revokeAgain(String id, CaClient.Issued issued, String what) {
        try {
            ca.revoke(issued.issuer(), issued.serial(), "cessationOfOperation");
        } catch (RuntimeException again) {
            log.error("Seal {} {} and its new certificate {}/{} could not be revoked: {}", id, what, issued.issuer(),
                    issued.serial(), again.getMessage());
        }
    }

    /** Takes back what a renewal that was not stored made: the new certificate (revoked) and the new key. */
    private void undo(String id, CaClient.Issued issued, String alias) {
        revokeAgain(id, issued, "was not renewed");
        try {
            keys.destroy(alias);
        } catch (GeneralSecurityException | RuntimeException again) {
            log.error("Seal {} was not renewed and the new key {} could not be destroyed: {}", id, alias,
                    again.getMessage());
        }
    }

    /**
     * Destroys a renewed seal's old key, after the renewal is stored (never before: a renewal that fails keeps the
     * seal usable). A key that cannot be destroyed is no longer used by anything, but is reported loudly.
     */
    private void destroyOldKey(String id, String alias, String actor) {
        try {
            keys.destroy(alias);
            transaction.executeWithoutResult(status -> audit.record(actor, "seal.key-destroyed", Seal.auditSubject(id),
                    "key store alias " + alias + " (replaced at renewal)"));
        } catch (GeneralSecurityException | RuntimeException e) {
            log.error("Seal {} was renewed but its old key {} could not be destroyed: {}", id, alias, e.getMessage());
            transaction.executeWithoutResult(status -> audit.record(actor, "seal.key-destroy-failed", Seal.auditSubject(id),
                    "key store alias " + alias + ": " + e.getMessage()));
        }
    }

    /** Marks active seals past their validity as expired; returns their ids. */
    public List<String> expire() {
        Instant now = clock.instant();
        return store.activePast(now).stream().filter(id -> Boolean.TRUE.equals(transaction.execute(status -> {
            Seal seal = locked(id);
            if (seal.status() != SealStatus.ACTIVE || now.isBefore(seal.validUntil())) {
                return false;
            }
            store.changeStatus(id, SealStatus.ACTIVE, SealStatus.EXPIRED, "validity ended " + seal.validUntil(), now);
            audit.record("system", "seal.expire", Seal.auditSubject(id), "valid until " + seal.validUntil());
            return true;
        }))).toList();
    }

    private Seal transition(String id, SealStatus from, SealStatus to, String reason, String actor, String action,
                            Consumer<Seal> atCa) {
        return transaction.execute(status -> {
            Seal seal = locked(id);
            if (seal.statusAt(clock.instant()) != from) {
                throw new RejectedException(Problem.SEAL_STATUS_CONFLICT, "Seal '" + id + "' is "
                        + seal.statusAt(clock.instant()) + "; only a seal that is " + from + " can be "
                        + (to == SealStatus.ACTIVE ? "resumed" : to.name().toLowerCase(Locale.ROOT)) + ".");
            }
            store.changeStatus(id, from, to, reason, clock.instant());
            audit.record(actor, action, Seal.auditSubject(id), reason == null ? "" : "reason=" + reason);
            atCa.accept(seal);
            return store.find(id).orElseThrow();
        });
    }

    private Seal locked(String id) {
        return store.findForUpdate(id).orElseThrow(() -> unknown(id));
    }

    private static RejectedException unknown(String id) {
        return new RejectedException(Problem.UNKNOWN_SEAL, "There is no seal with id '" + id + "'.");
    }

    private static void validate(NewSeal r) {
        if (r.id() == null || !r.id().matches("[a-z0-9][a-z0-9-]{1,62}")) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A seal id has 2 to 63 lowercase letters, digits and "
                    + "hyphens, starting with a letter or digit; got '" + r.id() + "'.");
        }
        for (String[] field : new String[][]{{"name", r.name()}, {"agency", r.agency()}}) {
            if (field[1] == null || field[1].isBlank() || field[1].length() > 100 || !PrintedText.printable(field[1])) {
                throw new RejectedException(Problem.INVALID_REQUEST, "The seal's " + field[0] + " has 1 to 100 printed "
                        + "characters (no control, bidi, zero-width or line-breaking characters).");
            }
        }
        if (r.agencyCode() == null || !Uscc.isValid(r.agencyCode())) {
            throw new RejectedException(Problem.INVALID_SUBJECT, "'" + r.agencyCode()
                    + "' is not a valid Unified Social Credit Code (GB 32100-2015, 18 characters with check character).");
        }
        if (r.kind() == null) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Say which kind of seal this is: " + List.of(SealKind.values()) + ".");
        }
    }

    private KeyAlgorithm algorithm(String requested) {
        String name = requested != null ? requested : properties.keyAlgorithm() != null ? properties.keyAlgorithm() : "EC_P256";
        try {
            return KeyAlgorithm.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RejectedException(Problem.UNSUPPORTED_ALGORITHM, "Seal keys are " + Set.of(KeyAlgorithm.values())
                    + "; '" + name + "' is not one of them.");
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String describe(List<SealUser> users) {
        return users.stream().map(u -> u.client() + u.levels().stream().map(Enum::name).sorted().toList()
                + (u.certify() ? "+certify" : "") + (u.crossPage() ? "+crossPage" : "")).toList().toString();
    }

}
