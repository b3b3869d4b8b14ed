package cn.yinxin.core.pdf;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation data a document carries in its DSS dictionary (ISO 32000-2 12.8.4.3): certificates, OCSP
 * responses and CRLs, as added for PAdES-BASELINE-LT. Unreadable entries are skipped (and counted): they prove
 * nothing, and a forger gains nothing by adding them.
 */
record ValidationData(List<X509Certificate> certificates, List<BasicOCSPResp> ocsps, List<X509CRL> crls,
                      int unreadable) {

    static final ValidationData NONE = new ValidationData(List.of(), List.of(), List.of(), 0);

    static ValidationData of(PDDocument document) {
        COSDictionary dss = document.getDocumentCatalog().getCOSObject().getCOSDictionary(LongTermValidation.DSS);
        if (dss == null) {
            return NONE;
        }
        List<X509Certificate> certificates = new ArrayList<>();
        List<BasicOCSPResp> ocsps = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        int unreadable = 0;
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : streams(dss, "Certs")) {
                try {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
                } catch (Exception e) {
                    unreadable++;
                }
            }
            for (byte[] der : streams(dss, "OCSPs")) {
                try {
                    Object response = new OCSPResp(der).getResponseObject();
                    if (response instanceof BasicOCSPResp basic) {
                        ocsps.add(basic);
                    } else {
                        unreadable++;
                    }
                } catch (Exception e) {
                    unreadable++;
                }
            }
            for (byte[] der : streams(dss, "CRLs")) {
                try {
                    crls.add((X509CRL) factory.generateCRL(new ByteArrayInputStream(der)));
                } catch (Exception e) {
                    unreadable++;
                }
            }
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException("X.509 is always available", e);
        }
        return new ValidationData(List.copyOf(certificates), List.copyOf(ocsps), List.copyOf(crls), unreadable);
    }

    boolean isEmpty() {
        return ocsps.isEmpty() && crls.isEmpty();
    }

    private static List<byte[]> streams(COSDictionary dss, String key) {
        List<byte[]> values = new ArrayList<>();
        COSArray array = dss.getCOSArray(COSName.getPDFName(key));
        if (array == null) {
            return values;
        }
        for (int i = 0; i < array.size(); i++) {
            COSBase entry = array.getObject(i);
            if (entry instanceof COSStream stream) {
                try (InputStream in = stream.createInputStream()) {
                    values.add(in.readNBytes(1 << 20));
                } catch (IOException e) {
                    // a damaged stream: nothing to use
                }
            }
        }
        return values;
    }
}
