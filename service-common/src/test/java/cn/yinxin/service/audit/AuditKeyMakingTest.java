package cn.yinxin.service.audit;

import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.SealKey;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances of a service started together on a fresh install (./yinxin up --instances=N) each find no audit key:
 * they must end up with one key, the one on disk and in the pin file, or the checkpoints signed by the others'
 * keys fail `audit verify` (seen: "the checkpoint for entry 2 is not signed by the service's audit key").
 */
class AuditKeyMakingTest {

    @TempDir
    Path dir;

    @RepeatedTest(5)
    void instancesMakingTheKeyAtOnceAllUseTheOneOnDisk() throws Exception {
        Path file = dir.resolve("audit").resolve("licence-service.p12");
        int instances = 6;
        CyclicBarrier together = new CyclicBarrier(instances);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        List<Future<SealKey>> made = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            made.add(pool.submit(() -> {
                together.await();
                return AuditCheckpoints.loadOrMake(file, "secret".toCharArray(), "licence-service", java.time.Clock.systemUTC());
            }));
        }
        List<String> certificates = new ArrayList<>();
        for (Future<SealKey> key : made) {
            certificates.add(Pem.encode(key.get().certificate()));
        }
        pool.shutdown();
        String onDisk = Pem.encode(AuditCheckpoints.loadOrMake(file, "secret".toCharArray(), "licence-service", java.time.Clock.systemUTC()).certificate());
        assertThat(certificates).containsOnly(onDisk);
        assertThat(Files.readString(dir.resolve("audit").resolve("licence-service.pem"))).isEqualTo(onDisk);
        try (var left = Files.list(file.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("licence-service.p12",
                    "licence-service.pem");
        }
    }
}
