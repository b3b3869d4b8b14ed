package cn.yinxin.service.metrics;

import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.pki.cms.TimeStamper;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

/**
 * The TSA and the OCSP responders / CRL distribution points a stamp asks, timed as {@link Meters#CALLS} with
 * targets {@code tsa}, {@code ocsp} and {@code crl}: a slow or failing TSA is what an operator sees first.
 */
public final class TimedPki {

    private TimedPki() {
    }

    public static TimeStamper timeStamper(TimeStamper tsa, MeterRegistry registry) {
        return new TimeStamper() {
            @Override
            public byte[] timeStamp(byte[] data) throws GeneralSecurityException {
                return Meters.call(registry, "tsa", () -> tsa.timeStamp(data));
            }

            @Override
            public byte[] timeStamp(InputStream data) throws GeneralSecurityException, IOException {
                long start = System.nanoTime();
                String outcome = "failed";
                try {
                    byte[] token = tsa.timeStamp(data);
                    outcome = "ok";
                    return token;
                } finally {
                    Meters.callTimer(registry, "tsa", outcome).record(System.nanoTime() - start,
                            TimeUnit.NANOSECONDS);
                }
            }
        };
    }

    public static RevocationSource revocation(RevocationSource source, MeterRegistry registry) {
        return new RevocationSource() {
            @Override
            public byte[] ocsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
                return Meters.call(registry, "ocsp", () -> source.ocsp(certificate, issuer));
            }

            @Override
            public byte[] freshOcsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
                return Meters.call(registry, "ocsp", () -> source.freshOcsp(certificate, issuer));
            }

            @Override
            public byte[] crl(X509Certificate certificate) throws GeneralSecurityException {
                return Meters.call(registry, "crl", () -> source.crl(certificate));
            }
        };
    }
}
