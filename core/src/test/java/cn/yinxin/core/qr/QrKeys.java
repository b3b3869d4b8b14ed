package cn.yinxin.core.qr;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;

import java.time.Duration;
import java.time.Instant;

/**
 * A P-256 agency seal key with its certificate, made fresh by the test PKI (valid from {@code notBefore} for a
 * year, under a root of its own); a QR code carries only the leaf's key, so the chain's shape does not matter here.
 */
final class QrKeys {

    static SealKey sealKey(String name, Instant notBefore) {
        TestPki pki = TestPki.builder().root("QR Test Root " + name).issuingCa("QR Test CA " + name)
                .revocationPointers(false).notBefore(notBefore).validity(Duration.ofDays(365))
                .identity(name, Status.GOOD).build();
        Identity seal = pki.identity(name);
        return new SealKey(seal.privateKey(), seal.chain());
    }

    static SealKey sealKey(String name) {
        return sealKey(name, Instant.now().minus(Duration.ofDays(30)));
    }
}
