package cn.yinxin.core.pdf.national;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The quick look for the SES_Signature attribute before the CMS is parsed a second time. */
class PdfSesSignatureTest {

    @Test
    void bytesHoldingTheAttributeMayCarryItOthersDoNot() throws Exception {
        byte[] attribute = new Attribute(PdfSesSignature.ATTRIBUTE, new DERSet(new DEROctetString(new byte[]{1, 2})))
                .getEncoded(ASN1Encoding.DER);
        byte[] around = new byte[4_000];
        new Random(17).nextBytes(around);
        System.arraycopy(attribute, 0, around, 3_000, attribute.length);
        assertThat(PdfSesSignature.mayCarry(around)).isTrue();
        assertThat(PdfSesSignature.mayCarry(attribute)).isTrue();
        // the OID's content with a long-form length, as BER allows
        byte[] der = PdfSesSignature.ATTRIBUTE.getEncoded(ASN1Encoding.DER);
        byte[] longForm = new byte[der.length + 1];
        longForm[0] = 0x06;
        longForm[1] = (byte) 0x81;
        System.arraycopy(der, 1, longForm, 2, der.length - 1);
        assertThat(PdfSesSignature.mayCarry(longForm)).isTrue();

        byte[] noOid = new byte[4_000];
        new Random(18).nextBytes(noOid);
        assertThat(PdfSesSignature.mayCarry(noOid)).isFalse();
        assertThat(PdfSesSignature.mayCarry(new byte[0])).isFalse();
        assertThat(PdfSesSignature.mayCarry(null)).isFalse();
    }
}
