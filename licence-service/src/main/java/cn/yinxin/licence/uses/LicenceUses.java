package cn.yinxin.licence.uses;

import cn.yinxin.service.TransactionLocks;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every use of a holder's personal data with a purpose, in one table ({@code licence_use}): an office's use under
 * the holder's consent (用证) and an officer's look-up of the holder's full name and number. Callers record a use in
 * the transaction that hands the data out, beside its audit entry.
 */
@Repository
public class LicenceUses {

    public enum Kind { CONSENT, OFFICER_LOOKUP }

    /**
     * One use.
     *
     * @param consent     the consent it was made under (CONSENT only)
     * @param officer     the account that asked, as the audit log names it (null for uses recorded before V60)
     * @param officerName the person's name from the sign-in, when known
     * @param officeName  the office's name, when known (a consent names it; a token carries only the USCC)
     * @param given       what was handed out, in words
     */
    public record Use(Kind kind, UUID consent, String identifier, String holderNumber, String officer,
                      String officerName, String officeName, String officeCode, Purpose purpose, String given,
                      Instant copyExpiresAt, Instant usedAt) {
    }

    private final JdbcClient jdbc;

    public LicenceUses(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(Use use) {
        jdbc.sql("""
                INSERT INTO licence_use (kind, consent_id, identifier, holder_number, officer, officer_name, office_name,
                    office_code, purpose, case_number, given, copy_expires_at, used_at)
                VALUES (:k, :c, :i, :h, :who, :wn, :o, :oc, :p, :cn, :g, :ce, :t)""")
                .param("k", use.kind().name()).param("c", use.consent()).param("i", use.identifier())
                .param("h", use.holderNumber()).param("who", use.officer()).param("wn", use.officerName())
                .param("o", use.officeName()).param("oc", use.officeCode()).param("p", use.purpose().text())
                .param("cn", use.purpose().caseNumber()).param("g", use.given())
                .param("ce", use.copyExpiresAt() == null ? null : Timestamp.from(use.copyExpiresAt()))
                .param("t", Timestamp.from(use.usedAt())).update();
    }

    /**
     * Holds the officer's lock until the transaction ends, so two disclosures at once cannot both pass the limit on
     * the same count.
     */
    public void lockOfficer(String officer) {
        TransactionLocks.hold(jdbc, "licence_use:" + officer);
    }

    /** How many look-ups the officer made since {@code since}. */
    public int lookupsSince(String person, String subject, Instant since) {
        // recorded as [development:]client/subject: any client, the same person
        String anyClient = subject == null ? "" : "%/" + subject.replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_");
        return jdbc.sql("SELECT count(*) FROM licence_use WHERE (officer = :who OR officer LIKE :anyClient ESCAPE '\\') "
                        + "AND kind = 'OFFICER_LOOKUP' AND used_at > :t")
                .param("who", person).param("anyClient", anyClient).param("t", Timestamp.from(since))
                .query(Integer.class).single();
    }

    /** Every use of the holder's licences, newest first, as the holder's page shows it. */
    public List<Map<String, Object>> ofHolder(String holderNumber) {
        return jdbc.sql("SELECT * FROM licence_use WHERE holder_number = :h ORDER BY id DESC").param("h", holderNumber)
                .query((rs, n) -> {
                    Map<String, Object> use = new LinkedHashMap<>();
                    use.put("kind", rs.getString("kind"));
                    use.put("identifier", rs.getString("identifier"));
                    use.put("consent", rs.getObject("consent_id", UUID.class));
                    use.put("officer", rs.getString("officer"));
                    use.put("officerName", rs.getString("officer_name"));
                    use.put("office", rs.getString("office_name"));
                    use.put("officeCode", rs.getString("office_code"));
                    use.put("purpose", rs.getString("purpose"));
                    use.put("caseNumber", rs.getString("case_number"));
                    use.put("given", rs.getString("given"));
                    OffsetDateTime copyUntil = rs.getObject("copy_expires_at", OffsetDateTime.class);
                    use.put("copyExpiresAt", copyUntil == null ? null : copyUntil.toInstant());
                    use.put("usedAt", rs.getObject("used_at", OffsetDateTime.class).toInstant());
                    return use;
                }).list();
    }
}
