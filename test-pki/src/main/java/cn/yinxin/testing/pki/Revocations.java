package cn.yinxin.testing.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the test CAs know about the certificates they issued: which serials exist (so OCSP can tell GOOD from
 * unknown) and which are revoked, when and why. Thread-safe: a served PKI answers from the HTTP server's thread.
 */
final class Revocations {

    /** RFC 5280 5.3.1 reason codes the PKI uses. */
    static final int KEY_COMPROMISE = 1;
    static final int CERTIFICATE_HOLD = 6;

    record Entry(BigInteger serial, Instant at, int reason) {
    }

    private final Map<BigInteger, Entry> revoked = new ConcurrentHashMap<>();
    private final Map<BigInteger, Boolean> issued = new ConcurrentHashMap<>();

    void issued(BigInteger serial) {
        issued.put(serial, true);
    }

    boolean isIssued(BigInteger serial) {
        return issued.containsKey(serial);
    }

    void revoke(BigInteger serial, Instant at, int reason) {
        revoked.put(serial, new Entry(serial, at, reason));
    }

    void lift(BigInteger serial) {
        revoked.remove(serial);
    }

    /** The revocation of {@code serial} known at {@code at}, or null. */
    Entry at(BigInteger serial, Instant at) {
        Entry entry = revoked.get(serial);
        return entry == null || entry.at().isAfter(at) ? null : entry;
    }

    List<Entry> all() {
        return List.copyOf(revoked.values());
    }
}
