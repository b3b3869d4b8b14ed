package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.cms.CmsFlavour;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificate;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@link CmsSignatureCheck}'s steps read from a SignerInfo (RFC 5652 5.3): the signed attributes a PDF
 * signature needs, the signing-certificate references (RFC 5035, RFC 2634), the SM2 signature of GM/T 0010, the
 * certificates it carries.
 */
final class SignerInfos {

    private SignerInfos() {
    }

    /**
     * Why the signed attributes do not make a PDF signature, or null. RFC 5652 5.3: when present they carry
     * content-type (the signed content's type) and message-digest. ETSI EN 319 142-1 (ETSI.CAdES.detached, PAdES)
     * also asks for them to be present at all, and for signing-certificate-v2 (or signing-certificate): without
     * them a PAdES signature is not one.
     */
    static String signedAttributeProblem(AttributeTable attributes, boolean pades,
                                                 ASN1ObjectIdentifier contentType) {
        if (attributes == null) {
            // PKCS#7 as ISO 32000-1 12.8.3.3 allows for adbe.pkcs7.detached (openssl cms -noattr): the signature
            // value signs the digest of the bytes directly, and the value check covers it
            return pades ? "A PAdES signature (ETSI.CAdES.detached) must carry signed attributes (content type, "
                    + "message digest, signing certificate); this one has none." : null;
        }
        if (attributes.get(CMSAttributes.messageDigest) == null) {
            return "The signature has no signed message digest.";
        }
        Attribute type = attributes.get(CMSAttributes.contentType);
        if (type == null) {
            return "The signature has no signed content type: its signed attributes could be meant for other content.";
        }
        // RFC 5652 11.1, 11.2: one attribute with one value each; with more, which one was meant cannot be told
        for (var single : List.of(CMSAttributes.messageDigest, CMSAttributes.contentType)) {
            var all = attributes.getAll(single);
            if (all.size() != 1 || ((Attribute) all.get(0)).getAttrValues().size() != 1) {
                return "The signed attribute " + single.getId() + " must appear once with one value.";
            }
        }
        if (!contentType.equals(type.getAttrValues().getObjectAt(0))) {
            return "The signed content type " + type.getAttrValues().getObjectAt(0) + " is not the type of the signed "
                    + "content (" + contentType.getId() + ").";
        }
        if (pades && attributes.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2) == null
                && attributes.get(PKCSObjectIdentifiers.id_aa_signingCertificate) == null) {
            return "A PAdES signature (ETSI.CAdES.detached) must name its signing certificate in a signed attribute "
                    + "(signing-certificate-v2); this one does not, so the certificate could be swapped.";
        }
        return null;
    }

    static boolean isDocumentData(ASN1ObjectIdentifier type) {
        return CmsFlavour.PKCS7.dataType().equals(type) || CmsFlavour.GMT_0010.dataType().equals(type);
    }

    static byte[] sha1(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is always available", e);
        }
    }

    /**
     * The same SignerInfo, with the content digest already computed (a document of 100 MB is digested once, not
     * twice); Bouncy Castle still compares it with the signed message-digest attribute before it verifies.
     */
    static SignerInformation signerWithDigest(ContentInfo info, ASN1ObjectIdentifier digestAlgorithm,
                                                      byte[] digest, SignerInformation fallback) {
        try {
            var signers = new CMSSignedData(Map.of(digestAlgorithm, digest), info).getSignerInfos()
                    .getSigners();
            return signers.size() == 1 ? signers.iterator().next() : fallback;
        } catch (CMSException | RuntimeException e) {
            return fallback;
        }
    }

    /**
     * An SM2 SignerInfo: an SM2 signature algorithm identifier, the content-type attribute naming the signed
     * content's type, and SM3withSM2 with user ID 1234567812345678 over the DER of the signed attributes.
     */
    static boolean sm2SignatureVerifies(SignerInformation signer, X509Certificate certificate) {
        if (!Sm2Signatures.ALGORITHM_IDS.contains(new ASN1ObjectIdentifier(signer.getEncryptionAlgOID()))) {
            return false;
        }
        Attribute contentType = signer.getSignedAttributes().get(CMSAttributes.contentType);
        if (contentType == null || !contentType.getAttrValues().getObjectAt(0).equals(signer.getContentType())) {
            return false;
        }
        try {
            return Sm2Signatures.verify(certificate.getPublicKey(), signer.getEncodedSignedAttributes(),
                    signer.getSignature());
        } catch (IOException e) {
            return false;
        }
    }

    /** The reason line that says which CMS flavour and which SM algorithms were found. */
    static String sm2Description(CmsFlavour flavour, SignerInformation signer, boolean sm2) {
        String written = flavour == null ? "an unusual SignedData content type" : "the " + flavour.describe();
        String value = Sm2Signatures.isRaw(signer.getSignature())
                ? " (signature value as raw r||s, 64 bytes)" : "";
        return "CMS flavour: " + (flavour == null ? "other" : flavour.name()) + ". The CMS is written with " + written
                + "; digest " + signer.getDigestAlgOID() + ", signature " + signer.getEncryptionAlgOID()
                + (sm2 ? " (SM3withSM2, user ID 1234567812345678)" : "") + value + ".";
    }

    static boolean identifies(Attribute attribute, X509Certificate certificate) {
        try {
            SigningCertificateV2 value = SigningCertificateV2.getInstance(attribute.getAttrValues().getObjectAt(0));
            ESSCertIDv2 id = value.getCerts()[0];
            String algorithm = id.getHashAlgorithm().getAlgorithm().getId();
            byte[] hash = MessageDigest.getInstance(algorithm, Providers.bouncyCastle()).digest(certificate.getEncoded());
            return Arrays.equals(hash, id.getCertHash());
        } catch (Exception e) {
            return false;
        }
    }

    /** signing-certificate (RFC 2634 5.4, ESSCertID): the SHA-1 hash of the signer's certificate. */
    static boolean identifiesV1(Attribute attribute, X509Certificate certificate) {
        try {
            SigningCertificate value = SigningCertificate.getInstance(attribute.getAttrValues().getObjectAt(0));
            return Arrays.equals(sha1(certificate.getEncoded()), value.getCerts()[0].getCertHash());
        } catch (Exception e) {
            return false;
        }
    }
}
