package cn.yinxin.licence.operations;

import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A database error never carries a holder's data into a log: PostgreSQL's "Failing row contains (...)" detail would
 * repeat the row (name and resident ID number), and an unexpected failure is logged with its whole chain of causes
 * (ProblemHandler). The service's data source asks the driver to leave such details out
 * (logServerErrorDetail=false in application.properties).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@cn.yinxin.testing.Slow("the licence service (Spring Boot) on an embedded PostgreSQL")
class PersonalDataInErrorsTest {

    private static final String ID_NUMBER = "440106198703151238";
    private static final String NAME = "欧阳明远";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("licence_errors"));
        // nothing here calls the seal service
        registry.add("yinxin.licence.seal-service-url", () -> "http://localhost:9");
    }

    @Test
    void aConstraintBrokenByARowWithAHoldersDataDoesNotRepeatTheRowInTheError() {
        Throwable failure = catchThrowable(() -> transactions.executeWithoutResult(t -> {
            jdbc.sql("CREATE TEMP TABLE holder_row (name text, number text, required text NOT NULL) ON COMMIT DROP").update();
            jdbc.sql("INSERT INTO holder_row VALUES (:name, :number, NULL)").param("name", NAME).param("number", ID_NUMBER)
                    .update();
        }));
        assertThat(failure).isNotNull();
        StringWriter logged = new StringWriter();
        failure.printStackTrace(new PrintWriter(logged));
        // the error still says what went wrong, for the operator
        assertThat(logged.toString()).contains("not-null").doesNotContain(ID_NUMBER).doesNotContain(NAME);
    }
}
