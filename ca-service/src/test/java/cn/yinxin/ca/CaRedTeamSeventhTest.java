package cn.yinxin.ca;

import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.RawHttp;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seventh red team against the CA's enrolment, as a CA administrator (the development login): names the CA
 * certified as they were given. A NUL cut "公章\0(测试)" short in C-string tools (openssl, pdfsig) and PostgreSQL alike;
 * a right-to-left override showed an agency's name backwards; a zero-width space made two names that look alike; a
 * line break put a second line into every report that prints the name. Each is refused now (422 invalid-subject),
 * before any key is made or certificate issued.
 */
class CaRedTeamSeventhTest extends CaTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] CA_ADMIN = {"X-Dev-Roles", "ca-admin"};

    @Test
    void aNameWithACharacterNoReaderSeesAsTextIsNotCertified() throws Exception {
        long issued = audited("certificate issued");
        for (String hidden : new String[] {"\u0000", "\u202E", "\u200B", "\n", "\u2028", "\u0085", "\uFEFF"}) {
            var seal = enrol("AGENCY_SEAL", Map.of("sealName", "测试局专用章" + hidden + "(作废)", "agency", "测试局",
                    "agencyCode", SamplePki.AGENCY_CODE));
            assertThat(seal.statusCode()).as(seal.body()).isEqualTo(422);
            assertThat(seal.body()).contains("urn:yinxin:problem:invalid-subject");
            var agency = enrol("AGENCY_SEAL", Map.of("sealName", "测试局专用章", "agency", hidden + "局试测",
                    "agencyCode", SamplePki.AGENCY_CODE));
            assertThat(agency.statusCode()).as(agency.body()).isEqualTo(422);
            var person = enrol("PERSONAL", Map.of("name", "张" + hidden + "三", "residentId", "11010519491231002X"));
            assertThat(person.statusCode()).as(person.body()).isEqualTo(422);
        }
        assertThat(audited("certificate issued")).as("nothing certified").isEqualTo(issued);
        // the same names without the hidden characters are certified
        assertThat(enrol("PERSONAL", Map.of("name", "张三", "residentId", "11010519491231002X")).statusCode())
                .isEqualTo(201);
    }

    /** Anyone: an address the firewall refuses got Spring Boot's own error JSON (echoing the path), not a problem. */
    @Test
    void anAddressTheFirewallRefusesIsAProblemDocument() throws Exception {
        for (String path : new String[] {"/crl/..%2Fseal-ca.crl", "/api/v1/trust-list;x=1", "/crl//seal-ca.crl",
                "/crl/%2e%2e/seal-ca.crl"}) {
            var response = http.send(HttpRequest.newBuilder(URI.create(URL + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.body()).as(path).contains("urn:yinxin:problem:invalid-request");
        }
    }

    /**
     * Anyone: an address that normalises above the root is refused by Tomcat before any filter, with Tomcat's HTML
     * error page; now a problem document (ProblemReportValve), which does not echo the address.
     */
    @Test
    void anAddressAboveTheRootIsAProblemDocumentNotTomcatsPage() throws Exception {
        for (String target : new String[] {"/sign/..%2F..%2Fetc/passwd", "/../../etc/passwd", "/crl/..%2F..%2F..%2Fetc/passwd",
                "/api/v1/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/a%zz/etc/passwd", "/a{b}/etc/passwd"}) {
            RawHttp.Answer answer = RawHttp.get(PORT, target);
            assertThat(answer.status()).as(target + "\n" + answer.headers() + "\n" + answer.body()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(target).startsWith("application/problem+json");
            var problem = JSON.readTree(answer.body());
            assertThat(problem.get("type").asString()).as(target).isEqualTo("urn:yinxin:problem:invalid-request");
            assertThat(problem.get("status").asInt()).isEqualTo(400);
            assertThat(problem.get("title").asString()).isEqualTo("请求无效");
            assertThat(answer.body()).as(target).doesNotContain("passwd").doesNotContainIgnoringCase("<html");
        }
    }

    /**
     * The OCSP listener (its own port, Vert.x) listened on every interface unless server.address was given, also
     * under the development login; now on the loopback address there, like the main port (DevelopmentListener).
     */
    @Test
    void theDevelopmentLoginsOcspListenerIsNotReachableFromTheNetwork() throws Exception {
        InetAddress network = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst().orElse(null);
        Assumptions.assumeTrue(network != null, "this machine has no network address to try");
        try (Socket local = new Socket()) {
            local.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), OCSP_PORT), 2000);
        }
        try (Socket remote = new Socket()) {
            assertThatThrownBy(() -> remote.connect(new InetSocketAddress(network, OCSP_PORT), 2000))
                    .as("OCSP reached at " + network).isInstanceOf(ConnectException.class);
        }
    }

    private HttpResponse<String> enrol(String profile, Map<String, String> subject) throws Exception {
        String body = JSON.writeValueAsString(Map.of("profile", profile, "csr", csr(), "subject", subject));
        return http.send(HttpRequest.newBuilder(URI.create(URL + "/api/v1/enrolments"))
                .header("Content-Type", "application/json").headers(CA_ADMIN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
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
}
