package cn.yinxin.licence.access;

import cn.yinxin.licence.licences.LicenceStore;
import cn.yinxin.licence.types.LicenceType;
import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.OfficeScope;
import cn.yinxin.service.security.Roles;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * An issuer issues, changes and reads only its own office's licences: the office that defines the licence type (the
 * first 18 characters of the type code, the authority's USCC) must be the issuer's {@code office_uscc}. Checked first
 * in each handler, before the request's body or the licence's state is judged, so another office's issuer learns
 * nothing but the refusal. Unknown types and licences are left to the action (404).
 */
@Component
public class IssuingOffice {

    private final OfficeScope scope;
    private final LicenceStore licences;

    public IssuingOffice(OfficeScope scope, LicenceStore licences) {
        this.scope = scope;
        this.licences = licences;
    }

    /** For a type code named in a request (a new type's code, an issuance's or an import's type). */
    public void type(String typeCode, String what, HttpServletRequest http) {
        String office = LicenceType.officeOf(typeCode);
        if (office != null) {
            scope.require(office, "licence-type:" + typeCode, what, Actors.of(http));
        }
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

    /** For an existing licence: its type's office. */
    public void licence(String identifier, String what, HttpServletRequest http) {
        if (identifier == null) {
            return;
        }
        licences.byIdentifier(identifier, false).ifPresent(licence -> scope.require(
                LicenceType.officeOf(licence.typeCode()), "licence:" + identifier, what, Actors.of(http)));
    }
}
