package cn.yinxin.core.pdf.national;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How Yinxin carries a GB/T 38540 SES_Signature in a PDF (national mode) while the PDF signature stays a standard
 * PAdES one: as an unsigned attribute of the CMS SignerInfo, next to the signature time-stamp.
 * <pre>
 * id-yinxin-sesSignature OBJECT IDENTIFIER ::= { 2 25 110229511416126260779426960304601546217 }  -- UUID-based (X.667)
 * Attribute ::= SEQUENCE { attrType id-yinxin-sesSignature, attrValues SET { OCTET STRING (DER SES_Signature) } }
 * </pre>
 * The SES_Signature's dataHash is SM3 over the bytes the PDF signature covers (its two /ByteRange ranges,
 * concatenated: the same bytes the CMS signs), and its propertyInfo names them: {@code "PDF ByteRange a b c d"}.
 * The SES signer is the CMS signer (the same SM2 key and certificate). PDF readers that do not know the attribute
 * ignore it: unsigned attributes are not covered by the CMS signature, as a time-stamp is not.
 */
public final class PdfSesSignature {

    public static final ASN1ObjectIdentifier ATTRIBUTE =
            new ASN1ObjectIdentifier("2.25.110229511416126260779426960304601546217");

    private PdfSesSignature() {
    }

    /** The propertyInfo of an SES_Signature over the ranges of this /ByteRange. */
    public static String propertyInfo(long[] byteRange) {
        return "PDF ByteRange " + Arrays.stream(byteRange).mapToObj(Long::toString).collect(Collectors.joining(" "));
    }

    public static String propertyInfo(int[] byteRange) {
        return propertyInfo(Arrays.stream(byteRange).asLongStream().toArray());
    }

    /** The CMS with the SES_Signature added to its one SignerInfo's unsigned attributes (content type kept). */
    public static byte[] attach(byte[] cms, byte[] sesSignature) throws GeneralSecurityException {
        try {
            ContentInfo original = ContentInfo.getInstance(cms);
            CMSSignedData signed = new CMSSignedData(cms);
            SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
            AttributeTable unsigned = signer.getUnsignedAttributes();
            ASN1EncodableVector attributes = unsigned == null ? new ASN1EncodableVector() : unsigned.toASN1EncodableVector();
            attributes.add(new Attribute(ATTRIBUTE, new DERSet(new DEROctetString(sesSignature))));
            SignerInformation with = SignerInformation.replaceUnsignedAttributes(signer, new AttributeTable(attributes));
            byte[] replaced = CMSSignedData.replaceSigners(signed, new SignerInformationStore(with)).getEncoded();
            // keep the SignedData content type (PKCS#7 or GM/T 0010) as it was
            return new ContentInfo(original.getContentType(), ContentInfo.getInstance(replaced).getContent())
                    .getEncoded(ASN1Encoding.DER);
        } catch (CMSException | IOException e) {
            throw new GeneralSecurityException("the SES_Signature cannot be added to the CMS: " + e.getMessage(), e);
        }
    }

    /** The DER SES_Signature a SignerInfo carries, or null. */
    /** The attribute's OID as its DER content (after tag and length): the bytes any encoding of it holds. */
    private static final byte[] ATTRIBUTE_CONTENT = content(ATTRIBUTE);

    /**
     * Whether {@code cmsValue} may carry the attribute at all: an attribute of this type holds its OID, whose content
     * bytes are written the same in every encoding (an OID is primitive, only its length may be written otherwise).
     * Bytes without them carry none, and need not be parsed to know it (a second parse of a signature's CMS was
     * 2 % of a verification).
     */
    public static boolean mayCarry(byte[] cmsValue) {
        byte[] oid = ATTRIBUTE_CONTENT;
        outer:
        for (int i = 0; cmsValue != null && i <= cmsValue.length - oid.length; i++) {
            for (int j = 0; j < oid.length; j++) {
                if (cmsValue[i + j] != oid[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] content(ASN1ObjectIdentifier oid) {
        try {
            byte[] der = oid.getEncoded(ASN1Encoding.DER);
            if (der[1] < 0) {
                throw new IllegalStateException("an OID this long needs another header length");
            }
            return Arrays.copyOfRange(der, 2, der.length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static byte[] find(SignerInformation signer) {
        AttributeTable unsigned = signer.getUnsignedAttributes();
        Attribute attribute = unsigned == null ? null : unsigned.get(ATTRIBUTE);
        if (attribute == null || attribute.getAttrValues().size() != 1) {
            return null;
        }
        return ASN1OctetString.getInstance(attribute.getAttrValues().getObjectAt(0)).getOctets();
    }
}
