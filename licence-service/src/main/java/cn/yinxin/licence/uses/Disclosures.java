package cn.yinxin.licence.uses;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.Uscc;
import cn.yinxin.licence.licences.Licence;
import cn.yinxin.licence.licences.Licences;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.DevelopmentLogin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An officer has a holder's full name and resident ID number disclosed by licence identifier, for a stated purpose
 * (用证事由 and case number). Without one nobody gets them (the licence's other views mask them). Each disclosure is
 * a {@link LicenceUses} row the holder sees and an audit entry, written in the transaction that reads the data; an
 * officer gets at most {@link DisclosureProperties#perOfficer()} in a window, so a stolen officer account or a script
 * cannot walk through the identifiers (a year and a counter) and copy the register.
 */
@Service
public class Disclosures {

    private final Licences licences;
    private final LicenceUses uses;
    private final AuditLog audit;
    private final DisclosureProperties limits;
    private final Clock clock;

    public Disclosures(Licences licences, LicenceUses uses, AuditLog audit, DisclosureProperties limits,
                       ObjectProvider<Clock> clock) {
        this.licences = licences;
        this.uses = uses;
        this.audit = audit;
        this.limits = limits;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /**
     * The holder's data for {@code caller} (an officer whose sign-in names an office), recorded.
     *
     * @param actor the caller as the audit log names them, with the address
     */
    @Transactional
    public Map<String, Object> disclose(String identifier, Purpose purpose, Caller caller, String actor) {
        String office = caller.officeUscc();
        if (office == null || !Uscc.isValid(office)) {
            throw new RejectedException(Problem.ACCESS_DENIED, "Personal data is disclosed to an officer of an office: "
                    + "your sign-in names no office (claim office_uscc; development login: header X-Dev-Office).");
        }
        String officer = caller.auditName();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // the limit is the person's, whichever client their token came from (a person signs in through several);
        // development callers that name no person (all "developer") are told apart by their client instead
        boolean named = caller.subject() != null
                && !(caller.development() && DevelopmentLogin.NO_PERSON.equals(caller.subject()));
        String person = named ? (caller.development() ? "development:" : "") + caller.subject() : officer;
        uses.lockOfficer(person);
        int recent = uses.lookupsSince(person, named ? caller.subject() : null, now.minus(limits.window()));
        if (recent >= limits.perOfficer()) {
            throw new RejectedException(Problem.DISCLOSURE_LIMIT, "You had " + recent + " holders' data disclosed in the "
                    + "last " + limits.window().toMinutes() + " min; at most " + limits.perOfficer() + " are allowed.");
        }
        Licence licence = licences.get(identifier);
        String given = "holder name and identity number";
        uses.record(new LicenceUses.Use(LicenceUses.Kind.OFFICER_LOOKUP, null, licence.identifier(),
                licence.holder().number(), officer, caller.name(), null, office, purpose, given, null, now));
        audit.record(actor, "licence.disclose", Licences.subject(licence.identifier()), "office=" + office
                + " purpose=" + purpose.text() + " case=" + purpose.caseNumber() + " given=" + given);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("identifier", licence.identifier());
        answer.put("type", licence.typeCode());
        answer.put("status", licences.liveStatus(licence)); // the officer decides from it: by its dates, as verifiers
        answer.put("holder", Map.of("kind", licence.holder().kind().name(), "name", licence.holder().name(),
                "number", licence.holder().masked(), "identityNumber", licence.holder().number()));
        answer.put("disclosure", Map.of("purpose", purpose.text(), "caseNumber", purpose.caseNumber(),
                "officer", officer, "office", office, "at", now));
        return answer;
    }
}
