package cn.yinxin.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Supplier;

/**
 * A service process for the tests of one class, as a JUnit extension: started before the class's first test, stopped
 * after its last. Registered on a static field, so the class can hand the process's address to Spring before its
 * application context starts ({@code @DynamicPropertySource} reads it lazily, after this extension's start):
 * <pre>
 * {@literal @}RegisterExtension
 * static final CaServiceExtension ca = new CaServiceExtension("ca_for_x");
 * </pre>
 *
 * <p>A <em>shared</em> one (today {@link CaServiceExtension#shared}) is started once per test JVM for every class
 * that asks for the same kind and name (its configuration is made from that name alone) and stopped when JUnit ends
 * the run: it lives in the root {@link ExtensionContext.Store}, which closes it. Share a process only between classes
 * whose outcomes cannot depend on what the others did to it; a class that stops the process or needs it empty has one
 * of its own. A {@code @Nested} class uses the process of its enclosing class.
 *
 * @param <P> the process ({@link ServiceProcess} or one of its wrappers)
 */
public abstract class ServiceExtension<P extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace SHARED = ExtensionContext.Namespace.create(ServiceExtension.class);

    private final String name;
    private final boolean shared;
    private final Supplier<P> start;
    private P process;
    private Class<?> owner;

    /**
     * @param name   names the process in messages and, for a shared one, in the root store: one process per name
     * @param shared one process for every class of the JVM that asks for this name, or one for this class
     * @param start  starts the process (healthy when it returns)
     */
    protected ServiceExtension(String name, boolean shared, Supplier<P> start) {
        this.name = name;
        this.shared = shared;
        this.start = start;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (process != null) {
            return; // a @Nested class of the class that started it: the same process
        }
        owner = context.getRequiredTestClass();
        if (!shared) {
            process = start.get();
            return;
        }
        String key = getClass().getName() + "/" + name;
        @SuppressWarnings("unchecked")
        Shared<P> kept = context.getRoot().getStore(SHARED)
                .computeIfAbsent(key, k -> new Shared<>(start.get()), Shared.class);
        process = kept.process();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process == null || owner != context.getRequiredTestClass()) {
            return; // the end of a @Nested class: its enclosing class still runs
        }
        try {
            if (!shared) {
                process.close();
            }
            // a shared one stays for the next class; the root store closes it at the end of the run
        } finally {
            process = null;
            owner = null;
        }
    }

    /** The running process; only from the class's tests or from what runs after this extension's start. */
    protected final P process() {
        if (process == null) {
            throw new IllegalStateException(name + " is not running: the extension starts it before the class's tests "
                    + "and stops it after them (read it in a test, a @BeforeAll method or a lazy supplier, not in a "
                    + "static initialiser)");
        }
        return process;
    }

    /** Whether other classes of this JVM use the same process. */
    public final boolean isShared() {
        return shared;
    }

    /** The name it was registered with (for a shared one: the process's key; for the CA: its database). */
    public final String name() {
        return name;
    }

    /**
     * Stops the process now, as an outage does (a test of what happens when the service is gone). Refused for a
     * shared process: the other classes still need it.
     */
    public void stop() throws Exception {
        if (shared) {
            throw new IllegalStateException(name + " is shared with other test classes: it cannot be stopped by one");
        }
        process().close();
    }

    /** The value kept in the root store: closed by JUnit when the run ends. */
    private record Shared<P extends AutoCloseable>(P process) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.close();
        }
    }
}
