package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.pdf.national.PdfSesSignature;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.cms.CadesSigner;
import cn.yinxin.core.pki.cms.TimeStamper;
import cn.yinxin.core.ses.SesSigner;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of a seal's /Contents: the CMS signature (CAdES for PAdES) over the bytes the /ByteRange covers and, in
 * national mode, the GB/T 38540 seal signature over the same bytes attached to it; and the room reserved for it.
 */
final class SignatureValue {

    /** Room for the signature value, signed attributes and CMS framing, on top of the certificates. */
    private static final int SIGNATURE_OVERHEAD = 4096;
    /** Room for a signature time-stamp token: its CMS, the TSA's chain, a little slack. */
    private static final int TIMESTAMP_ROOM = 10 * 1024;

    private SignatureValue() {
    }

    /**
     * Signs the content PDFBox streams (the document copied from source to out, the increment kept in memory; the
     * bytes to sign are streamed from both into the digest) and returns the value to write into /Contents.
     *
     * @param stamper      the TSA for the signature time-stamp, or null below B-T
     * @param sesStamper   the TSA for the national seal signature's time-stamp, or null
     */
    static byte[] sign(ExternalSigningSupport external, PDSignature signature, SealRequest request,
                       CadesSigner signer, TimeStamper stamper, TimeStamper sesStamper)
            throws IOException, GeneralSecurityException {
        byte[] cms;
        MessageDigest sm3 = request.nationalSeal() == null ? null
                : MessageDigest.getInstance("SM3", Providers.bouncyCastle());
        try (InputStream content = sm3 == null ? external.getContent()
                : new DigestInputStream(external.getContent(), sm3)) {
            cms = signer.sign(content, stamper);
        }
        if (sm3 != null) {
            // national mode: the GB/T 38540 seal signature over the same bytes, time-stamped when a TSA is set
            var ses = SesSigner.signDigest(request.nationalSeal(), request.key(), sm3.digest(),
                    PdfSesSignature.propertyInfo(signature.getByteRange()), request.signingTime(), sesStamper);
            cms = PdfSesSignature.attach(cms, ses.der());
        }
        return cms;
    }

    /** The bytes reserved for /Contents: the certificates, the CMS, a time-stamp when asked for, the SES. */
    static int room(SealRequest request, boolean timeStamped) {
        return signatureSize(request) + (timeStamped ? TIMESTAMP_ROOM : 0) + nationalRoom(request);
    }

    /** The signature time-stamp token inside a CMS signature just made (read from its bytes, not the PDF again). */
    static byte[] signatureTimeStamp(byte[] cmsSignature) throws GeneralSecurityException {
        try {
            var cms = new CMSSignedData(cmsSignature);
            var signer = cms.getSignerInfos().getSigners().iterator().next();
            var attribute = signer.getUnsignedAttributes().get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
            return attribute.getAttrValues().getObjectAt(0).toASN1Primitive().getEncoded();
        } catch (IOException | CMSException e) {
            throw new GeneralSecurityException("the signature time-stamp cannot be read back: " + e.getMessage(), e);
        }
    }

    /**
     * The seal maker's chain, for the validation data of a national-mode stamp: its certificate (from the SESeal)
     * and the signer's chain from the CA that issued it (Yinxin's seal maker is certified by the seal CA); only the
     * maker's certificate when that CA is not in the signer's chain.
     */
    static List<X509Certificate> makerChain(SealRequest request) throws GeneralSecurityException {
        X509Certificate maker = (X509Certificate) CertificateFactory.getInstance("X.509",
                Providers.bouncyCastle()).generateCertificate(
                new ByteArrayInputStream(request.nationalSeal().makerCertificate()));
        List<X509Certificate> chain = new ArrayList<>(List.of(maker));
        List<X509Certificate> signer = request.key().chain();
        for (int i = 0; i < signer.size(); i++) {
            if (signer.get(i).getSubjectX500Principal().equals(maker.getIssuerX500Principal())) {
                chain.addAll(signer.subList(i, signer.size()));
                break;
            }
        }
        return chain;
    }

    /** Room for a national-mode SES_Signature: its seal (image included), the signer's certificate, a time-stamp. */
    private static int nationalRoom(SealRequest request) {
        if (request.nationalSeal() == null) {
            return 0;
        }
        try {
            return request.nationalSeal().der().length + request.key().certificate().getEncoded().length
                    + TIMESTAMP_ROOM + 1024;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }

    private static int signatureSize(SealRequest request) {
        int size = SIGNATURE_OVERHEAD;
        try {
            for (X509Certificate certificate : request.key().chain()) {
                size += certificate.getEncoded().length;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
        return size;
    }
}
