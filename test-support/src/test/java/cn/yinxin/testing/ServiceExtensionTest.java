package cn.yinxin.testing;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * What {@link ServiceExtension} promises, with a stand-in process that only counts (a real service takes 10-30 s to
 * start): test classes are run through a JUnit launcher of their own, one run as surefire makes one per JVM, and
 * the starts and stops are counted.
 */
class ServiceExtensionTest {

    /** What happened, in order: "start #1", "test in First with #1", "close #1", ... */
    static final List<String> events = new CopyOnWriteArrayList<>();
    private static final AtomicInteger numbers = new AtomicInteger();

    @Test
    void aSharedProcessIsStartedOnceForTwoClassesAndStoppedWhenTheRunEnds() {
        run(FirstSharing.class, SecondSharing.class);

        assertThat(events.stream().filter(e -> e.startsWith("start")).toList()).hasSize(1);
        String number = events.getFirst().substring("start ".length());
        assertThat(events).containsExactlyInAnyOrder("start " + number, "test in FirstSharing with " + number,
                "test in SecondSharing with " + number, "close " + number);
        assertThat(events.getLast()).as("stopped after both classes").isEqualTo("close " + number);
    }

    @Test
    void aClassesOwnProcessIsStartedBeforeItsTestsAndStoppedAfterThem() {
        run(FirstOwn.class, SecondOwn.class);

        assertThat(events).hasSize(6);
        // each class: its own process, started, used, stopped, before the other class's starts
        for (int i = 0; i < 6; i += 3) {
            String number = events.get(i).substring("start ".length());
            assertThat(events.get(i)).isEqualTo("start " + number);
            assertThat(events.get(i + 1)).matches("test in (FirstOwn|SecondOwn) with " + number);
            assertThat(events.get(i + 2)).isEqualTo("close " + number);
        }
        assertThat(events.get(0)).isNotEqualTo(events.get(3));
    }

    @Test
    void aNestedClassUsesTheProcessOfItsEnclosingClass() {
        run(2, WithNested.class);

        assertThat(events.stream().filter(e -> e.startsWith("start")).toList()).hasSize(1);
        String number = events.getFirst().substring("start ".length());
        assertThat(events).containsExactlyInAnyOrder("start " + number, "test in WithNested with " + number,
                "test in Inner with " + number, "close " + number);
        assertThat(events.getLast()).as("stopped after the enclosing class").isEqualTo("close " + number);
    }

    @Test
    void aSharedProcessCannotBeStoppedByOneClass() {
        assertThatThrownBy(() -> Counting.shared("kept").stop()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shared");
    }

    @Test
    void aProcessReadBeforeTheExtensionStartedItSaysSo() {
        assertThatThrownBy(() -> new Counting("early", false).number()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not running");
    }

    private static void run(Class<?>... classes) {
        run(classes.length, classes);
    }

    private static void run(int tests, Class<?>... classes) {
        events.clear();
        var request = LauncherDiscoveryRequestBuilder.request();
        for (Class<?> type : classes) {
            request.selectors(selectClass(type));
        }
        var summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request.build(), summary);
        assertThat(summary.getSummary().getFailures()).as("the classes' own tests").isEmpty();
        assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(tests);
    }

    /** A stand-in service process: a number, and whether it was closed. */
    static final class Fake implements AutoCloseable {
        final int number = numbers.incrementAndGet();
        volatile boolean closed;

        Fake() {
            events.add("start #" + number);
        }

        @Override
        public void close() {
            closed = true;
            events.add("close #" + number);
        }
    }

    static final class Counting extends ServiceExtension<Fake> {
        Counting(String name, boolean shared) {
            super(name, shared, Fake::new);
        }

        static Counting shared(String name) {
            return new Counting(name, true);
        }

        int number() {
            return process().number;
        }

        void used(String by) {
            assertThat(process().closed).as("running during the class's tests").isFalse();
            events.add("test in " + by + " with #" + number());
        }
    }

    // The classes run by the launcher above (nested, so surefire does not run them on their own)

    static class FirstSharing {
        @RegisterExtension
        static final Counting service = Counting.shared("shared-by-two");

        @Test
        void uses() {
            service.used("FirstSharing");
        }
    }

    static class SecondSharing {
        @RegisterExtension
        static final Counting service = Counting.shared("shared-by-two");

        @Test
        void uses() {
            service.used("SecondSharing");
        }
    }

    static class FirstOwn {
        @RegisterExtension
        static final Counting service = new Counting("own", false);

        @Test
        void uses() {
            service.used("FirstOwn");
        }
    }

    static class SecondOwn {
        @RegisterExtension
        static final Counting service = new Counting("own", false);

        @Test
        void uses() {
            service.used("SecondOwn");
        }
    }

    static class WithNested {
        @RegisterExtension
        static final Counting service = new Counting("outer", false);

        @Test
        void uses() {
            service.used("WithNested");
        }

        @Nested
        class Inner {
            @Test
            void uses() {
                service.used("Inner");
            }
        }
    }
}
