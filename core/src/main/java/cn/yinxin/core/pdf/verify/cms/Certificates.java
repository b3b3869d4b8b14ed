package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.Providers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Certificates read from the signatures, time-stamps and OCSP answers of a document, one object per exact DER
 * encoding: the seal's, its CA's, the TSA's and the responder's certificates come with every document, and turning
 * each into a certificate object again was 2 % of a verification. A certificate object is what its bytes say and
 * nothing more (immutable); whether it is trusted, valid or revoked is decided for every document, never kept here.
 * Bounded.
 */
public final class Certificates {

    private static final int SIZE = 1024;
    private static final Map<String, X509Certificate> READ = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, X509Certificate> eldest) {
            return size() > SIZE;
        }
    };

    private Certificates() {
    }

    /** The certificate as Bouncy Castle reads it (what {@code JcaX509CertificateConverter} with BC gives). */
    public static X509Certificate bouncyCastle(X509CertificateHolder holder) throws CertificateException {
        return read(holder, "BC:", () -> new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle())
                .getCertificate(holder));
    }

    /** The JDK's certificate, or Bouncy Castle's for what the JDK cannot read (an SM2 key: its curve is unknown there). */
    static X509Certificate jdkFirst(X509CertificateHolder holder) throws CertificateException {
        return read(holder, "JDK:", () -> {
            try {
                return new JcaX509CertificateConverter().getCertificate(holder);
            } catch (CertificateException e) {
                return new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle()).getCertificate(holder);
            }
        });
    }

    private interface Reading {
        X509Certificate read() throws CertificateException;
    }

    private static X509Certificate read(X509CertificateHolder holder, String kind, Reading reading)
            throws CertificateException {
        String id;
        try {
            id = kind + new String(holder.getEncoded(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return reading.read();
        }
        synchronized (READ) {
            X509Certificate known = READ.get(id);
            if (known != null) {
                return known;
            }
        }
        X509Certificate certificate = reading.read();
        synchronized (READ) {
            READ.put(id, certificate);
        }
        return certificate;
    }
}
