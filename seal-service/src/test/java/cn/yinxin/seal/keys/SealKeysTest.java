package cn.yinxin.seal.keys;

import cn.yinxin.seal.SealsProperties;
import cn.yinxin.seal.registry.Seal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A seal key that cannot be opened is an operator's alarm: counted as yinxin.keystore.errors{operation=open}. */
class SealKeysTest {

    @Test
    void aKeyThatCannotBeOpenedIsCounted() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SealKeys keys = new SealKeys(new SealsProperties(null, null, null, null, null, List.of(), null), meters);
        Path notAKeyStore = Files.writeString(Files.createTempFile("seal", ".p12"), "not a PKCS#12 file");
        Path missing = notAKeyStore.resolveSibling("no-such-seal.p12");

        assertThatThrownBy(() -> keys.of(seal("broken", notAKeyStore))).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> keys.of(seal("gone", missing))).isInstanceOf(RuntimeException.class);
        assertThat(meters.get("yinxin.keystore.errors").tag("operation", "open").counter().count()).isEqualTo(2);
    }

    private static Seal seal(String id, Path keyFile) {
        return new Seal(id, "测试专用章", "测试机关", "11410000MB00001749", null, "png", new byte[0], 42, 42,
                null, keyFile.toString(), "seal-ca", "01", "CN=test", Instant.EPOCH, Instant.EPOCH, null, null, null,
                null, List.of(), "test", Instant.EPOCH);
    }
}
