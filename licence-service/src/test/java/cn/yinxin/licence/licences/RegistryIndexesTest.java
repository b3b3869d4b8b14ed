package cn.yinxin.licence.licences;

import cn.yinxin.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The look-ups the licence service makes on every call are answered through an index, whatever the size of the
 * registry: PostgreSQL's plan of each query of {@link LicenceStore}, on the schema the migrations make, with
 * sequential scans priced out ({@code enable_seqscan = off}: a query with no usable index still plans a
 * sequential scan, so the test sees it on an empty table). The times at 10 million licences are in
 * RegistryBenchmark (docs/benchmarks.md); before V91 the public status check read the whole table on every call.
 */
@cn.yinxin.testing.Slow("an embedded PostgreSQL")
class RegistryIndexesTest {

    private static String url;

    @BeforeAll
    static void migrate() {
        url = TestDatabase.jdbcUrl("registry_indexes");
        Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:db/migration").load().migrate();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BY_IDENTIFIER", "SUCCESSOR", "OF_HOLDER", "ENDED_BEFORE"})
    void eachLookUpUsesAnIndex(String name) throws Exception {
        String sql = switch (name) {
            case "BY_IDENTIFIER" -> LicenceStore.BY_IDENTIFIER;
            case "SUCCESSOR" -> LicenceStore.SUCCESSOR;
            case "OF_HOLDER" -> LicenceStore.OF_HOLDER;
            default -> LicenceStore.ENDED_BEFORE;
        };
        String plan = String.join("\n", plan(sql
                .replace(":identifier", "'1.2.156.3005.2.x'")
                .replace(":id", "'00000000-0000-0000-0000-000000000001'::uuid")
                .replace(":n", "'410105199001010011'")
                .replace(":today", "DATE '2026-12-06'")
                .replace(":limit", "500")));
        assertThat(plan).as(name + ": " + sql).doesNotContain("Seq Scan").containsPattern("Index( Only)? Scan|Bitmap Index Scan");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BY_IDENTIFIER", "SUCCESSOR", "OF_HOLDER"})
    void noLookUpReadsThePdf(String name) {
        String sql = switch (name) {
            case "BY_IDENTIFIER" -> LicenceStore.BY_IDENTIFIER;
            case "SUCCESSOR" -> LicenceStore.SUCCESSOR;
            default -> LicenceStore.OF_HOLDER;
        };
        // which files a licence has is asked with IS NOT NULL, which PostgreSQL answers from the row's null bitmap
        // without fetching the (TOASTed) bytes; any other mention of the file columns would read them
        String withoutNullTests = sql.replaceAll("\\b(pdf|ofd) IS NOT NULL\\b", "");
        assertThat(withoutNullTests).doesNotContain("*").doesNotContainPattern("\\b(pdf|ofd)\\b");
    }

    private static List<String> plan(String sql) throws Exception {
        List<String> lines = new ArrayList<>();
        try (var connection = DriverManager.getConnection(url, "postgres", "postgres");
             var statement = connection.createStatement()) {
            statement.execute("SET enable_seqscan = off");
            try (var rows = statement.executeQuery("EXPLAIN " + sql)) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
        }
        return lines;
    }
}
