package cn.yinxin.core.pki.ca;

import cn.yinxin.core.pki.keys.Pkcs12Vault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The ceremony dates its certificates by the clock it is given, not by the machine's. */
class KeyCeremonyClockTest {

    @TempDir
    Path dir;

    @Test
    void certificatesStartFiveMinutesBeforeTheGivenClocksSecond() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2021-03-04T05:06:07.890Z"), ZoneOffset.UTC);
        CaHierarchy hierarchy = KeyCeremony.run(new Pkcs12Vault(dir.resolve("ca.p12"), "pw".toCharArray()),
                KeyCeremony.Plan.development("http://ca.example", "http://ocsp.example"), step -> { }, clock);

        Instant expected = Instant.parse("2021-03-04T05:01:07Z");
        assertThat(hierarchy.root().certificate().getNotBefore().toInstant()).isEqualTo(expected);
        assertThat(hierarchy.sealCa().certificate().getNotBefore().toInstant()).isEqualTo(expected);
        assertThat(KeyCeremony.withTrustListPurpose(hierarchy, "http://ca.example", "http://ocsp.example", clock))
                .isSameAs(hierarchy.trustListSigner());
    }
}
