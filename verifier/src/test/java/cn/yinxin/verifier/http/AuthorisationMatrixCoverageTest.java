package cn.yinxin.verifier.http;

import cn.yinxin.testing.AuthorisationMatrix;
import org.junit.jupiter.api.Test;

import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route the verifier declares ({@link SignIn#RULES}; the verifier refuses to start with an undeclared one) has
 * a row in the authorisation matrix, and every verifier row is a route.
 */
class AuthorisationMatrixCoverageTest {

    @Test
    void everyRouteHasAMatrixRowAndEveryRowARoute() {
        assertThat(new TreeSet<>(SignIn.RULES.keySet())).as("verifier routes without a matrix row")
                .isEqualTo(AuthorisationMatrix.load().routes("verifier"));
    }
}
