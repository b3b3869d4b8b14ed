package cn.yinxin.service;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A named lock held until the current transaction ends (PostgreSQL's transaction-scoped advisory lock, keyed by the
 * name's {@code hashtext}): what makes check-then-act work across instances on one database, e.g. one CRL
 * publication of an issuer at a time, or one issuance of a physical number. Must be called inside a transaction.
 */
public final class TransactionLocks {

    private TransactionLocks() {
    }

    /** Waits for, then holds until the transaction ends, the lock named {@code name}. */
    public static void hold(JdbcClient jdbc, String name) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(:name))").param("name", name).query((rs, n) -> 0).list();
    }
}
