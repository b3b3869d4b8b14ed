package cn.yinxin.testing.pki;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.Provider;

/**
 * One Bouncy Castle provider object, passed explicitly rather than registered: the test PKI must not change the
 * JVM's provider list that the code under test reads.
 */
final class Bc {
    static final Provider PROVIDER = new BouncyCastleProvider();

    private Bc() {
    }
}
