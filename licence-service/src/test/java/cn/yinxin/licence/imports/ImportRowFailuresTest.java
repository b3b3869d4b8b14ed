package cn.yinxin.licence.imports;

import cn.yinxin.licence.types.SampleTypes;
import cn.yinxin.testing.SealServiceExtension;
import cn.yinxin.testing.TestDatabase;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk import row that fails for its own reason fails at once: it is not put back as if the seal service or the
 * database were down, so its licence PDF is sealed at most once, not once per try. The seal service's signing
 * records name the import row as their source, which is how the stamps of one row are counted here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "yinxin.licence.import.workers=1", "yinxin.licence.import.batch-size=2",
        "yinxin.licence.import.poll=PT0.1S", "yinxin.licence.import.lease=PT30S"})
@cn.yinxin.testing.Slow("the licence service (Spring Boot), a seal service process, an embedded PostgreSQL")
class ImportRowFailuresTest {

    private static final String SEAL_DATABASE = "seal_for_import_failures";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final TestTsa tsa = tsa();
    @RegisterExtension
    static final SealServiceExtension seals = new SealServiceExtension(SEAL_DATABASE, revocation.keystores(),
            tsa.url());

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("licence_import_failures"));
        registry.add("yinxin.licence.seal-service-url", seals::url);
    }

    @AfterAll
    static void stop() {
        tsa.close();
        revocation.close();
    }

    /**
     * A claim reads the open rows only: it walked the primary key past every row already done, which made a
     * 100,000-row import slow down as it went (V95). 20,000 rows done, then 20,000 pending: the claim visits none of
     * the done ones. In a temporary copy of import_row with the same indexes (this service's workers would take the
     * pending rows of the real one), which the claim's SQL finds first on its connection; rolled back.
     */
    @Test
    void aClaimDoesNotWalkTheRowsAlreadyDone() {
        String plan = new TransactionTemplate(transactions).execute(status -> {
            status.setRollbackOnly();
            jdbc.sql("CREATE TEMPORARY TABLE import_row (LIKE public.import_row INCLUDING ALL) ON COMMIT DROP").update();
            jdbc.sql("""
                    INSERT INTO pg_temp.import_row (job_id, line_no, raw, state)
                    SELECT :id, n, 'row', CASE WHEN n <= 20000 THEN 'DONE' ELSE 'PENDING' END
                    FROM generate_series(1, 40000) n""").param("id", UUID.randomUUID()).update();
            jdbc.sql("ANALYZE pg_temp.import_row").update();
            return String.join("\n", jdbc.sql("EXPLAIN (ANALYZE) " + ImportJobs.CLAIM)
                    .param("worker", "test").param("lease", 30.0).param("batch", 2).query(String.class).list());
        });
        // the temporary copy's indexes have names of their own: the real table's would name import_row_open_in_order
        assertThat(plan).contains("actual time").doesNotContain("import_row_open_in_order");
        Matcher removed = Pattern.compile("Rows Removed by Filter: (\\d+)").matcher(plan);
        long visited = 0;
        while (removed.find()) {
            visited += Long.parseLong(removed.group(1));
        }
        assertThat(visited).as(plan).isLessThan(100);
    }

    @Test
    void aRowTheDatabaseRefusesAfterSealingFailsAtOnceAndIsSealedOnce() throws Exception {
        // a rule of this registry the row breaks only when its licence is stored, after the PDF was sealed (as a
        // value the database cannot hold would)
        jdbc.sql("ALTER TABLE licence ADD CONSTRAINT test_no_withdrawn_numbers CHECK (physical_number NOT LIKE 'WD-%')")
                .update();
        try {
            String batch = UUID.randomUUID().toString().substring(0, 6);
            String csv = "holderKind,holderName,holderNumber,physicalNumber,validUntil,vehicleClass,sex,birthDate,"
                    + "address,firstIssued\n"
                    + "PERSON,持证人甲,11010519491231002X,DP-" + batch + ",2031-06-30,C1,男,1949-12-31,北京市东城区某路1号,2010-03-15\n"
                    + "PERSON,持证人乙,110105194912310038,WD-" + batch + ",2031-06-30,C1,男,1949-12-31,北京市东城区某路2号,2010-03-15\n";
            var created = http.send(HttpRequest.newBuilder(uri("/api/v1/imports?type=" + SampleTypes.DRIVING_PERMIT))
                    .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            UUID job = UUID.fromString(JSON.readTree(created.body()).get("id").asString());

            JsonNode progress = awaitFinished(job, Duration.ofMinutes(2));
            assertThat(progress.get("done").asInt()).isEqualTo(1);
            assertThat(progress.get("failed").asInt()).isEqualTo(1);
            // failed at the first try, not put back as an outage
            assertThat(jdbc.sql("SELECT attempts FROM import_row WHERE job_id = :j AND line_no = 3").param("j", job)
                    .query(Integer.class).single()).isEqualTo(1);
            assertThat(jdbc.sql("SELECT error FROM import_row WHERE job_id = :j AND line_no = 3").param("j", job)
                    .query(String.class).single()).doesNotStartWith("will try again")
                    .contains("test_no_withdrawn_numbers").doesNotContain("110105194912310038");

            // the sample type issues two files, the PDF and the OFD: each sealed once
            assertThat(stampsOf(job, 2)).as("the good row's licence, each file sealed once").isEqualTo(2);
            // sealed once (the database refused it after sealing), not once per try
            assertThat(stampsOf(job, 3)).as("the refused row, each file sealed at most once").isEqualTo(2);
        } finally {
            jdbc.sql("ALTER TABLE licence DROP CONSTRAINT test_no_withdrawn_numbers").update();
        }
    }

    @Test
    void aFileWhoseQuoteDoesNotCloseIsRefusedBeforeAnyRowIsTaken() throws Exception {
        String csv = "holderName,holderNumber,physicalNumber\n"
                + "持证人甲,11010519491231002X,\"DP-open\n"
                + "持证人乙,110105194912310038,DP-2\n";
        var refused = http.send(HttpRequest.newBuilder(uri("/api/v1/imports?type=" + SampleTypes.DRIVING_PERMIT))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("urn:yinxin:problem:invalid-request").contains("not CSV");
    }

    /** The seal service's stamps whose signing record names this import row as their source. */
    private static long stampsOf(UUID job, int line) throws Exception {
        try (var connection = DriverManager.getConnection(TestDatabase.jdbcUrl(SEAL_DATABASE));
             var statement = connection.prepareStatement("SELECT count(*) FROM audit_event WHERE action = 'stamp' "
                     + "AND details LIKE ?")) {
            statement.setString(1, "% source=api:licence-service:bulk-import:" + job + "/" + line + " %");
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private JsonNode awaitFinished(UUID job, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        JsonNode progress = null;
        while (System.nanoTime() < end) {
            progress = JSON.readTree(http.send(HttpRequest.newBuilder(uri("/api/v1/imports/" + job)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if ("FINISHED".equals(progress.path("status").asString())) {
                return progress;
            }
            Thread.sleep(200); // the poll interval: the loop awaits the job's end, up to the limit
        }
        throw new AssertionError("import " + job + " did not finish within " + limit + ": " + progress + "; rows: "
                + jdbc.sql("SELECT line_no, state, attempts, error FROM import_row WHERE job_id = :j").param("j", job)
                .query().listOfRows());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static TestTsa tsa() {
        try {
            return new TestTsa(revocation.hierarchy().tsa());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
