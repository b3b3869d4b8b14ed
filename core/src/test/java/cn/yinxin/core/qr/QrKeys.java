package cn.yinxin.core.qr;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.keys.SealKey;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A P-256 agency seal key with its certificate, made fresh (valid from {@code notBefore} for a year). */
final class QrKeys {

    static SealKey sealKey(String name, Instant notBefore) throws Exception {
        KeyPair rootKeys = CertificateMaker.newEcKeyPair();
        X509Certificate root = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("QR Test Root " + name),
                rootKeys, notBefore.minus(Duration.ofDays(1)), Duration.ofDays(3650));
        KeyPair keys = CertificateMaker.newEcKeyPair();
        X509Certificate certificate = CertificateMaker.issue(
                CertificateMaker.sealSubject(name, "测试局", "91350100M000100Y43"), keys.getPublic(),
                Profile.AGENCY_SEAL, root, rootKeys.getPrivate(), notBefore, Duration.ofDays(365));
        return new SealKey(keys.getPrivate(), List.of(certificate, root));
    }

    static SealKey sealKey(String name) throws Exception {
        return sealKey(name, Instant.now().minus(Duration.ofDays(30)));
    }
}
