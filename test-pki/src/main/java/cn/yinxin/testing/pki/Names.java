package cn.yinxin.testing.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Subject names in the shapes Yinxin's CA writes, so a verifier reads the agency out of a test seal as out of a real one. */
public final class Names {

    private Names() {
    }

    /** A CA, TSA or responder: C=CN, O=Yinxin, CN=name. */
    public static X500Name ca(String name) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "CN")
                .addRDN(BCStyle.O, "Yinxin")
                .addRDN(BCStyle.CN, name)
                .build();
    }

    /**
     * An agency seal: the seal's name, the agency (O) and its 统一社会信用代码 (Unified Social Credit Code) as the
     * organizationIdentifier, which is how a verifier learns which agency sealed.
     */
    public static X500Name seal(String sealName, String agency, String agencyCode) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "CN")
                .addRDN(BCStyle.O, agency)
                .addRDN(BCStyle.ORGANIZATION_IDENTIFIER, agencyCode)
                .addRDN(BCStyle.CN, sealName)
                .build();
    }

    /** A person: the name and the resident ID number, nothing more. */
    public static X500Name person(String name, String residentId) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "CN")
                .addRDN(BCStyle.SERIALNUMBER, residentId)
                .addRDN(BCStyle.CN, name)
                .build();
    }
}
