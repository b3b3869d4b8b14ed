package cn.yinxin.licence.access;

import cn.yinxin.licence.licences.LicenceStore;
import cn.yinxin.licence.sealing.SealService;
import cn.yinxin.licence.types.LicenceType;
import cn.yinxin.licence.types.LicenceTypes;
import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.OfficeScope;
import cn.yinxin.service.security.Roles;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An issuer issues, changes and reads only its own office's licences. A licence type holds two offices: the defining
 * authority (the first 18 characters of its code) and, through the seal that signs it, the issuing agency, which every
 * licence of the type names as its issuer (and in its identifier). The issuing office is the one that counts: an
 * issuer's {@code office_uscc} must be the agency of the type's seal, and for a licence already issued its recorded
 * issuer. A new type must be its definer's in both ways (its code and its seal), so that no office has another office's
 * seal sign its licences. Checked first in each handler, before the request's body or the licence's state is judged,
 * so another office's issuer learns nothing but the refusal. Unknown types and licences are left to the action (404).
 */
@Component
public class IssuingOffice {

    private final OfficeScope scope;
    private final LicenceTypes types;
    private final LicenceStore licences;
    private final SealService seals;
    private final Map<String, String> issuingOffices = new ConcurrentHashMap<>();

    public IssuingOffice(OfficeScope scope, LicenceTypes types, LicenceStore licences, SealService seals) {
        this.scope = scope;
        this.types = types;
        this.licences = licences;
        this.seals = seals;
    }

    /** A new type: its code must be the caller's office's, and so must the seal that is to sign it. */
    public void newType(String typeCode, String sealId, HttpServletRequest http) {
        String office = LicenceType.officeOf(typeCode);
        if (office == null) {
            return;
        }
        String what = "define a licence type for this office";
        scope.require(office, "licence-type:" + typeCode, what, Actors.of(http));
        if (sealId != null && !sealId.isBlank()) {
            scope.require(seals.agencyOf(sealId).agencyCode(), "licence-type:" + typeCode,
                    what + " signed with seal " + sealId, Actors.of(http));
        }
    }

    /** An existing type named in a request (an issuance's or an import's): its issuing office, its seal's agency. */
    public void type(String typeCode, String what, HttpServletRequest http) {
        if (typeCode == null || OfficeScope.everyOffice(Caller.current())) {
            return;
        }
        String office = issuingOffices.get(typeCode);
        if (office == null) {
            var type = types.find(typeCode);
            if (type.isEmpty()) {
                return;
            }
            office = seals.agencyOf(type.get().sealId()).agencyCode();
            // a type's seal and a seal's agency never change: asked once per type
            issuingOffices.put(typeCode, office);
        }
        scope.require(office, "licence-type:" + typeCode, what, Actors.of(http));
    }

    /**
     * An issuer (who is no officer) reads with the holder's full data only its own office's licences; an officer's
     * reading is governed by its purpose, not by this scope.
     */
    public void issuerReads(String identifier, HttpServletRequest http) {
        Caller caller = Caller.current();
        if (caller.has(Roles.LICENCE_ISSUER) && !caller.has(Roles.OFFICER)) {
            licence(identifier, "read the licence", http);
        }
    }

    /** For an existing licence: the issuing office it records. */
    public void licence(String identifier, String what, HttpServletRequest http) {
        if (identifier == null) {
            return;
        }
        licences.byIdentifier(identifier, false).ifPresent(licence -> scope.require(licence.issuerCode(),
                "licence:" + identifier, what, Actors.of(http)));
    }
}
