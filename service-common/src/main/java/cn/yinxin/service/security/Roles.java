package cn.yinxin.service.security;

import java.util.Set;

/**
 * The realm roles of Yinxin's Keycloak realm (keystores-sample/keycloak/yinxin-realm.json). People hold the first
 * five; approval systems hold {@link #APPROVAL_SYSTEM} (which seals a system may use is data on each seal); our own
 * services hold {@link #SERVICE} for the calls they make to each other, except the verifier: it faces the internet, so
 * it holds only {@link #REPORT_SEALER}, which stamps with a verification-report seal and nothing else.
 */
public final class Roles {

    public static final String SEAL_ADMIN = "seal-admin";
    public static final String CA_ADMIN = "ca-admin";
    public static final String LICENCE_ISSUER = "licence-issuer";
    public static final String OFFICER = "officer";
    public static final String CITIZEN = "citizen";
    public static final String APPROVAL_SYSTEM = "approval-system";
    public static final String SERVICE = "yinxin-service";
    /** The verifier's one right: have its verification reports sealed (seal service, verification-report seals only). */
    public static final String REPORT_SEALER = "report-sealer";
    /**
     * Reads audit trails and nothing else (三权分立: whoever administers seals or uses them does not also read the record
     * of it, and the reader can change nothing). Province-wide: the audit office oversees every agency's seals.
     */
    public static final String AUDITOR = "auditor";

    public static final Set<String> ALL = Set.of(SEAL_ADMIN, CA_ADMIN, LICENCE_ISSUER, OFFICER, CITIZEN,
            APPROVAL_SYSTEM, SERVICE, REPORT_SEALER, AUDITOR);

    /**
     * The three separated duties (三权分立): administering seals, using seals, reading the audit trail. No account holds
     * roles of two of them (the sample realm is checked by a test); the routes give each duty's roles only its own
     * work. Adjust {@link #SEAL_USE} when a service client gets a role of its own.
     */
    public static final Set<String> SEAL_ADMINISTRATION = Set.of(SEAL_ADMIN);
    public static final Set<String> SEAL_USE = Set.of(APPROVAL_SYSTEM, SERVICE, REPORT_SEALER);
    public static final Set<String> AUDIT_READING = Set.of(AUDITOR);

    private Roles() {
    }
}
