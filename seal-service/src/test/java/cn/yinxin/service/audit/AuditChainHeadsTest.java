package cn.yinxin.service.audit;

import cn.yinxin.core.audit.AuditChain;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.seal.SealServiceApplication;
import cn.yinxin.testing.SampleKeystores;
import cn.yinxin.testing.TestDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How PostgreSQL reads the chains' heads on a large log (the 1,000,000-row conversion's stall, 2026-12-07): the
 * checkpoint's read of every chain's head and the append's read of one chain's must each touch a few index pages,
 * not walk the log. The evidence is the plan's buffer count (EXPLAIN ANALYZE, BUFFERS), which does not depend on
 * the machine's speed: with the old {@code chain = c ORDER BY id DESC} the checkpoint walked all 200,000 entries
 * backwards once for each unused chain.
 */
@SpringBootTest(classes = SealServiceApplication.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@cn.yinxin.testing.Slow("the seal service (Spring Boot) on an embedded PostgreSQL, 200,000 audit entries")
class AuditChainHeadsTest {

    private static final Path keystores = SampleKeystores.fresh();
    /** The log's entries added, all in chain 0 (the service's start wrote a few more): most chains are never used. */
    private static final int ENTRIES = 200_000;
    /** Far above the index pages a head read touches (a few), far below a walk of the log (thousands). */
    private static final long MAX_BUFFERS = 1_000;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("audit_chain_heads"));
        registry.add("yinxin.seals.import-dir", () -> keystores.resolve("seals").toString());
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.keystore.path", () -> keystores.resolve("seal-service/keys.p12").toString());
    }

    @BeforeAll
    void aLargeLogInOneChain() {
        // hashes that do not chain: only the plans are read here, never the chain
        jdbc.sql("""
                INSERT INTO audit_event (id, at, actor, action, subject, details, prev_hash, hash, chain)
                SELECT nextval(pg_get_serial_sequence('audit_event', 'id')), now(), 'tester', 'test.volume', 'x' || g,
                       '', sha256(int4send(g - 1)), sha256(int4send(g)), 0
                FROM generate_series(1, :n) g""").param("n", ENTRIES).update();
        jdbc.sql("ANALYZE audit_event").update();
    }

    @Test
    void theCheckpointReadsEveryChainsHeadFromTheIndex() throws Exception {
        JsonNode plan = explain(AuditCheckpoints.HEADS.replace(":last", Integer.toString(AuditChain.MAX_CHAINS - 1)));
        long used = jdbc.sql("SELECT count(DISTINCT chain) FROM audit_event").query(Long.class).single();
        assertThat(plan.path("Actual Rows").asLong()).as("one head for each chain used").isEqualTo(used);
        assertThat(buffers(plan)).as("buffers read for %d chains' heads", AuditChain.MAX_CHAINS)
                .isLessThan(MAX_BUFFERS);
    }

    @Test
    void anAppendToAChainNeverUsedReadsItsHeadFromTheIndex() throws Exception {
        JsonNode plan = explain(AuditLog.NEXT.replace(":chain", "5"));
        assertThat(buffers(plan)).as("buffers read for a new chain's head").isLessThan(MAX_BUFFERS);
    }

    @Test
    void anAppendToTheLongChainReadsItsLastEntry() throws Exception {
        byte[] head = jdbc.sql("SELECT h.hash FROM (" + AuditLog.CHAIN_HEAD.formatted("0") + ") h")
                .query(byte[].class).single();
        byte[] last = jdbc.sql("SELECT hash FROM audit_event WHERE chain = 0 ORDER BY id DESC LIMIT 1")
                .query(byte[].class).single();
        assertThat(head).isEqualTo(last);
        assertThat(buffers(explain(AuditLog.NEXT.replace(":chain", "0")))).isLessThan(MAX_BUFFERS);
    }

    private JsonNode explain(String sql) throws Exception {
        String json = jdbc.sql("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql).query(String.class).single();
        return JsonMapper.shared().readTree(json).get(0).get("Plan");
    }

    /** Shared buffers hit and read by the whole plan (the top node counts its children's). */
    private static long buffers(JsonNode plan) {
        return plan.path("Shared Hit Blocks").asLong() + plan.path("Shared Read Blocks").asLong();
    }
}
