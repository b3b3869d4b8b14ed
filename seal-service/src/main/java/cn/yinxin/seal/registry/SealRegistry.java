package cn.yinxin.seal.registry;

import cn.yinxin.seal.keys.SealKeys;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.service.security.Caller;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seals as stamping sees them: a seal is usable only when it is active and within its validity, and only by
 * a client it lists, at a level and with the options that client was given.
 */
@Component
public class SealRegistry {

    /** A seal ready to stamp with: its record, its key handle and its look. */
    public record Usable(Seal seal, SealKey key, SealAppearance appearance) {
    }

    /**
     * What a request wants to do with a seal, checked against the client's rights; {@code signsCode}: the seal's key
     * also signs a QR code or token (a credential of its own, beyond the stamp).
     */
    public record Use(SignatureLevel level, boolean certify, boolean crossPage, boolean signsCode) {
    }

    private final SealStore store;
    private final SealKeys keys;
    /** One appearance object per seal: the PDF image cache recognises the same image bytes by identity. */
    private final Map<String, SealAppearance> appearances = new ConcurrentHashMap<>();
    private final Clock clock;
    private record NationalSeal(String caSerial, SESeal seal) {
    }

    private final Map<String, NationalSeal> nationalSeals = new ConcurrentHashMap<>();

    public SealRegistry(SealStore store, SealKeys keys, Clock clock) {
        this.clock = clock;
        this.store = store;
        this.keys = keys;
    }

    public List<Seal> all() {
        return store.all();
    }

    public Seal get(String id) {
        return store.find(id).orElseThrow(() -> new RejectedException(Problem.UNKNOWN_SEAL,
                "There is no seal with id '" + id + "'."));
    }

    /**
     * The GB/T 38540 SESeal that goes with the certificate {@code seal} has (the one its key was read with), when it
     * has one. Kept once read, until a renewal brings a new certificate and a new SESeal; a renewal between reading
     * the seal and reading its SESeal is refused rather than stamped with a mismatched pair.
     */
    public Optional<SESeal> nationalSeal(Seal seal) {
        NationalSeal known = nationalSeals.get(seal.id());
        if (known != null && known.caSerial().equals(seal.caSerial())) {
            return Optional.of(known.seal());
        }
        var stored = store.sesealWithSerial(seal.id());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (!stored.get().caSerial().equals(seal.caSerial())) {
            throw new RejectedException(Problem.SEAL_NOT_USABLE, "Seal '" + seal.id() + "' was renewed just now; send "
                    + "the request again.");
        }
        var found = SESeal.getInstance(stored.get().seseal());
        nationalSeals.put(seal.id(), new NationalSeal(seal.caSerial(), found));
        return Optional.of(found);
    }

    /**
     * The seal's row as stamping reads it, once per seal and request: status, validity, users, certificate, default
     * level; without its image, which is read once per seal and kept ({@link #usable(Seal, Caller, Use)}).
     */
    public Seal forStamping(String id) {
        return store.findWithoutImage(id).orElseThrow(() -> new RejectedException(Problem.UNKNOWN_SEAL,
                "There is no seal with id '" + id + "'."));
    }

    /** The seal if {@code caller} may use it now for {@code use}; a clear refusal otherwise. */
    public Usable usable(String id, Caller caller, Use use) {
        return usable(forStamping(id), caller, use);
    }

