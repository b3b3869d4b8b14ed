package cn.yinxin.ca.certificates;

import java.time.Instant;

/** A certificate as the CA keeps it. Status is GOOD, REVOKED or ON_HOLD. */
public record IssuedCertificate(String issuer, String serial, String profile, String subject, Instant notBefore,
                                Instant notAfter, byte[] der, String keyAlias, String status, Instant revokedAt,
                                Integer reason, Instant issuedAt) {
}
