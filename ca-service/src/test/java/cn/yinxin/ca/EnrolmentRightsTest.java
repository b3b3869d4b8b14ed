package cn.yinxin.ca;

import cn.yinxin.keystores.SamplePki;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Separate service-client roles (issue 18): the licence service's client enrols and revokes nothing at the CA; the
 * seal service's client only for the person whose request it serves, whose token it relays (here: the development
 * headers X-Dev-On-Behalf-*): an agency seal's certificate for a seal administrator of that agency, a personal one for
 * that person. A stolen seal-service credential alone enrols for no agency. Each refusal is 403 and audited.
 */
class EnrolmentRightsTest extends CaTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A valid USCC of another agency (so a broken check would really issue its certificate). */
    private static final String OTHER_AGENCY = otherAgency();
    private static final String[] SEAL_SERVICE = {"X-Dev-Client", "yinxin-seal-service", "X-Dev-Roles", "seal-service-client"};
    private static final String[] LICENCE_SERVICE = {"X-Dev-Client", "yinxin-licence-service",
            "X-Dev-Roles", "licence-service-client"};

    @Test
    void theLicenceServicesClientEnrolsAndRevokesNothing() throws Exception {
        assertProblem(enrol("AGENCY_SEAL", agency(SamplePki.AGENCY_CODE), LICENCE_SERVICE), 403, "access-denied");
        String serial = issuedForAgency();
        assertProblem(revoke(serial, LICENCE_SERVICE), 403, "access-denied");
    }

    @Test
    void theSealServiceAloneEnrolsForNoAgencyAndTheRefusalIsAudited() throws Exception {
        long refused = audited("certificate refused");
        long issued = audited("certificate issued");
        var alone = enrol("AGENCY_SEAL", agency(SamplePki.AGENCY_CODE), SEAL_SERVICE);
        assertProblem(alone, 403, "enrolment-not-permitted");
        assertThat(alone.body()).contains("only for the person who asked it to");
        assertThat(audited("certificate refused")).isEqualTo(refused + 1);
        assertThat(audited("certificate issued")).isEqualTo(issued);
        var entry = jdbc.sql("SELECT actor, subject FROM audit_event WHERE action = 'certificate refused' ORDER BY id DESC "
                + "LIMIT 1").query().singleRow();
        assertThat((String) entry.get("actor")).startsWith("development:yinxin-seal-service/");
        assertThat((String) entry.get("subject")).isEqualTo("enrolment AGENCY_SEAL");
    }

    @Test
    void theSealServiceEnrolsForASealAdministratorOfThatAgencyOnly() throws Exception {
        String[] forAdminOfSample = with(SEAL_SERVICE, "X-Dev-On-Behalf-Roles", "seal-admin",
                "X-Dev-On-Behalf-Office", SamplePki.AGENCY_CODE);
        assertThat(enrol("AGENCY_SEAL", agency(SamplePki.AGENCY_CODE), forAdminOfSample).statusCode()).isEqualTo(201);
        // the same administrator's request for another agency's seal: the subject's USCC is not their office's
        var other = enrol("AGENCY_SEAL", agency(OTHER_AGENCY), forAdminOfSample);
        assertProblem(other, 403, "enrolment-not-permitted");
        assertThat(other.body()).contains(OTHER_AGENCY);
        // a person of that office who is no seal administrator
        assertProblem(enrol("AGENCY_SEAL", agency(SamplePki.AGENCY_CODE), with(SEAL_SERVICE,
                "X-Dev-On-Behalf-Roles", "officer", "X-Dev-On-Behalf-Office", SamplePki.AGENCY_CODE)), 403,
                "enrolment-not-permitted");
    }

    @Test
    void aPersonalCertificateIsIssuedOnlyForThePersonItNames() throws Exception {
        String person = "{\"name\":\"张三\",\"residentId\":\"11010519491231002X\"}";
        assertThat(enrol("PERSONAL", person, with(SEAL_SERVICE, "X-Dev-On-Behalf-Roles", "citizen",
                "X-Dev-On-Behalf-Person-Id", "11010519491231002X")).statusCode()).isEqualTo(201);
        assertProblem(enrol("PERSONAL", person, with(SEAL_SERVICE, "X-Dev-On-Behalf-Roles", "citizen",
                "X-Dev-On-Behalf-Person-Id", "110105194912310038")), 403, "enrolment-not-permitted");
    }

    @Test
    void theSealServiceSuspendsAndRevokesOnlyItsPersonsAgencysCertificates() throws Exception {
        String serial = issuedForAgency();
        assertProblem(revoke(serial, SEAL_SERVICE), 403, "enrolment-not-permitted");
        assertProblem(revoke(serial, with(SEAL_SERVICE, "X-Dev-On-Behalf-Roles", "seal-admin",
                "X-Dev-On-Behalf-Office", OTHER_AGENCY)), 403, "enrolment-not-permitted");
        var revoked = revoke(serial, with(SEAL_SERVICE, "X-Dev-On-Behalf-Roles", "seal-admin",
                "X-Dev-On-Behalf-Office", SamplePki.AGENCY_CODE));
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(revoked.body()).path("status").asString()).isEqualTo("ON_HOLD");
    }

    /** A seal certificate of the sample agency, issued by a CA administrator (the development login's default). */
    private String issuedForAgency() throws Exception {
        var issued = enrol("AGENCY_SEAL", agency(SamplePki.AGENCY_CODE));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return JSON.readTree(issued.body()).path("serial").asString();
    }

    private static String otherAgency() {
        String organisation = "MB000025";
        String first17 = "11430000" + organisation + cn.yinxin.core.licence.Uscc.organisationCheck(organisation);
        return first17 + cn.yinxin.core.licence.Uscc.checkCharacter(first17);
    }

    private static String agency(String code) {
        return "{\"sealName\":\"测试局专用章\",\"agency\":\"测试局\",\"agencyCode\":\"" + code + "\"}";
    }

    private HttpResponse<String> enrol(String profile, String subject, String... headers) throws Exception {
        String body = "{\"profile\":\"" + profile + "\",\"csr\":" + JSON.writeValueAsString(csr()) + ",\"subject\":"
                + subject + "}";
        var request = HttpRequest.newBuilder(URI.create(URL + "/api/v1/enrolments")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> revoke(String serial, String... headers) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(URL + "/api/v1/certificates/seal-ca/" + serial + "/revocation"))
                .header("Content-Type", "application/json").headers(headers)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("reason", "certificateHold"))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String[] with(String[] headers, String... more) {
        List<String> all = new ArrayList<>(List.of(headers));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static String csr() throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = generator.generateKeyPair();
        var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), pair.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        StringWriter out = new StringWriter();
        try (var pem = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
            pem.writeObject(csr);
        }
        return out.toString();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String problem) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("urn:yinxin:problem:" + problem);
    }
}
