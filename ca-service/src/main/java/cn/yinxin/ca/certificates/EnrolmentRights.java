package cn.yinxin.ca.certificates;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.Roles;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * Whose certificates a caller may have issued, suspended, released or revoked. CA administrators: any. The seal
 * service's client ({@link Roles#SEAL_SERVICE_CLIENT}): only for a request a person made at the seal service, whose
 * own access token it relays ({@link cn.yinxin.service.security.OnBehalfOf}): an agency seal's certificate for a seal
 * administrator of that agency (the subject's organisation identifier is the administrator's office USCC), a personal
 * certificate for that person (the subject's resident ID number is theirs). So a stolen seal-service credential alone
 * enrols or revokes nothing; with a relayed token it can act only for that person's agency or that person, while the
 * token lives. Every other caller (the licence service's client among them) is refused earlier, by the route rules.
 * Refusals are 403 {@code enrolment-not-permitted}.
 */
public final class EnrolmentRights {

    private EnrolmentRights() {
    }

    /** A new certificate of {@code profile} for {@code subject}. */
    public static void enrol(Caller caller, Caller person, String profile, EnrolmentRequest.Subject subject) {
        if (caller.has(Roles.CA_ADMIN)) {
            return;
        }
        check(caller, person, profile, subject == null ? null : subject.agencyCode(),
                subject == null ? null : subject.residentId(), "have a certificate issued");
    }

    /** A suspension, release or revocation of {@code certificate}. */
    public static void change(Caller caller, Caller person, IssuedCertificate certificate) {
        if (caller.has(Roles.CA_ADMIN)) {
            return;
        }
        X500Name subject = Certificate.getInstance(certificate.der()).getSubject();
        check(caller, person, certificate.profile(), attribute(subject, BCStyle.ORGANIZATION_IDENTIFIER),
                attribute(subject, BCStyle.SERIALNUMBER), "change certificate " + certificate.issuer() + "/"
                        + certificate.serial());
    }

    private static void check(Caller caller, Caller person, String profile, String agencyCode, String residentId,
                              String what) {
        if (!caller.has(Roles.SEAL_SERVICE_CLIENT)) {
            throw refused("Client '" + caller.client() + "' may not " + what + ".");
        }
        if (person == null) {
            throw refused("The seal service may " + what + " only for the person who asked it to (their access "
                    + "token relayed in X-Yinxin-On-Behalf-Of); it named nobody, or a token that does not check.");
        }
        if ("AGENCY_SEAL".equals(profile)) {
            if (!person.has(Roles.SEAL_ADMIN) || person.officeUscc() == null
                    || !person.officeUscc().equalsIgnoreCase(String.valueOf(agencyCode))) {
                throw refused("An agency seal's certificate for " + agencyCode + " is issued or changed only for a "
                        + "seal administrator of that agency; " + person.auditName() + " is "
                        + (person.has(Roles.SEAL_ADMIN) ? "one of " + person.officeUscc() : "no seal administrator") + ".");
            }
            return;
        }
        if ("PERSONAL".equals(profile)) {
            if (person.residentId() == null || !person.residentId().equalsIgnoreCase(String.valueOf(residentId))) {
                throw refused("A personal certificate is issued or changed only for the person it names.");
            }
            return;
        }
        throw refused("The seal service may not " + what + " of profile " + profile + ".");
    }

    private static String attribute(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] found = name.getRDNs(type);
        return found.length == 0 ? null : found[0].getFirst().getValue().toString();
    }

    private static RejectedException refused(String message) {
        return new RejectedException(Problem.ENROLMENT_NOT_PERMITTED, message);
    }
}
