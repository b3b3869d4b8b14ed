package cn.yinxin.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that starts something heavy, so the fast lane ({@code ./yinxin test --fast}, Maven profile
 * {@code fast}: {@code excludedGroups=slow}) leaves it out; {@code ./yinxin test} and CI run it as always.
 *
 * <p>The rule: a class is slow when it starts a service process ({@link ServiceProcess}, {@link CaServiceProcess},
 * {@link SealServiceProcess}, {@link LicenceServiceProcess}, or their {@link ServiceExtension}s, the {@code ./yinxin}
 * services), a Spring Boot application ({@code @SpringBootTest}), an embedded PostgreSQL ({@link TestDatabase}), a
 * browser ({@link BrowserHarness}) or Keycloak, or runs timed benchmark rounds (bench). Everything else is fast: core,
 * in-process Vert.x verticles and in-memory doubles (JDK {@code HttpServer} stubs, {@link TestRevocationServer},
 * {@link TestTsa}), EU DSS as a judge in the same JVM, and short one-shot command-line judges (pdfsig, zbarimg,
 * openssl: {@link Commands}).
 *
 * <p>Written fully qualified directly above the class ({@code @cn.yinxin.testing.Slow("what it starts")}), so that
 * tagging a class never touches its imports. Inherited: a base class's mark covers its subclasses.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("slow")
public @interface Slow {

    /** What the class starts that makes it slow (for the reader; JUnit looks only at the tag). */
    String value();
}
