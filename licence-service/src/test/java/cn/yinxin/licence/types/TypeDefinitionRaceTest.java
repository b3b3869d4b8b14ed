package cn.yinxin.licence.types;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Two definitions of the same licence type code at the same moment (an administrator's double click, two
 * administrators): both found no type with that code, the second INSERT waited on the primary key for the first to
 * commit and then broke it, and the DuplicateKeyException was answered 500 internal (ProblemHandler answers a
 * constraint violation other than a NUL as unexpected) instead of 409 licence-type-exists, which the same request a
 * second later gets. One definition is held open with a latch, so the race is certain.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@cn.yinxin.testing.Slow("the licence service (Spring Boot) on an embedded PostgreSQL")
class TypeDefinitionRaceTest {

    private static final String CODE = "11410000MB00001749" + "987";

    @Autowired
    LicenceTypes types;
    @Autowired
    TransactionTemplate transactions;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("licence_type_race"));
        // the seal is not asked (checkSeal false)
        registry.add("yinxin.licence.seal-service-url", () -> "http://localhost:9");
    }

    @Test
    @Timeout(120)
    void theSecondOfTwoDefinitionsAtOnceIsTheTypeExistsNotAnInternalError() throws Exception {
        CountDownLatch firstInserted = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> one = threads.submit(() -> transactions.executeWithoutResult(status -> {
                types.define(type("first"), "admin-one", false);
                firstInserted.countDown();
                await(commitFirst);
            }));
            assertThat(firstInserted.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> two = threads.submit(() -> types.define(type("second"), "admin-two", false));
            try {
                two.get(2, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException waiting) {
                // it waits on the primary key for the first definition to commit
            }
            commitFirst.countDown();
            one.get(30, TimeUnit.SECONDS);
            Throwable second = catchThrowable(() -> two.get(30, TimeUnit.SECONDS));
            assertThat(second).isInstanceOf(ExecutionException.class);
            assertThat(second.getCause()).isInstanceOfSatisfying(RejectedException.class,
                    e -> assertThat(e.problem()).isEqualTo(Problem.LICENCE_TYPE_EXISTS));
        } finally {
            commitFirst.countDown();
            threads.shutdownNow();
        }
        assertThat(types.find(CODE).orElseThrow().name()).isEqualTo("first");
    }

    private static LicenceType type(String name) {
        return new LicenceType(CODE, name, "{\"type\":\"object\",\"properties\":{}}",
                new LicenceType.Template("Race", null, Map.of()), "pdf-seal", "B-T", 5, null, null);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
