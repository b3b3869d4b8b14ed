package cn.yinxin.licence;

import cn.yinxin.core.licence.ResidentId;
import cn.yinxin.licence.types.SampleTypes;
import cn.yinxin.testing.LicenceServiceProcess;
import cn.yinxin.testing.SealServiceExtension;
import cn.yinxin.testing.TestDatabase;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bulk conversion (存量证照电子化) with real processes: this JVM's licence service only takes the uploads
 * (no workers); two more licence-service processes on the same database work the job; one is killed (kill -9)
 * midway and another started, and at the end every valid row has exactly one licence and every bad row is
 * reported with its line number.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "yinxin.licence.import.workers=0")
@cn.yinxin.testing.Slow("the licence service (Spring Boot and worker processes), a seal service process, an embedded PostgreSQL")
class BulkImportTest {

    private static final String DATABASE = "licence_imports";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final TestTsa tsa = tsa();
    @RegisterExtension
    static final SealServiceExtension seals = new SealServiceExtension("seal_for_imports", revocation.keystores(),
            tsa.url());
    private static final Map<String, String> WORKER_SETTINGS = Map.of("yinxin.licence.import.workers", "2",
            "yinxin.licence.import.batch-size", "3", "yinxin.licence.import.lease", "PT8S",
            "yinxin.licence.import.poll", "PT0.2S");
    private static final List<LicenceServiceProcess> workers = new ArrayList<>();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl(DATABASE));
        registry.add("yinxin.licence.seal-service-url", seals::url);
    }

    @AfterAll
    static void stop() {
        workers.forEach(LicenceServiceProcess::close);
        tsa.close();
        revocation.close();
    }

    private static TestTsa tsa() {
        try {
            return new TestTsa(revocation.hierarchy().tsa());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWorkerKilledMidwayLosesNoRowAndDuplicatesNone() throws Exception {
        String batch = UUID.randomUUID().toString().substring(0, 6);
        StringBuilder csv = new StringBuilder("holderKind,holderName,holderNumber,physicalNumber,validUntil,vehicleClass,"
                + "sex,birthDate,address,firstIssued\n");
        Map<Integer, String> valid = new LinkedHashMap<>();   // line -> physical number
        Map<Integer, String> bad = new LinkedHashMap<>();     // line -> what the error must say
        int line = 1;
        for (int i = 0; i < 60; i++) {
            line++;
            String physical = "DP-" + batch + "-" + i;
            String id = residentId(i);
            String address = "\"北京市东城区, 某路" + i + "号\"";   // a quoted value with a comma
            String row = "PERSON,持证人" + i + "," + id + "," + physical + ",2031-06-30,C1,男," + birth(i) + "," + address + ",2010-03-15";
            switch (i % 10) {
                case 3 -> {
                    row = row.replace(id, id.substring(0, 17) + (id.charAt(17) == '0' ? '1' : '0'));
                    bad.put(line, "resident ID");
                }
                case 5 -> {
                    row = "PERSON,," + id + "," + physical + ",2031-06-30,C1,男," + birth(i) + "," + address + ",2010-03-15";
                    bad.put(line, "missing holderName");
                }
                case 7 -> {
                    row = row.substring(0, row.lastIndexOf(',') + 1);   // firstIssued (required by the schema) empty
                    bad.put(line, "firstIssued");
                }
                default -> {
                    if (i == 8) {
                        row = row.replace(",C1,", ",Z9,");   // not in the schema's enum
                        bad.put(line, "vehicleClass");
                    } else if (i == 18) {
                        row = row.replace("2031-06-30", "2031-13-01");
                        bad.put(line, "validUntil");
                    } else if (i == 28) {
                        row = row + ",surplus";
                        bad.put(line, "values");
                    } else {
                        valid.put(line, physical);
                    }
                }
            }
            csv.append(row).append('\n');
        }
        // a line repeated: the same licence again, reported, not issued twice
        int firstValid = valid.keySet().iterator().next();
        String[] lines = csv.toString().split("\n");
        csv.append(lines[firstValid - 1]).append('\n');
        bad.put(++line, "line " + firstValid);

        // only these two work the job until one is killed: a worker another test left running stops first
        workers.forEach(LicenceServiceProcess::close);
        workers.clear();
        // both worker processes up before the job exists, so that they share it from the first row
        LicenceServiceProcess a = LicenceServiceProcess.start(DATABASE, seals.url(), WORKER_SETTINGS);
        workers.add(a);
        LicenceServiceProcess b = LicenceServiceProcess.start(DATABASE, seals.url(), WORKER_SETTINGS);
        workers.add(b);
        long before = licences();
        var created = post("/api/v1/imports?type=" + SampleTypes.DRIVING_PERMIT, "text/csv", csv.toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String job = JSON.readTree(created.body()).get("id").asString();
        assertThat(JSON.readTree(created.body()).get("total").asInt()).isEqualTo(61);
        awaitProgress(job, p -> p.get("done").asInt() >= 10, Duration.ofMinutes(4));
        a.kill();
        // the rows the killed process held: its transaction rolled back, they stay CLAIMED until the lease ends
        List<Integer> orphaned = jdbc.sql("SELECT line_no FROM import_row WHERE job_id = :j AND state = 'CLAIMED' "
                        + "AND claimed_by LIKE :who").param("j", UUID.fromString(job)).param("who", "%:" + a.pid() + ":%")
                .query(Integer.class).list();
        int doneByA = jdbc.sql("SELECT count(*) FROM import_row WHERE job_id = :j AND state <> 'CLAIMED' AND claimed_by LIKE :who")
                .param("j", UUID.fromString(job)).param("who", "%:" + a.pid() + ":%").query(Integer.class).single();
        assertThat(doneByA).as("the killed process had worked on rows").isPositive();
        workers.add(LicenceServiceProcess.start(DATABASE, seals.url(), WORKER_SETTINGS));

        JsonNode progress = awaitProgress(job, p -> "FINISHED".equals(p.get("status").asString()), Duration.ofMinutes(8));
        assertThat(progress.get("done").asInt()).isEqualTo(valid.size());
        assertThat(progress.get("failed").asInt()).isEqualTo(bad.size());

        // exactly one licence per valid row, none for a bad row
        assertThat(licences() - before).isEqualTo(valid.size());
        for (var entry : valid.entrySet()) {
            assertThat(jdbc.sql("SELECT count(*) FROM licence WHERE physical_number = :p").param("p", entry.getValue())
                    .query(Long.class).single()).as("line " + entry.getKey()).isEqualTo(1);
        }
        assertThat(jdbc.sql("SELECT count(DISTINCT licence_identifier) FROM import_row WHERE job_id = :j AND state = 'DONE'")
                .param("j", UUID.fromString(job)).query(Long.class).single()).isEqualTo(valid.size());
        // the rows the killed process held were taken over by the others
        for (int orphan : orphaned) {
            assertThat(jdbc.sql("SELECT claimed_by FROM import_row WHERE job_id = :j AND line_no = :l")
                    .param("j", UUID.fromString(job)).param("l", orphan).query(String.class).single())
                    .doesNotContain(":" + a.pid() + ":");
        }

        // every bad row reported with its line and why
        JsonNode errors = JSON.readTree(get("/api/v1/imports/" + job + "/errors").body());
        Map<Integer, String> reported = new HashMap<>();
        errors.forEach(e -> reported.put(e.get("line").asInt(), e.get("error").asString()));
        assertThat(reported.keySet()).containsExactlyInAnyOrderElementsOf(bad.keySet());
        bad.forEach((l, says) -> assertThat(reported.get(l)).as("line " + l).contains(says));
        System.out.println("Killed worker " + a.pid() + " after " + doneByA + " of 61 rows, holding " + orphaned.size()
                + " rows; errors: " + reported);
    }

    @Test
    void jsonLinesImportAndARerunIssuesNothingNew() throws Exception {
        String batch = UUID.randomUUID().toString().substring(0, 6);
        String good = """
                {"holder":{"kind":"ORGANISATION","name":"湖南某某餐饮管理有限公司","number":"91350100M000100Y43"},\
                "fields":{"companyType":"有限责任公司","legalRepresentative":"张三","registeredCapital":"100万元人民币",\
                "establishedOn":"2020-05-01","address":"河南省郑州市金水区某路1号","businessScope":"餐饮服务。"},\
                "physicalNumber":"BL-%s-%d","validFrom":"2020-05-01"}""";
        String file = good.formatted(batch, 1) + "\n" + good.formatted(batch, 2) + "\n\n"
                + good.formatted(batch, 3).replace("91350100M000100Y43", "91350100M000100Y40") + "\n"
                + "{not json\n";
        if (workers.stream().noneMatch(LicenceServiceProcess::isAlive)) {
            workers.add(LicenceServiceProcess.start(DATABASE, seals.url(), WORKER_SETTINGS));
        }
        long before = licences();
        String job = JSON.readTree(post("/api/v1/imports?type=" + SampleTypes.BUSINESS_LICENCE, "application/x-ndjson",
                file).body()).get("id").asString();
        JsonNode progress = awaitProgress(job, p -> "FINISHED".equals(p.get("status").asString()), Duration.ofMinutes(3));
        assertThat(progress.get("done").asInt()).isEqualTo(2);
        JsonNode errors = JSON.readTree(get("/api/v1/imports/" + job + "/errors").body());
        assertThat(errors.get(0).get("line").asInt()).isEqualTo(4);
        assertThat(errors.get(0).get("error").asString()).contains("Unified Social Credit Code");
        assertThat(errors.get(1).get("line").asInt()).isEqualTo(5);
        assertThat(licences() - before).isEqualTo(2);

        String again = JSON.readTree(post("/api/v1/imports?type=" + SampleTypes.BUSINESS_LICENCE, "application/x-ndjson",
                file).body()).get("id").asString();
        assertThat(awaitProgress(again, p -> "FINISHED".equals(p.get("status").asString()), Duration.ofMinutes(3))
                .get("done").asInt()).isEqualTo(2);
        assertThat(licences() - before).as("a rerun finds the licences issued").isEqualTo(2);
    }

    @Test
    void aBadHeaderOrTypeIsRefusedAtOnce() throws Exception {
        var unknownColumn = post("/api/v1/imports?type=" + SampleTypes.DRIVING_PERMIT, "text/csv",
                "holderName,holderNumber,physicalNumber,shoeSize\n张三,11010519491231002X,DP-1,42\n");
        assertThat(unknownColumn.statusCode()).isEqualTo(400);
        assertThat(unknownColumn.body()).contains("shoeSize");
        var noType = post("/api/v1/imports?type=11410000MB00001749999", "text/csv", "holderName\n");
        assertThat(noType.statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/imports/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
    }

    // ---- helpers

    interface Check {
        boolean test(JsonNode progress);
    }

    private JsonNode awaitProgress(String job, Check check, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        JsonNode progress = null;
        while (System.nanoTime() < end) {
            progress = JSON.readTree(get("/api/v1/imports/" + job).body());
            if (check.test(progress)) {
                return progress;
            }
            Thread.sleep(250); // the poll interval: the loop awaits the job's progress, up to the limit
        }
        StringBuilder logs = new StringBuilder();
        workers.forEach(w -> logs.append("\n---- worker ").append(w.pid()).append('\n').append(w.tail()));
        throw new AssertionError("import " + job + " did not get there within " + limit + ": " + progress + logs);
    }

    /** A valid resident ID number (GB 11643) for person i. */
    static String residentId(int i) {
        String body = "110105" + birth(i).replace("-", "") + String.format("%03d", 100 + i % 900);
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int k = 0; k < 17; k++) {
            sum += (body.charAt(k) - '0') * weights[k];
        }
        String id = body + "10X98765432".charAt(sum % 11);
        if (!ResidentId.isValid(id)) {
            throw new IllegalStateException(id);
        }
        return id;
    }

    private static String birth(int i) {
        return "19" + (60 + i % 40) + "-0" + (1 + i % 9) + "-1" + (i % 10);
    }

    private long licences() {
        return jdbc.sql("SELECT count(*) FROM licence").query(Long.class).single();
    }

    private HttpResponse<String> post(String path, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
