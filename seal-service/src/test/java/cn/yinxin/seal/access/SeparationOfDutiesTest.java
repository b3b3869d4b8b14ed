package cn.yinxin.seal.access;

import cn.yinxin.service.security.Roles;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 三权分立 in the sample realm (keystores-sample/keycloak/yinxin-realm.json): no account, person or service account,
 * holds roles of two of the duties seal administration, seal use and audit reading; and the seal service's routes give
 * the auditor the audit trail and nothing else, and take it from the administrators and the seal's users.
 */
class SeparationOfDutiesTest {

    private static final List<Set<String>> DUTIES = List.of(Roles.SEAL_ADMINISTRATION, Roles.SEAL_USE, Roles.AUDIT_READING);

    @Test
    void noAccountOfTheSampleRealmHoldsTwoDuties() throws Exception {
        JsonNode realm = JsonMapper.builder().build().readTree(
                Files.readString(Path.of("../keystores-sample/keycloak/yinxin-realm.json")));
        List<String> combined = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (JsonNode user : realm.path("users")) {
            List<String> roles = new ArrayList<>();
            user.path("realmRoles").forEach(r -> roles.add(r.asString()));
            long duties = DUTIES.stream().filter(duty -> roles.stream().anyMatch(duty::contains)).count();
            if (duties > 1) {
                combined.add(user.path("username").asString() + " " + roles);
            }
            seen.add(user.path("username").asString());
        }
        assertThat(seen).contains("sealadmin", "sealadmin-b", "auditor", "service-account-approval-system-a");
        assertThat(combined).as("accounts holding two of the separated duties").isEmpty();
        // the realm defines the auditor role
        assertThat(realm.path("roles").path("realm").toString()).contains("\"" + Roles.AUDITOR + "\"");
    }

    /**
     * What certificates and scopes are made from is the realm administrator's to set, never the user's own: a citizen
     * who renamed themselves in the account console got a personal certificate in another person's name (red team
     * of issue 18).
     */
    @Test
    void onlyTheRealmAdministratorEditsTheNamesAndNumbersCertificatesAndScopesAreMadeFrom() throws Exception {
        JsonNode realm = JsonMapper.builder().build().readTree(
                Files.readString(Path.of("../keystores-sample/keycloak/yinxin-realm.json")));
        JsonNode profile = null;
        for (JsonNode kind : realm.path("components")) {
            for (JsonNode component : kind) {
                JsonNode config = component.path("config").path("kc.user.profile.config");
                if (config.isArray() && !config.isEmpty()) {
                    profile = JsonMapper.builder().build().readTree(config.get(0).asString());
                }
            }
        }
        assertThat(profile).as("the realm's user profile").isNotNull();
        List<String> userEditable = new ArrayList<>();
        for (JsonNode attribute : profile.path("attributes")) {
            attribute.path("permissions").path("edit").forEach(who -> {
                if (!"admin".equals(who.asString())) {
                    userEditable.add(attribute.path("name").asString());
                }
            });
        }
        assertThat(userEditable).doesNotContain("firstName", "lastName", "username", "resident_id", "uscc",
                "office_uscc");
    }

    @Test
    void theAuditTrailIsTheAuditorsAndOnlyTheAuditorsRouteIsTheTrail() {
        var rules = new AccessRules().sealServiceRoutes();
        assertThat(rules.ruleFor(org.springframework.http.HttpMethod.GET, "/api/v1/seals/x/audit").roles())
                .isEqualTo(Set.of(Roles.AUDITOR));
        assertThat(rules.list()).filteredOn(r -> r.roles().contains(Roles.AUDITOR)).extracting(Object::toString)
                .containsExactly("GET /api/v1/seals/{id}/audit -> roles [auditor]");
    }
}
