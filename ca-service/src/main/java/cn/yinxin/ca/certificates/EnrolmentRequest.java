package cn.yinxin.ca.certificates;

/**
 * An enrolment: the profile, the subject's validated data, and either a CSR (the requester holds the key) or a
 * request to make the key in the seal key store.
 *
 * @param profile      AGENCY_SEAL or PERSONAL
 * @param csr          a PEM PKCS#10 request, or null with generateKey
 * @param generateKey  make the key in the seal key store under this alias, with this algorithm
 * @param subject      sealName, agency, agencyCode (AGENCY_SEAL) or name, residentId (PERSONAL)
 * @param validityDays how long, within the profile's limit (default: the limit)
 */
public record EnrolmentRequest(String profile, String csr, KeyGeneration generateKey, Subject subject,
                               Integer validityDays) {

    public record KeyGeneration(String alias, String algorithm) {
    }

    public record Subject(String sealName, String agency, String agencyCode, String name, String residentId) {
    }
}
