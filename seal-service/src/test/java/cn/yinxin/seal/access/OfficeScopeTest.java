package cn.yinxin.seal.access;

import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.OfficeScope;
import cn.yinxin.service.security.Roles;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who acts for which office ({@link OfficeScope#covers}): a signed-in caller for the office of its token only, and
 * without an office for none (fail closed); the development login without X-Dev-Office for every office.
 */
class OfficeScopeTest {

    private static final String A = "11410000MB00001749";
    private static final String B = "11410100MB00002542";

    @Test
    void aSignedInCallerActsForItsOwnOfficeOnly() {
        Caller sealAdminOfA = caller(A, false);
        assertThat(OfficeScope.covers(sealAdminOfA, A)).isTrue();
        assertThat(OfficeScope.covers(sealAdminOfA, A.toLowerCase())).isTrue();
        assertThat(OfficeScope.covers(sealAdminOfA, B)).isFalse();
        assertThat(OfficeScope.covers(sealAdminOfA, null)).as("an object of no office is nobody's").isFalse();
    }

    @Test
    void aTokenWithoutAnOfficeActsForNone() {
        assertThat(OfficeScope.covers(caller(null, false), A)).isFalse();
        assertThat(OfficeScope.covers(Caller.ANONYMOUS, A)).isFalse();
    }

    @Test
    void theDevelopmentLoginActsForEveryOfficeUnlessItNamesOne() {
        assertThat(OfficeScope.covers(caller(null, true), A)).isTrue();
        assertThat(OfficeScope.covers(caller(null, true), B)).isTrue();
        assertThat(OfficeScope.covers(caller(B, true), A)).isFalse();
    }

    private static Caller caller(String office, boolean development) {
        return new Caller("someone", "yinxin-cli", Set.of(Roles.SEAL_ADMIN), "印章管理员", null, null, office, development);
    }
}
