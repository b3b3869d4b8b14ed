package cn.yinxin.core.pki.cms;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;

/**
 * The two ways Chinese CMS SignedData is written (STANDARDS.md section 2): with the PKCS#7 / RFC 5652 content
 * types, or with the GM/T 0010 (GB/T 35275) ones. Both carry the same SignerInfo (SM3 digest, SM3withSM2
 * signature over the DER of the signed attributes); only the two content-type identifiers differ.
 */
public enum CmsFlavour {
    /** ContentInfo signedData 1.2.840.113549.1.7.2, encapsulated content type data 1.2.840.113549.1.7.1. */
    PKCS7(CMSObjectIdentifiers.signedData, CMSObjectIdentifiers.data),
    /** ContentInfo signedData 1.2.156.10197.6.1.4.2.2, encapsulated content type data 1.2.156.10197.6.1.4.2.1. */
    GMT_0010(new ASN1ObjectIdentifier("1.2.156.10197.6.1.4.2.2"), new ASN1ObjectIdentifier("1.2.156.10197.6.1.4.2.1"));

    private final ASN1ObjectIdentifier signedData;
    private final ASN1ObjectIdentifier data;

    CmsFlavour(ASN1ObjectIdentifier signedData, ASN1ObjectIdentifier data) {
        this.signedData = signedData;
        this.data = data;
    }

    public ASN1ObjectIdentifier signedDataType() {
        return signedData;
    }

    public ASN1ObjectIdentifier dataType() {
        return data;
    }

    /** The flavour whose SignedData content type this is, or null for any other content type. */
    public static CmsFlavour ofSignedDataType(ASN1ObjectIdentifier contentType) {
        for (CmsFlavour flavour : values()) {
            if (flavour.signedData.equals(contentType)) {
                return flavour;
            }
        }
        return null;
    }

    /** How a report names it. */
    public String describe() {
        return this == PKCS7
                ? "PKCS#7 object identifiers (SignedData " + signedData.getId() + ", data " + data.getId() + ")"
                : "GM/T 0010 object identifiers (SignedData " + signedData.getId() + ", data " + data.getId() + ")";
    }
}
