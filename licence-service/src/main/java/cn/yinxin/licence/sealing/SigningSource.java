package cn.yinxin.licence.sealing;

import java.util.function.Supplier;

/**
 * What this thread's seal-service calls are made for: the licence API by default, or one bulk import row. A thread
 * local rather than a parameter of every call: the label travels with the work of one row through issuance, as the
 * request id does, and only the HTTP client reads it.
 */
final class SigningSource {

    private static final ThreadLocal<String> SOURCE = ThreadLocal.withInitial(() -> "licence-service");

    private SigningSource() {
    }

    static String current() {
        return SOURCE.get();
    }

    static <T> T from(String source, Supplier<T> work) {
        String before = SOURCE.get();
        SOURCE.set(source);
        try {
            return work.get();
        } finally {
            SOURCE.set(before);
        }
    }
}
