package cn.yinxin.core.ses;

/**
 * What bytes the seal maker's signature (SESeal signedValue) covers. GB/T 38540 says the maker signs the seal
 * information together with the maker certificate and the algorithm identifier; implementations read this
 * differently. Yinxin emits {@link #SEAL_INFO_CERT_ALGORITHM} and accepts all three.
 */
public enum MakerSignatureForm {
    /** DER of SEQUENCE { eSealInfo, cert OCTET STRING, signAlgID }: what Yinxin writes. */
    SEAL_INFO_CERT_ALGORITHM,
    /** DER of eSealInfo alone (as ofdrw's tests and several vendors do). */
    SEAL_INFO_ONLY,
    /** The DER encodings of eSealInfo, cert and signAlgID, one after the other. */
    CONCATENATED
}
