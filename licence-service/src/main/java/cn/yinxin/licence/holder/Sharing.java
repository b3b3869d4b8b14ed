package cn.yinxin.licence.holder;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.Uscc;
import cn.yinxin.core.pdf.PdfText;
import cn.yinxin.licence.LicenceProperties;
import cn.yinxin.licence.licences.Licence;
import cn.yinxin.licence.licences.LicenceStatus;
import cn.yinxin.licence.licences.Licences;
import cn.yinxin.licence.sealing.SealService;
import cn.yinxin.licence.types.LicenceType;
import cn.yinxin.licence.types.LicenceTypes;
import cn.yinxin.licence.uses.LicenceUses;
import cn.yinxin.licence.uses.Purpose;
import cn.yinxin.service.audit.AuditLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * 用证: a holder consents that an office obtains some fields of a licence for a stated purpose until a date; the
 * office then obtains them (or a 加注件, a copy sealed for that purpose) under that consent, naming the purpose and
 * its case number (用证事由, the same rule as an officer's look-up). Every use is logged ({@link LicenceUses}, one
 * record type with the officers' look-ups, shown to the holder) and audited in the same transaction.
 */
@Service
public class Sharing {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_DAYS = 365;
    /** What ends a copy's annotation, before its end date. */
    private static final String UNTIL = "有效期至";

    public record Consent(UUID id, UUID licenceId, String identifier, String holderNumber, String officeName,
                          String officeCode, String purpose, List<String> fields, Instant grantedAt, Instant expiresAt,
                          String status, Instant revokedAt) {
    }

    /** What an office obtained: the data, or the sealed copy and until when it may be used. */
    public record Use(Map<String, Object> data, byte[] copy, Instant copyExpiresAt, String identifier) {
    }

    private final JdbcClient jdbc;
    private final Licences licences;
    private final LicenceTypes types;
    private final SealService seals;
    private final AuditLog audit;
    private final LicenceUses uses;
    private final Path font;
    private final Clock clock;

    public Sharing(JdbcClient jdbc, Licences licences, LicenceTypes types, SealService seals, AuditLog audit,
                   LicenceUses uses, LicenceProperties properties, Clock clock) {
        this.clock = clock;
        this.uses = uses;
        this.jdbc = jdbc;
        this.licences = licences;
        this.types = types;
        this.seals = seals;
        this.audit = audit;
        this.font = properties.cjkFont() != null && !properties.cjkFont().toString().isBlank() ? properties.cjkFont()
                : PdfText.defaultCjkFont();
    }

    @Transactional
    public Consent grant(Licence licence, String office, String officeCode, String purpose, List<String> fields,
                         Integer days) {
        if (office == null || office.isBlank() || office.length() > 200) {
            throw new RejectedException(Problem.INVALID_REQUEST, "office (the office's name) has 1 to 200 characters.");
        }
        if (officeCode == null || !Uscc.isValid(officeCode.strip().toUpperCase())) {
            throw new RejectedException(Problem.INVALID_REQUEST, "officeCode is the office's USCC.");
        }
        if (purpose == null || purpose.isBlank() || purpose.strip().codePointCount(0, purpose.strip().length()) > Purpose.MAX_TEXT) {
            throw new RejectedException(Problem.PURPOSE_INVALID, "purpose has 1 to " + Purpose.MAX_TEXT + " characters.");
        }
        // a copy's box and sealed annotation read "仅供<purpose>使用，<office>，有效期至<date>": the holder's words must
        // not print an end date of their own before ours (a clerk, or a reader, taking the first would be misled)
        if (purpose.contains(UNTIL)) {
            throw new RejectedException(Problem.PURPOSE_INVALID, "purpose may not state a period of use (" + UNTIL
                    + "): a copy states its own.");
        }
        if (office.contains(UNTIL)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "office may not state a period of use (" + UNTIL
                    + "): a copy states its own.");
        }
        int life = days == null ? 30 : days;
        if (life < 1 || life > MAX_DAYS) {
            throw new RejectedException(Problem.INVALID_REQUEST, "days is 1 to " + MAX_DAYS + ".");
        }
        JsonNode all = JSON.readTree(licence.fields());
        List<String> chosen = fields == null ? List.of() : List.copyOf(new LinkedHashSet<>(fields));
        for (String field : chosen) {
            if (!all.has(field)) {
                throw new RejectedException(Problem.INVALID_REQUEST, "The licence has no field '" + field + "'.");
            }
        }
        if (licence.status() != LicenceStatus.VALID) {
            throw new RejectedException(Problem.LICENCE_STATUS_CONFLICT, "Licence " + licence.identifier() + " is "
                    + licence.status() + ": only a valid licence can be shared.");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Consent consent = new Consent(UUID.randomUUID(), licence.id(), licence.identifier(), licence.holder().number(),
                office.strip(), officeCode.strip().toUpperCase(), purpose.strip(), chosen, now,
                now.plus(life, ChronoUnit.DAYS), "ACTIVE", null);
        jdbc.sql("""
                INSERT INTO consent (id, licence_id, identifier, holder_number, office_name, office_code, purpose, fields,
                    granted_at, expires_at, status) VALUES (:id, :l, :i, :h, :o, :oc, :p, :f, :g, :e, 'ACTIVE')""")
                .param("id", consent.id()).param("l", consent.licenceId()).param("i", consent.identifier())
                .param("h", consent.holderNumber()).param("o", consent.officeName()).param("oc", consent.officeCode())
                .param("p", consent.purpose()).param("f", JSON.writeValueAsString(chosen))
                .param("g", Timestamp.from(now)).param("e", Timestamp.from(consent.expiresAt())).update();
        audit.record(holderActor(consent.holderNumber()), "licence.consent", Licences.subject(licence.identifier()),
                "consent=" + consent.id() + " office=" + consent.officeCode() + " purpose=" + consent.purpose()
                        + " fields=" + chosen + " until=" + consent.expiresAt());
        return consent;
    }

    public List<Consent> consents(String holderNumber) {
        return jdbc.sql("SELECT * FROM consent WHERE holder_number = :h ORDER BY granted_at").param("h", holderNumber)
                .query(Sharing::consent).list();
    }

    @Transactional
    public Consent revoke(UUID id, String holderNumber) {
        Consent consent = jdbc.sql("SELECT * FROM consent WHERE id = :id AND holder_number = :h FOR UPDATE")
                .param("id", id).param("h", holderNumber).query(Sharing::consent).optional()
                .orElseThrow(() -> new RejectedException(Problem.NOT_FOUND, "You gave no consent " + id + "."));
        if ("ACTIVE".equals(consent.status())) {
            jdbc.sql("UPDATE consent SET status = 'REVOKED', revoked_at = :t WHERE id = :id")
                    .param("t", Timestamp.from(clock.instant())).param("id", id).update();
            audit.record(holderActor(holderNumber), "licence.consent-revoke", Licences.subject(consent.identifier()),
                    "consent=" + id);
        }
        return jdbc.sql("SELECT * FROM consent WHERE id = :id").param("id", id).query(Sharing::consent).single();
    }

    /**
     * An office's use under a consent: refused (403 consent-refused) unless the consent exists, is active and
     * unexpired, names this office and this purpose, and the licence is valid now. The purpose's case number says
     * which case of the office's the use serves.
     */
    @Transactional
    public Use use(UUID consentId, String officeCode, Purpose stated, LicenceType.Format copy, String actor,
                   String officer, String officerName) {
        String purpose = stated.text();
        Consent consent = consentId == null ? null : jdbc.sql("SELECT * FROM consent WHERE id = :id FOR UPDATE")
                .param("id", consentId).query(Sharing::consent).optional().orElse(null);
        Instant now = clock.instant();
        String refusal = consent == null ? "There is no consent " + consentId + "."
                : !consent.officeCode().equals(officeCode) ? "The consent was given to another office."
                : "REVOKED".equals(consent.status()) ? "The holder revoked the consent at " + consent.revokedAt() + "."
                : !now.isBefore(consent.expiresAt()) ? "The consent expired at " + consent.expiresAt() + "."
                : !Objects.equals(consent.purpose(), purpose)
                ? "The consent is for the purpose '" + consent.purpose() + "', not this one." : null;
        if (refusal != null) {
            throw new RejectedException(Problem.CONSENT_REFUSED, refusal);
        }
        Licence licence = licences.get(consent.identifier());
        String live = inForce(licence);
        Map<String, Object> data = data(licence, live, consent.fields());
        byte[] pdf = null;
        Instant copyExpires = null;
        String given;
        if (copy != null) {
            LicenceType type = types.get(licence.typeCode());
            copyExpires = consent.expiresAt();
            LocalDate until = copyExpires.atZone(CHINA).toLocalDate();
            // the office by the holder's words and by its code, the one the using officer's sign-in proves: the words
            // alone made a copy for any office the holder named
            String text = "仅供" + consent.purpose() + "使用，" + consent.officeName() + "（" + consent.officeCode() + "）"
                    + "，" + UNTIL + until;
            String title = "加注件 " + type.name() + " " + licence.identifier();
            if (copy == LicenceType.Format.OFD) {
                // licences.ofd refuses (404 licence-file-not-issued) a licence issued without an OFD
                byte[] unsealed = AnnotatedOfdCopy.make(type, licence, licences.ofd(licence.identifier()), text, title,
                        font, LocalDate.now(clock.withZone(CHINA)));
                pdf = seals.stampOfd(type.ofdSealId(), unsealed, 1, AnnotatedOfdCopy.sealXMm(),
                        AnnotatedOfdCopy.sealYMm(), Licences.ofdLevel(type), "加注件：" + text);
            } else {
                byte[] unsealed = AnnotatedCopy.make(licences.pdf(licence.identifier()), text, title, font);
                float height = 842;
                pdf = seals.stamp(type.sealId(), unsealed, 1, AnnotatedCopy.sealXMm(), AnnotatedCopy.sealYMm(height),
                        type.signatureLevel(), "加注件：" + text);
            }
            given = "copy (加注件, " + copy + ") until " + until;
        } else {
            given = "fields " + consent.fields();
        }
        uses.record(new LicenceUses.Use(LicenceUses.Kind.CONSENT, consent.id(), licence.identifier(),
                consent.holderNumber(), officer, officerName, consent.officeName(), consent.officeCode(), stated, given,
                copyExpires, now));
        audit.record(actor, "licence.use", Licences.subject(licence.identifier()), "consent=" + consent.id()
                + " office=" + consent.officeCode() + " purpose=" + consent.purpose() + " case=" + stated.caseNumber()
                + " given=" + given);
        return new Use(data, pdf, copyExpires, licence.identifier());
    }

    /**
     * The licence's live status, VALID, or a refusal: not in force yet, or past its last day before the hourly expiry
     * marked it, is no licence an office may be given as one in force.
     */
    private String inForce(Licence licence) {
        String live = licences.liveStatus(licence);
        if (!"VALID".equals(live)) {
            throw new RejectedException(Problem.CONSENT_REFUSED, "The licence is " + live + " now (valid "
                    + licence.validFrom() + " to " + (licence.validUntil() == null ? "no end" : licence.validUntil())
                    + ").");
        }
        return live;
    }

    /** Every use of the holder's licences (under a consent or an officer's look-up), newest first. */
    public List<Map<String, Object>> uses(String holderNumber) {
        return uses.ofHolder(holderNumber);
    }

    private static Map<String, Object> data(Licence licence, String liveStatus, List<String> fields) {
        JsonNode all = JSON.readTree(licence.fields());
        Map<String, Object> chosen = new LinkedHashMap<>();
        for (String field : fields) {
            if (all.has(field)) {
                chosen.put(field, all.get(field));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("identifier", licence.identifier());
        data.put("type", licence.typeCode());
        data.put("status", liveStatus);
        data.put("holder", Map.of("name", licence.holder().name(), "number", licence.holder().masked()));
        data.put("validFrom", licence.validFrom());
        data.put("validUntil", licence.validUntil());
        data.put("fields", chosen);
        return data;
    }

    static String holderActor(String holderNumber) {
        String masked = holderNumber.length() == 18 && Character.isDigit(holderNumber.charAt(0))
                && !Uscc.isValid(holderNumber) ? holderNumber.substring(0, 6) + "********" + holderNumber.substring(14)
                : holderNumber;
        return "holder:" + masked + " (development login)";
    }

    private static Consent consent(ResultSet rs, int row) throws SQLException {
        OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
        return new Consent(rs.getObject("id", UUID.class), rs.getObject("licence_id", UUID.class),
                rs.getString("identifier"), rs.getString("holder_number"), rs.getString("office_name"),
                rs.getString("office_code"), rs.getString("purpose"),
                List.of(JSON.readValue(rs.getString("fields"), String[].class)),
                rs.getObject("granted_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(), rs.getString("status"),
                revoked == null ? null : revoked.toInstant());
    }
}
