package cn.yinxin.core.pki.revocation;

import java.time.Instant;

/** What a CA knows of one of its serial numbers, as OCSP reports it. */
public sealed interface CertificateStatus {

    record Good() implements CertificateStatus {
    }

    /** Revoked, or suspended when the reason is certificateHold. */
    record Revoked(Instant at, int reason) implements CertificateStatus {
    }

    /** Never issued by this CA, as far as it knows. */
    record Unknown() implements CertificateStatus {
    }

    CertificateStatus GOOD = new Good();
    CertificateStatus UNKNOWN = new Unknown();
}
