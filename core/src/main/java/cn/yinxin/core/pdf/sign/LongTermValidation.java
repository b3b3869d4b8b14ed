package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.pdf.verify.longterm.ValidationData;

import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.pki.cms.TimeStamper;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SigningSupport;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cms.CMSSignedData;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The steps after the signature that make a seal verifiable for decades (PAdES B-LT and B-LTA), each an
 * incremental update that leaves every earlier byte and signature as it was.
 */
public final class LongTermValidation {

    public static final COSName DSS = COSName.getPDFName("DSS");
    public static final COSName ETSI_RFC3161 = COSName.getPDFName("ETSI.RFC3161");

    private LongTermValidation() {
    }

    /** The certificates, OCSP responses and CRLs (DER) for a DSS dictionary. */
    public record ValidationData(List<byte[]> certificates, List<byte[]> ocsps, List<byte[]> crls) {
    }

    /**
     * The chains and the revocation data (OCSP where the certificate names a responder, else a CRL) of every
     * certificate below a root in {@code chains}, fetched before anything is written.
     *
     * @throws GeneralSecurityException when some revocation data cannot be had: then the level is not reached
     */
    static ValidationData collect(List<List<X509Certificate>> chains, RevocationSource revocation)
            throws GeneralSecurityException {
        List<byte[]> certificates = new ArrayList<>();
        List<byte[]> ocsps = new ArrayList<>();
        List<byte[]> crls = new ArrayList<>();
        for (List<X509Certificate> chain : chains) {
            for (int i = 0; i < chain.size(); i++) {
                X509Certificate certificate = chain.get(i);
                addOnce(certificates, certificate.getEncoded());
                if (isSelfSigned(certificate)) {
                    continue;
                }
                X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : null;
                // signed now, so after the signature's time-stamp: an answer signed ahead would not count (RevocationFreshness)
                byte[] ocsp = issuer == null ? null : revocation.freshOcsp(certificate, issuer);
                if (ocsp != null) {
                    addOnce(ocsps, ocsp);
                    for (X509Certificate responder : responderCertificates(ocsp)) {
                        addOnce(certificates, responder.getEncoded());
                    }
                    continue;
                }
                byte[] crl = revocation.crl(certificate);
                if (crl == null) {
                    throw new GeneralSecurityException("no revocation data can be had for "
                            + certificate.getSubjectX500Principal().getName() + ": it names no OCSP responder or CRL");
                }
                addOnce(crls, crl);
            }
        }
        return new ValidationData(certificates, ocsps, crls);
    }

