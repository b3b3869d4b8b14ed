package cn.yinxin.licence.status;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@link ListVersions} in the status_list_version table (V92). */
@Component
public class DatabaseListVersions implements ListVersions {

    private final JdbcClient jdbc;

    public DatabaseListVersions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long current(String issuerCode, String typeCode) {
        return jdbc.sql("SELECT version FROM status_list_version WHERE issuer_code = :i AND type_code = :t")
                .param("i", issuerCode).param("t", typeCode).query(Long.class).optional().orElse(0L);
    }

    /** The row stays locked until the change commits: two changes of one list are counted one after the other. */
    @Override
    public void bump(String issuerCode, String typeCode) {
        jdbc.sql("""
                INSERT INTO status_list_version (issuer_code, type_code, version) VALUES (:i, :t, 1)
                ON CONFLICT (issuer_code, type_code) DO UPDATE SET version = status_list_version.version + 1""")
                .param("i", issuerCode).param("t", typeCode).update();
    }
}
