package cn.yinxin.seal.registry;

import cn.yinxin.core.pki.Providers;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subject of a seal's stored certificate, as people read it. Every stamp reads its seal's row, and parsing the
 * certificate for its subject each time was a visible share of a stamp's CPU; the answer depends only on the
 * certificate's bytes, so it is kept by those exact bytes (a renewed or changed certificate is other bytes, parsed
 * anew). Bounded: past {@value #LIMIT} certificates the memory is cleared and refilled as stamps come.
 */
final class CertificateSubjects {

    static final int LIMIT = 10_000;

    private final Map<ByteBuffer, String> known = new ConcurrentHashMap<>();

    String of(byte[] der) throws CertificateException {
        ByteBuffer key = ByteBuffer.wrap(der.clone());
        String subject = known.get(key);
        if (subject != null) {
            return subject;
        }
        var certificate = (X509Certificate) CertificateFactory.getInstance("X.509",
                Providers.bouncyCastle()).generateCertificate(new ByteArrayInputStream(der));
        subject = Seal.subjectOf(certificate);
        if (known.size() >= LIMIT) {
            known.clear();
        }
        known.put(key, subject);
        return subject;
    }
}
