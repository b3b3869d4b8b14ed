package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.Providers;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The signed bytes' digest: the JDK's SHA-2 (the processor's SHA instructions), the same values as Bouncy Castle's. */
class DigestsTest {

    @Test
    void sha2ComesFromTheJdkAndGivesBouncyCastlesValues() throws Exception {
        byte[] data = new byte[150_001];
        new Random(17).nextBytes(data);
        for (String oid : Digests.SHA2) {
            MessageDigest digest = Digests.of(oid);
            assertThat(digest.getProvider().getName()).as(oid).isEqualTo("SUN");
            assertThat(digest.digest(data)).as(oid)
                    .isEqualTo(MessageDigest.getInstance(oid, Providers.bouncyCastle()).digest(data));
        }
    }

    @Test
    void otherAlgorithmsStayWithBouncyCastle() throws Exception {
        // SM3 (GB/T 32905), which the JDK does not have
        assertThat(Digests.of("1.2.156.10197.1.401").getProvider().getName()).isEqualTo("BC");
    }
}