    /**
     * Writes the document read from {@code pdf} to {@code out} with an incremental update that adds {@code data} to
     * its DSS dictionary (ISO 32000-2 12.8.4.3). The document is streamed from {@code pdf}, not held in memory.
     */
    public static void addValidationData(RandomAccessRead pdf, OutputStream out, ValidationData data,
                                  StreamCacheCreateFunction streamCache) throws GeneralSecurityException {
        try (PDDocument document = Loader.loadPDF(pdf, "", null, null, streamCache)) {
            COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
            COSDictionary dss = catalog.getCOSDictionary(DSS);
            if (dss == null) {
                dss = new COSDictionary();
            }
            append(document, dss, "Certs", data.certificates());
            append(document, dss, "OCSPs", data.ocsps());
            append(document, dss, "CRLs", data.crls());
            catalog.setItem(DSS, dss);
            document.saveIncremental(out);
        } catch (IOException e) {
            throw new GeneralSecurityException("the validation data cannot be written: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the document read from {@code pdf} to {@code out} with an invisible document time-stamp (SubFilter
     * ETSI.RFC3161) over the whole document as it is; the bytes to time-stamp are streamed to the time-stamper.
     */
    public static void addDocumentTimeStamp(RandomAccessRead pdf, OutputStream out, TimeStamper timeStamper,
                                     StreamCacheCreateFunction streamCache) throws GeneralSecurityException {
        addDocumentTimeStamp(pdf, out, timeStamper, streamCache, new ContentsRoom());
    }

    /** As above, with the room learnt from the sealer's earlier tokens ({@link ContentsRoom.TooSmall} if outgrown). */
    static void addDocumentTimeStamp(RandomAccessRead pdf, OutputStream out, TimeStamper timeStamper,
                                     StreamCacheCreateFunction streamCache, ContentsRoom rooms)
            throws GeneralSecurityException {
        try (PDDocument document = Loader.loadPDF(pdf, "", null, null, streamCache);
             SignatureOptions options = new SignatureOptions()) {
            PDSignature timeStamp = new PDSignature();
            timeStamp.setType(COSName.DOC_TIME_STAMP);
            timeStamp.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            timeStamp.setSubFilter(ETSI_RFC3161);
            int room = rooms.documentTimeStampRoom();
            options.setPreferredSignatureSize(room);
            document.addSignature(timeStamp, options);
            try (SigningSupport external = SignatureIncrement.write(document, pdf, timeStamp, out)) {
                byte[] token;
                try (InputStream content = external.getContent()) {
                    token = timeStamper.timeStamp(content);
                }
                rooms.wroteDocumentTimeStamp(token.length, room);
                external.setSignature(token);
            }
        } catch (IOException e) {
            throw new GeneralSecurityException("the document time-stamp cannot be written: " + e.getMessage(), e);
        }
    }

    /** The certificates a time-stamp token carries (the TSA's chain), signer first. */
    static List<X509Certificate> tokenCertificates(byte[] token) throws GeneralSecurityException {
        try {
            var cms = new CMSSignedData(token);
            var converter = new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle());
            var signer = cms.getSignerInfos().getSigners().iterator().next();
            List<X509Certificate> result = new ArrayList<>();
            @SuppressWarnings("unchecked")
            var own = cms.getCertificates().getMatches(signer.getSID());
            for (Object holder : own) {
                result.add(converter.getCertificate((X509CertificateHolder) holder));
            }
            for (Object holder : cms.getCertificates().getMatches(null)) {
                X509Certificate c = converter.getCertificate((X509CertificateHolder) holder);
                if (!result.contains(c)) {
                    result.add(c);
                }
            }
            return order(result);
        } catch (Exception e) {
            throw new GeneralSecurityException("the time-stamp token cannot be read: " + e.getMessage(), e);
        }
    }

    /** Orders certificates from the leaf up, each followed by its issuer when present. */
    private static List<X509Certificate> order(List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            return certificates;
        }
        List<X509Certificate> ordered = new ArrayList<>();
        ordered.add(certificates.get(0));
        boolean grew = true;
        while (grew) {
            grew = false;
            X509Certificate last = ordered.get(ordered.size() - 1);
            for (X509Certificate c : certificates) {
                if (!ordered.contains(c) && last.getIssuerX500Principal().equals(c.getSubjectX500Principal())) {
                    ordered.add(c);
                    grew = true;
                    break;
                }
            }
        }
        return ordered;
    }

    private static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey(), Providers.bouncyCastle());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<X509Certificate> responderCertificates(byte[] ocspResponse) throws GeneralSecurityException {
        try {
            BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(ocspResponse).getResponseObject();
            var converter = new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle());
            List<X509Certificate> result = new ArrayList<>();
            for (X509CertificateHolder holder : basic.getCerts()) {
                result.add(converter.getCertificate(holder));
            }
            return result;
        } catch (Exception e) {
            throw new GeneralSecurityException("not an OCSP response: " + e.getMessage(), e);
        }
    }

    private static void addOnce(List<byte[]> list, byte[] value) {
        for (byte[] existing : list) {
            if (Arrays.equals(existing, value)) {
                return;
            }
        }
        list.add(value);
    }

    private static void append(PDDocument document, COSDictionary dss, String key, List<byte[]> values)
            throws IOException {
        COSName name = COSName.getPDFName(key);
        COSArray array = dss.getCOSArray(name);
        if (array == null) {
            array = new COSArray();
        }
        List<byte[]> present = new ArrayList<>();
        for (COSBase base : array) {
            if (base instanceof COSStream stream) {
                try (InputStream in = stream.createInputStream()) {
                    present.add(in.readAllBytes());
                }
            }
        }
        for (byte[] value : values) {
            if (present.stream().noneMatch(p -> Arrays.equals(p, value))) {
                COSStream stream = document.getDocument().createCOSStream();
                try (OutputStream out = stream.createOutputStream(COSName.FLATE_DECODE)) {
                    out.write(value);
                }
                array.add(stream);
            }
        }
        dss.setItem(name, array);
    }
}
