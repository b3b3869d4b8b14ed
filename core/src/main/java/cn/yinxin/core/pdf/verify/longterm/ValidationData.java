package cn.yinxin.core.pdf.verify.longterm;

import cn.yinxin.core.pdf.verify.DecodeBudget;
import cn.yinxin.core.pdf.sign.LongTermValidation;
import cn.yinxin.core.pdf.verify.VerificationLimits;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The validation data a document carries in its DSS dictionary (ISO 32000-2 12.8.4.3): certificates, OCSP
 * responses and CRLs, as added for PAdES-BASELINE-LT. Unreadable entries are skipped (and counted): they prove
 * nothing, and a forger gains nothing by adding them.
 *
 * <p>Each entry is read once: an object listed many times (one CRL referenced 2,000 times), or many objects with
 * the same bytes, is decoded and parsed once; the distinct entries are bounded by
 * {@link VerificationLimits#maxDssEntries()} and their decoding by the verification's {@link DecodeBudget}.
 */
public record ValidationData(List<X509Certificate> certificates, List<BasicOCSPResp> ocsps, List<X509CRL> crls,
                      int unreadable) {

    public static final ValidationData NONE = new ValidationData(List.of(), List.of(), List.of(), 0);

    public static ValidationData of(PDDocument document) {
        return of(document, DecodeBudget.defaults());
    }

    /** @throws LimitExceededException past the limit on DSS entries, decoded bytes or time */
    public static ValidationData of(PDDocument document, DecodeBudget budget) {
        COSDictionary dss = document.getDocumentCatalog().getCOSObject().getCOSDictionary(LongTermValidation.DSS);
        if (dss == null) {
            return NONE;
        }
        List<X509Certificate> certificates = new ArrayList<>();
        List<BasicOCSPResp> ocsps = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        int unreadable = 0;
        Distinct distinct = new Distinct(budget);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : distinct.streams(dss, "Certs")) {
                try {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
                } catch (Exception e) {
                    unreadable++;
                }
            }
            for (byte[] der : distinct.streams(dss, "OCSPs")) {
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
            for (byte[] der : distinct.streams(dss, "CRLs")) {
                try {
                    crls.add((X509CRL) factory.generateCRL(new ByteArrayInputStream(der)));
                } catch (Exception e) {
                    unreadable++;
                }
            }
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 is always available", e);
        }
        return new ValidationData(List.copyOf(certificates), List.copyOf(ocsps), List.copyOf(crls), unreadable);
    }

    boolean isEmpty() {
        return ocsps.isEmpty() && crls.isEmpty();
    }

    /**
     * The entries of the DSS arrays, each object and each distinct content once: references are told apart by object
     * key (and by identity for direct streams), decoded bytes by their content.
     */
    private static final class Distinct {
        private final DecodeBudget budget;
        private final Set<COSObjectKey> keys = new HashSet<>();
        private final Set<COSBase> objects = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<ByteBuffer> contents = new HashSet<>();

        Distinct(DecodeBudget budget) {
            this.budget = budget;
        }

        List<byte[]> streams(COSDictionary dss, String key) {
            List<byte[]> values = new ArrayList<>();
            COSArray array = dss.getCOSArray(COSName.getPDFName(key));
            if (array == null) {
                return values;
            }
            for (int i = 0; i < array.size(); i++) {
                COSBase item = array.get(i);
                if (item instanceof COSObject reference && reference.getKey() != null && !keys.add(reference.getKey())) {
                    continue; // the same object again: its bytes are in hand already
                }
                COSBase entry = array.getObject(i);
                if (!(entry instanceof COSStream stream) || !objects.add(stream)) {
                    continue;
                }
                budget.check(VerificationLimits.Limit.DSS_ENTRIES, objects.size(), budget.limits().maxDssEntries(),
                        "distinct entries of validation data (certificates, OCSP responses, CRLs) or more in /DSS");
                if (objects.size() % 64 == 0) {
                    budget.checkTime();
                }
                try {
                    byte[] bytes = budget.decode(stream);
                    if (contents.add(ByteBuffer.wrap(bytes))) {
                        values.add(bytes);
                    }
                } catch (IOException e) {
                    // a damaged stream: nothing to use
                }
            }
            return values;
        }
    }
}
