package cn.yinxin.seal.keys;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the seal service asks of its certificate authority: certify a seal's or a person's new key from its CSR, have
 * the CA's seal maker sign GB/T 38540 seal information, and revoke, hold or release a certificate when a seal's or a
 * signature's status changes. Administration and personal signatures depend on this interface only; the ca-service
 * answers it over HTTP ({@link CaServiceClient}), tests may answer it in memory. A refusal or an unreachable CA is a
 * {@link cn.yinxin.core.RejectedException} with problem {@code ca-unavailable}, and the change it belonged to is not
 * made.
 */
public interface CaClient {

    /** An issued certificate with its chain (signer first). */
    record Issued(String issuer, String serial, List<X509Certificate> chain, String chainPem) {
    }

    /** Certifies a seal key (profile AGENCY_SEAL); {@code validityDays} null: the CA's limit for seals. */
    Issued certify(String csrPem, String sealName, String agency, String agencyCode, Integer validityDays)
            throws GeneralSecurityException;

    /** Has the CA's seal maker sign GB/T 38540 seal information (DER SES_SealInfo); answers the DER SESeal. */
    byte[] makeSeSeal(byte[] sealInfoDer);

    /** Certifies a person's signing key (profile PERSONAL: name and resident ID number, checked by the CA). */
    Issued certifyPerson(String csrPem, String name, String residentId) throws GeneralSecurityException;

    /** Revokes for good (RFC 5280 reason name, e.g. cessationOfOperation, keyCompromise). */
    void revoke(String issuer, String serial, String reason);

    /** Puts the certificate on hold while the seal is suspended. */
    default void hold(String issuer, String serial) {
        revoke(issuer, serial, "certificateHold");
    }

    /** Lifts a hold. */
    void release(String issuer, String serial);
}
