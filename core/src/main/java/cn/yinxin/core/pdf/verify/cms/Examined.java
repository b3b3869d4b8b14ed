package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pki.cms.CmsFlavour;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** What the steps of one {@link CmsSignatureCheck} have learnt so far about the signature under check. */
final class Examined {
    final byte[] signedBytes;
    final boolean pades;
    final boolean sha1OfDocument;
    final List<String> reasons = new ArrayList<>();
    ContentInfo info;
    CMSSignedData cms;
    CmsFlavour flavour;
    byte[] content;
    Integer ownContent;
    ASN1ObjectIdentifier contentType;
    SignerInformation signer;
    X509Certificate certificate;
    final List<X509Certificate> embedded = new ArrayList<>();
    AttributeTable signedAttributes;
    String digestName;
    ASN1ObjectIdentifier digestAlgorithm;
    MessageDigest digester;
    boolean hasV2;
    boolean hasSigningTime;

    Examined(byte[] signedBytes, String subFilter) {
        this.signedBytes = signedBytes;
        this.pades = PdfSealer.ETSI_CADES_DETACHED.getName().equals(subFilter);
        this.sha1OfDocument = CmsSignatureCheck.ADBE_PKCS7_SHA1.equals(subFilter);
    }
}
