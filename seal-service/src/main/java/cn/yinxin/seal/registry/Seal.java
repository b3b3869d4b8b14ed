package cn.yinxin.seal.registry;

import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.Roles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A seal as the registry keeps it: whose it is, what it looks like, where its key is, its certificate, its
 * status, and who may use it how. The key itself never leaves its key store; {@code keyAlias} or
 * {@code keyFile} only say where it is.
 */
public record Seal(String id, String name, String agency, String agencyCode, SealKind kind,
                   String imageType, byte[] stampPng, double widthMm, double heightMm,
                   String keyAlias, String keyFile, String caIssuer, String caSerial,
                   String certificateSubject, Instant validFrom, Instant validUntil,
                   SealStatus status, String statusReason, Instant statusChangedAt,
                   SignatureLevel defaultLevel, List<SealUser> users, String createdBy, Instant createdAt) {

    public Seal {
        users = List.copyOf(users);
    }

    /** The same seal with its image (read apart from the row, see {@link SealStore#findWithoutImage}). */
    public Seal withStampPng(byte[] png) {
        return new Seal(id, name, agency, agencyCode, kind, imageType, png, widthMm, heightMm, keyAlias, keyFile,
                caIssuer, caSerial, certificateSubject, validFrom, validUntil, status, statusReason, statusChangedAt,
                defaultLevel, users, createdBy, createdAt);
    }

    /** What the audit log names a seal by (its entries about the seal are read back by this subject). */
    public static String auditSubject(String sealId) {
        return "seal:" + sealId;
    }

    /** The user entry of a client, or null when the client may not use this seal. */
    public SealUser user(String client) {
        return users.stream().filter(u -> u.client().equals(client)).findFirst().orElse(null);
    }

    /** Whether {@code caller} is an approval system this seal lists (it may read the seal's stamps and artwork). */
    public boolean listsApprovalSystem(Caller caller) {
        return caller.has(Roles.APPROVAL_SYSTEM) && user(caller.client()) != null;
    }

    /** The status as of {@code now}: an active seal past its validity has expired even before the job marks it. */
    public SealStatus statusAt(Instant now) {
        return statusAt(status, validUntil, now);
    }

    /** A status as of {@code now}: an active seal past its certificate's end is expired. */
    static SealStatus statusAt(SealStatus status, Instant validUntil, Instant now) {
        return status == SealStatus.ACTIVE && !now.isBefore(validUntil) ? SealStatus.EXPIRED : status;
    }

    /** A certificate's subject as people read it (organizationIdentifier named, not as a hex OID). */
    public static String subjectOf(X509Certificate certificate) {
        return X500Name.getInstance(BCStyle.INSTANCE,
                certificate.getSubjectX500Principal().getEncoded()).toString();
    }
}
