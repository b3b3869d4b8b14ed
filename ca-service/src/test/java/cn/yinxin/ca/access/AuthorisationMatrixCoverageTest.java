package cn.yinxin.ca.access;

import cn.yinxin.testing.AuthorisationMatrix;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route rule of the ca service has a row in the authorisation matrix (test-support's authorisation-matrix.txt),
 * and the matrix has no row for a route the service does not have: a new route fails the build until someone writes
 * down who may call it. (The service itself refuses to start while a controller route has no rule.)
 */
class AuthorisationMatrixCoverageTest {

    @Test
    void everyRouteHasAMatrixRowAndEveryRowARoute() {
        Set<String> routes = new AccessRules().caServiceRoutes().list().stream().map(r -> r.method() + " " + r.pattern())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> rows = AuthorisationMatrix.load().routes("ca");
        assertThat(routes).hasSizeGreaterThan(10);
        assertThat(new TreeSet<>(routes)).as("routes of the ca service without a matrix row")
                .isEqualTo(rows);
    }
}
