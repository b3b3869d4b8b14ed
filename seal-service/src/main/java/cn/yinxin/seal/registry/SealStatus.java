package cn.yinxin.seal.registry;

/**
 * A seal's lifecycle. Only an active seal stamps. Suspension is lifted by an administrator; revocation is final
 * and revokes the seal's certificate; expiry comes with the end of the certificate's validity.
 */
public enum SealStatus {
    ACTIVE, SUSPENDED, REVOKED, EXPIRED;

    public boolean isFinal() {
        return this == REVOKED || this == EXPIRED;
    }
}
