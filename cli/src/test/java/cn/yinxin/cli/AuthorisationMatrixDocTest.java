package cn.yinxin.cli;

import cn.yinxin.testing.AuthorisationMatrix;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/security.md shows the authorisation matrix the tests check, not an older one. */
class AuthorisationMatrixDocTest {

    @Test
    void theSecurityDocumentHoldsTheMatrixAsTheTestsKnowIt() throws Exception {
        String doc = Files.readString(Path.of(System.getProperty("yinxin.root", "..")).resolve("docs/security.md"));
        assertThat(doc).as("docs/security.md: paste AuthorisationMatrix.load().markdown()")
                .contains(AuthorisationMatrix.load().markdown());
    }
}
