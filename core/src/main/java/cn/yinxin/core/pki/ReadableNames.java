package cn.yinxin.core.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import javax.security.auth.x500.X500Principal;

/**
 * A certificate's name as a clerk reads it in a report: the most specific part first, as RFC 2253 orders it, but
 * every attribute Bouncy Castle knows by its name and every text value as text. The JDK's RFC 2253 form prints the
 * attributes it has no keyword for as hex (a Spanish citizen's certificate: {@code 2.5.4.5=#1309393939...,
 * 2.5.4.4=#0c08464943544943494f,2.5.4.42=#0c09434955444144414e4f,CN=CIUDADANO FICTICIO ACTIVO}; our own seals'
 * organizationIdentifier, the USCC, likewise), which told the reader nothing. Values are escaped as RFC 4514 has
 * them (a comma in a name stays a part of it).
 */
public final class ReadableNames {

    private ReadableNames() {
    }

    public static String of(X500Principal principal) {
        return of(principal.getEncoded());
    }

    /** The name of the DER encoding {@code encoded} (an X.500 Name). */
    public static String of(byte[] encoded) {
        RDN[] rdns = X500Name.getInstance(encoded).getRDNs();
        StringBuilder text = new StringBuilder();
        for (int i = rdns.length - 1; i >= 0; i--) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            AttributeTypeAndValue[] values = rdns[i].getTypesAndValues();
            for (int j = 0; j < values.length; j++) {
                if (j > 0) {
                    text.append('+');
                }
                text.append(name(values[j].getType())).append('=').append(IETFUtils.valueToString(values[j].getValue()));
            }
        }
        return text.toString();
    }

    private static String name(ASN1ObjectIdentifier type) {
        String name = BCStyle.INSTANCE.oidToDisplayName(type);
        return name != null ? name : type.getId();
    }
}