    /**
     * As {@link #usable(String, Caller, Use)} for a seal whose row was just read ({@link #forStamping}): the row is not
     * read again.
     */
    public Usable usable(Seal seal, Caller caller, Use use) {
        String id = seal.id();
        String client = caller.client();
        Instant now = clock.instant();
        SealStatus status = seal.statusAt(now);
        if (status != SealStatus.ACTIVE) {
            throw new RejectedException(Problem.SEAL_NOT_USABLE, "Seal '" + id + "' is " + status
                    + (seal.statusReason() == null ? "" : " (" + seal.statusReason() + ")") + "; it cannot stamp.");
        }
        if (now.isBefore(seal.validFrom())) {
            throw new RejectedException(Problem.SEAL_NOT_USABLE, "Seal '" + id + "' is valid from " + seal.validFrom() + ".");
        }
        SealUser user = seal.user(client);
        if (user == null) {
            throw new RejectedException(Problem.SEAL_NOT_PERMITTED, "Client '" + client + "' is not among the users "
                    + "of seal '" + id + "'.");
        }
        if (!user.levels().contains(use.level())) {
            throw new RejectedException(Problem.SEAL_NOT_PERMITTED, "Client '" + client + "' may stamp with seal '" + id
                    + "' at " + user.levels().stream().map(SignatureLevel::label).sorted().toList() + ", not at "
                    + use.level().label() + ".");
        }
        if (use.certify() && !user.certify()) {
            throw new RejectedException(Problem.SEAL_NOT_PERMITTED, "Client '" + client
                    + "' may not certify documents (DocMDP) with seal '" + id + "'.");
        }
        if (use.crossPage() && !user.crossPage()) {
            throw new RejectedException(Problem.SEAL_NOT_PERMITTED, "Client '" + client
                    + "' may not put cross-page seals with seal '" + id + "'.");
        }
        // after the per-seal rights: even a seal that lists the client is refused when the purpose does not match
        VerificationReportSeals.check(seal, caller, use);
        SealAppearance appearance = appearances.computeIfAbsent(id, k -> new SealAppearance(store.stampPng(id)
                .orElseThrow(() -> new RejectedException(Problem.UNKNOWN_SEAL, "There is no seal with id '" + id + "'.")),
                seal.widthMm(), seal.heightMm()));
        return new Usable(seal.withStampPng(appearance.image()), keys.of(seal), appearance);
    }

    /**
     * The seal as it is now, its row held (FOR SHARE) until the caller's transaction commits: a stamp or a signed code
     * reads its seal when it starts and signs afterwards (a stamp for a second or more: the TSA, OCSP, a large
     * document); a suspension, revocation, renewal or a change of this client's rights that committed meanwhile was
     * not seen, and the stamp or code was recorded, audited and answered after it. Such a use is refused now (409,
     * 403, nothing kept); a change asked for after this point waits for the use to commit (StampRaceTest,
     * CodeSigningRaceTest).
     *
     * @param what what was being made, for the refusal ("stamp", "code")
     */
    public void confirmStillUsable(Usable used, String client, String what) {
        Seal read = used.seal();
        SealStore.UsableNow now = store.usableNow(read.id(), client).orElse(null);
        SealStatus status = now == null ? null : now.statusAt(clock.instant());
        if (now == null || status != SealStatus.ACTIVE || !Objects.equals(now.caSerial(), read.caSerial())) {
            throw new RejectedException(Problem.SEAL_NOT_USABLE, "Seal '" + read.id() + "' was "
                    + (now == null ? "removed" : status == SealStatus.ACTIVE ? "renewed"
                    : status.name().toLowerCase(Locale.ROOT))
                    + " while this " + what + " was being made; nothing was kept.");
        }
        if (!Objects.equals(now.user(), read.user(client))) {
            throw new RejectedException(Problem.SEAL_NOT_PERMITTED, "The rights of client '" + client
                    + "' on seal '" + read.id() + "' changed while this " + what + " was being made; nothing was kept.");
        }
    }

    /**
     * After a stamp failed to sign: a renewal destroys the old key, so a stamp that had opened it in an HSM just
     * before fails to sign (a PKCS#12 key already in memory still signs, with the old certificate, which is not
     * revoked). Reads the rows again (only on this failure path) and refuses with a request to send it again when a
     * seal's certificate changed meanwhile.
     */
    public void refuseIfRenewedMeanwhile(List<Usable> chosen) {
        for (Usable seal : chosen) {
            if (!get(seal.seal().id()).caSerial().equals(seal.seal().caSerial())) {
                throw new RejectedException(Problem.SEAL_NOT_USABLE, "Seal '" + seal.seal().id() + "' was renewed "
                        + "while this stamp was being made; send the request again.");
            }
        }
    }
}
