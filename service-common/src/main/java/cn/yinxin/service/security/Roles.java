package cn.yinxin.service.security;

import java.util.Set;

/**
 * The realm roles of Yinxin's Keycloak realm (keystores-sample/keycloak/yinxin-realm.json). People hold the first
 * five; approval systems hold {@link #APPROVAL_SYSTEM} (which seals a system may use is data on each seal). Each of our
 * own services' clients holds a role of its own, so that one service's credential does only that service's calls: the
 * seal service's enrols and revokes seal and personal certificates at the CA ({@link #SEAL_SERVICE_CLIENT}), the
 * licence service's stamps licences and has licence codes and status lists signed ({@link #LICENCE_SERVICE_CLIENT}),
 * the CA's calls nothing today ({@link #CA_SERVICE_CLIENT}). The verifier faces the internet, so it holds only
 * {@link #REPORT_SEALER}, which stamps with a verification-report seal and nothing else.
 */
public final class Roles {

    public static final String SEAL_ADMIN = "seal-admin";
    public static final String CA_ADMIN = "ca-admin";
    public static final String LICENCE_ISSUER = "licence-issuer";
    public static final String OFFICER = "officer";
    public static final String CITIZEN = "citizen";
    public static final String APPROVAL_SYSTEM = "approval-system";
    /** The seal service's client: enrols, suspends and revokes at the CA, for the seals and signatures it records. */
    public static final String SEAL_SERVICE_CLIENT = "seal-service-client";
    /** The licence service's client: stamps licence PDFs and has licence codes, presentations and status lists signed. */
    public static final String LICENCE_SERVICE_CLIENT = "licence-service-client";
    /** The CA's client: no route grants it anything today (the CA calls no other service). */
    public static final String CA_SERVICE_CLIENT = "ca-service-client";
    /** The verifier's one right: have its verification reports sealed (seal service, verification-report seals only). */
    public static final String REPORT_SEALER = "report-sealer";
    /**
     * Reads audit trails and nothing else (三权分立: whoever administers seals or uses them does not also read the record
     * of it, and the reader can change nothing). Province-wide: the audit office oversees every agency's seals.
     */
    public static final String AUDITOR = "auditor";

    /**
     * Reads the services' metrics (GET /actuator/prometheus, the verifier's GET /metrics) and nothing else: the
     * Prometheus scraper's client ({@code yinxin-monitoring} in the sample realm). Metrics name no person and no
     * document, but they tell how busy each seal and service is, so they are not public.
     */
    public static final String MONITORING = "monitoring";

    public static final Set<String> ALL = Set.of(SEAL_ADMIN, CA_ADMIN, LICENCE_ISSUER, OFFICER, CITIZEN,
            APPROVAL_SYSTEM, SEAL_SERVICE_CLIENT, LICENCE_SERVICE_CLIENT, CA_SERVICE_CLIENT, REPORT_SEALER, AUDITOR,
            MONITORING);

    /**
     * The three separated duties (三权分立): administering seals, using seals, reading the audit trail. No account holds
     * roles of two of them (the sample realm is checked by a test); the routes give each duty's roles only its own
     * work. The seal service's client administers (it enrols and revokes at the CA on a seal admin's behalf); the
     * licence service's client and the verifier use seals.
     */
    public static final Set<String> SEAL_ADMINISTRATION = Set.of(SEAL_ADMIN, SEAL_SERVICE_CLIENT);
    public static final Set<String> SEAL_USE = Set.of(APPROVAL_SYSTEM, LICENCE_SERVICE_CLIENT, REPORT_SEALER);
    public static final Set<String> AUDIT_READING = Set.of(AUDITOR);

    private Roles() {
    }
}
