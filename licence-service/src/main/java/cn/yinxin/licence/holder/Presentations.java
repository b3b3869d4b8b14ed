package cn.yinxin.licence.holder;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.qr.QrSymbol;
import cn.yinxin.core.qr.QrVerifier;
import cn.yinxin.licence.licences.Licence;
import cn.yinxin.licence.licences.Licences;
import cn.yinxin.licence.sealing.SealCertificates;
import cn.yinxin.licence.sealing.SealService;
import cn.yinxin.licence.status.StatusLists;
import cn.yinxin.licence.types.LicenceType;
import cn.yinxin.licence.types.LicenceTypes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * 亮证: short-lived presentation codes a holder shows on a phone, and their verification with a replay cache.
 *
 * <pre>
 * YXP1: + Base45(COSE_Sign1/ES256 by the licence type's seal, signed through the seal service) over the CWT
 *   1 (iss)  issuer USCC      6 (iat)   4 (exp, at most 300 s after iat)   7 (cti, 16 random bytes)
 *   65535    status list entry {"status_list": {"idx", "uri"}}
 *   -65539   {1: licence identifier, 2: type code, 3: holder name, 4: holder number (masked),
 *             5: valid from, 6: valid until (absent: no end), 7: {field name: value} (the disclosed fields only)}
 * </pre>
 * The seal service signs with its {@code YX1:} prefix; the Base45 payload is the same, only the context prefix is
 * changed to {@code YXP1:} so that a presentation is never taken for a printed licence code (and back).
 */
@Service
public class Presentations {

    public static final String PREFIX = "YXP1:";
    public static final int CLAIM = -65539;
    public static final int MAX_SECONDS = 300;
    /** A code with an unknown key id makes the seal certificates be read again, at most this often. */
    static final Duration REFETCH = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A presentation made for the holder. */
    public record Presentation(String code, String tokenId, Instant issuedAt, Instant expiresAt, List<String> fields,
                               String png) {
    }

    /** The answer to a scan: VALID, or INVALID with the reason (and the problem type when the code itself fails). */
    public record Check(String verdict, String reason, String problem, Map<String, Object> licence, Instant expiresAt,
                        boolean replayed) {
    }

    private final Licences licences;
    private final LicenceTypes types;
    private final SealService seals;
    private final SealCertificates certificates;
    private final StatusLists statusLists;
    private final JdbcClient jdbc;
    private final Clock clock;

    public Presentations(Licences licences, LicenceTypes types, SealService seals, SealCertificates certificates,
                         StatusLists statusLists, JdbcClient jdbc, Clock clock) {
        this.clock = clock;
        this.licences = licences;
        this.types = types;
        this.seals = seals;
        this.certificates = certificates;
        this.statusLists = statusLists;
        this.jdbc = jdbc;
    }

    public Presentation present(Licence licence, List<String> fields, Integer seconds) {
        // the live status, not the stored one: a licence issued ahead of its start is VALID in the registry but
        // NOT_YET_VALID to every verifier, and a code shown before then would be scanned "licence valid now"
        String live = licences.liveStatus(licence);
        if (!"VALID".equals(live)) {
            throw new RejectedException(Problem.LICENCE_STATUS_CONFLICT, "Licence " + licence.identifier() + " is "
                    + live + ": only a valid licence can be shown.");
        }
        int life = seconds == null ? MAX_SECONDS : seconds;
        if (life < 1 || life > MAX_SECONDS) {
            throw new RejectedException(Problem.INVALID_REQUEST, "seconds is 1 to " + MAX_SECONDS + ".");
        }
        JsonNode all = JSON.readTree(licence.fields());
        Map<String, Object> disclosed = new LinkedHashMap<>();
        for (String field : fields == null ? List.<String>of() : fields) {
            if (!all.has(field)) {
                throw new RejectedException(Problem.INVALID_REQUEST, "The licence has no field '" + field + "'.");
            }
            JsonNode value = all.get(field);
            disclosed.put(field, value.isString() ? value.asString() : value.toString());
        }
        LicenceType type = types.get(licence.typeCode());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plusSeconds(life);
        byte[] cti = new byte[16];
        RANDOM.nextBytes(cti);
        Map<Integer, Object> body = new LinkedHashMap<>();
        body.put(1, licence.identifier());
        body.put(2, licence.typeCode());
        body.put(3, licence.holder().name());
        body.put(4, licence.holder().masked());
        body.put(5, licence.validFrom().toString());
        if (licence.validUntil() != null) {
            body.put(6, licence.validUntil().toString());
        }
        body.put(7, disclosed);
        CwtClaims claims = CwtClaims.builder().issuer(licence.issuerCode()).issuedAt(now).expiresAt(expires).tokenId(cti)
                .status(new CwtClaims.StatusReference(licence.statusIndex(),
                        statusLists.uri(licence.issuerCode(), licence.typeCode())))
                .put(CLAIM, body).build();
        String signed = seals.signCode(type.sealId(), claims);
        if (!signed.startsWith(QrSigner.DEFAULT_PREFIX)) {
            throw new RejectedException(Problem.SEAL_SERVICE_UNAVAILABLE, "The seal service signed a code with an unknown prefix.");
        }
        String code = PREFIX + signed.substring(QrSigner.DEFAULT_PREFIX.length());
        String png = "data:image/png;base64," + Base64.getEncoder().encodeToString(QrSymbol.encode(code).toPng(6));
        return new Presentation(code, HexFormat.of().formatHex(cti), now, expires, List.copyOf(disclosed.keySet()), png);
    }

    /**
     * Checks a scanned presentation: signature by the seal of a licence type, expiry, at most 300 s of life, the
     * licence's live status, and that its token id was not seen before (the first scan records it).
     */
    @Transactional
    public Check verify(String text) {
        Instant now = clock.instant();
        jdbc.sql("DELETE FROM presentation_use WHERE expires_at < :t").param("t", Timestamp.from(now.minusSeconds(60))).update();
        QrVerifier.Verified verified;
        try {
            verified = new QrVerifier(PREFIX, this::signers, clock, Duration.ofSeconds(5)).verify(text == null ? null : text.strip());
        } catch (RejectedException e) {
            return new Check("INVALID", e.getMessage(), e.problem().type(), null, null, false);
        }
        CwtClaims claims = verified.claims();
        if (!(claims.get(CLAIM) instanceof Map<?, ?> body) || !(body.get(1) instanceof String identifier)
                || !(claims.get(CwtClaims.CTI) instanceof byte[] cti) || claims.expiresAt() == null) {
            return new Check("INVALID", "The code is signed but is not a licence presentation (claims missing).",
                    Problem.QR_INVALID.type(), null, null, false);
        }
        if (Duration.between(claims.issuedAt(), claims.expiresAt()).getSeconds() > MAX_SECONDS) {
            return new Check("INVALID", "The code claims to live longer than " + MAX_SECONDS + " s.",
                    Problem.QR_INVALID.type(), null, null, false);
        }
        Licence licence;
        try {
            licence = licences.get(identifier);
        } catch (RejectedException e) {
            return new Check("INVALID", "The licence " + identifier + " is not known here.", e.problem().type(), null,
                    claims.expiresAt(), false);
        }
        var signedWith = certificates.of(types.get(licence.typeCode()).sealId()).stream()
                .filter(c -> c.certificate().equals(verified.signer())).findFirst().orElse(null);
        if (signedWith == null) {
            return new Check("INVALID", "The code was not signed with the seal of its licence type.",
                    Problem.QR_SIGNATURE_INVALID.type(), null, claims.expiresAt(), false);
        }
        if (signedWith.replacedAt() != null && claims.issuedAt().isAfter(signedWith.replacedAt().plusSeconds(5))) {
            // the key of a replaced certificate was destroyed at the renewal: nothing genuine is signed with it later
            return new Check("INVALID", "The code was signed with a certificate the seal replaced at "
                    + signedWith.replacedAt() + ", but says it was made later.", Problem.QR_SIGNATURE_INVALID.type(),
                    null, claims.expiresAt(), false);
        }
        String live = licences.liveStatus(licence);
        Map<String, Object> view = view(body, live);
        int recorded = jdbc.sql("""
                INSERT INTO presentation_use (cti, identifier, used_at, expires_at) VALUES (:cti, :i, :at, :exp)
                ON CONFLICT (cti) DO NOTHING""").param("cti", HexFormat.of().formatHex(cti)).param("i", identifier)
                .param("at", Timestamp.from(now)).param("exp", Timestamp.from(claims.expiresAt())).update();
        if (recorded == 0) {
            return new Check("INVALID", "Replayed: this presentation code was scanned before; ask the holder to show a "
                    + "fresh one.", "urn:yinxin:problem:presentation-replayed", view, claims.expiresAt(), true);
        }
        return "VALID".equals(live) ? new Check("VALID", "Signed by the issuer, within its " + Duration.between(
                claims.issuedAt(), claims.expiresAt()).getSeconds() + " s, first scan, licence valid now.", null, view,
                claims.expiresAt(), false) : notInForce(licence, live, view, claims.expiresAt());
    }

    /** A genuine first scan of a licence whose live status is not VALID: not in force yet, or no longer. */
    private static Check notInForce(Licence licence, String live, Map<String, Object> view, Instant expiresAt) {
        if ("NOT_YET_VALID".equals(live)) {
            return new Check("INDETERMINATE", "The licence is not in force yet: it is valid from "
                    + licence.validFrom() + ".", Problem.QR_NOT_YET_VALID.type(), view, expiresAt, false);
        }
        return new Check("INVALID", "The licence is " + live + " now"
                + (licence.statusReason() == null ? "" : " (" + licence.statusReason() + ")") + ".",
                Problem.LICENCE_STATUS_CONFLICT.type(), view, expiresAt, false);
    }

    /**
     * The seals' certificates with key id {@code kid}; when none has it, they are read again (a seal renewed since
     * signs with a new key), at most once every {@link #REFETCH}.
     */
    private List<X509Certificate> signers(byte[] kid) {
        List<X509Certificate> known = QrVerifier.SignerDirectory.of(signers()).candidates(kid);
        if (known.isEmpty() && certificates.forgetAll(REFETCH)) {
            known = QrVerifier.SignerDirectory.of(signers()).candidates(kid);
        }
        return known;
    }

    private List<X509Certificate> signers() {
        Set<String> sealIds = new LinkedHashSet<>();
        types.all().forEach(t -> sealIds.add(t.sealId()));
        List<X509Certificate> all = new ArrayList<>();
        for (String sealId : sealIds) {
            try {
                certificates.of(sealId).forEach(c -> all.add(c.certificate()));
            } catch (RejectedException e) {
                // a seal that cannot be read cannot have signed a code we accept
            }
        }
        return all;
    }

    private static Map<String, Object> view(Map<?, ?> body, String liveStatus) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("identifier", body.get(1));
        view.put("type", body.get(2));
        view.put("holderName", body.get(3));
        view.put("holderNumber", body.get(4));
        view.put("validFrom", body.get(5));
        view.put("validUntil", body.get(6));
        view.put("fields", body.get(7));
        view.put("status", liveStatus);
        return view;
    }
}
