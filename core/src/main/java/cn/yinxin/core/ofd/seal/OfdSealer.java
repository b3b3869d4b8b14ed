package cn.yinxin.core.ofd.seal;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.OfdDocument;
import cn.yinxin.core.ofd.OfdLimits;
import cn.yinxin.core.ofd.OfdPackage;
import cn.yinxin.core.ofd.OfdPath;
import cn.yinxin.core.ofd.OfdReader;
import cn.yinxin.core.ofd.OfdSigning;
import cn.yinxin.core.ofd.OfdXml;
import cn.yinxin.core.ofd.OfdBoxes;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pki.cms.TimeStamper;
import cn.yinxin.core.ses.SesSignature;
import cn.yinxin.core.ses.SesSigner;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Seals an OFD with a GB/T 38540 electronic seal (GB/T 33190 section 18, GB/T 38540 section 7), in continue-signing
 * mode so that further seals stay possible:
 * <ol>
 * <li>Signatures.xml: the one DocBody/Signatures names, or a new {@code <Document folder>/Signs/Signatures.xml}
 * named in OFD.xml's DocBody (OFD.xml is changed first, so this seal covers the change);</li>
 * <li>a new folder {@code Signs/Sign_N/} with Seal.esl (the SESeal);</li>
 * <li>Signature.xml: SignedInfo with Provider, SignatureMethod (SM3withSM2), SignatureDateTime, References
 * (CheckMethod SM3, one Reference FileRef + CheckValue per entry of the package but Signatures.xml and this
 * signature's Signature.xml and SignedValue.dat), a StampAnnot per page the seal shows on, Seal/BaseLoc; and
 * SignedValue naming SignedValue.dat;</li>
 * <li>SignedValue.dat: the SES_Signature whose dataHash is SM3(Signature.xml) and whose propertyInfo is
 * Signature.xml's absolute path, time-stamped over the signature bits when a time-stamper is given;</li>
 * <li>Signatures.xml gains the entry (ID, Type "Seal", BaseLoc) and MaxSignId.</li>
 * </ol>
 * Signatures.xml is left out of every seal's references: that is what lets a later seal add its entry.
 */
public final class OfdSealer {

    /** SignedInfo Provider, as Yinxin writes it. */
    public static final String PROVIDER = "Yinxin";

    private final TimeStamper timeStamper;
    private final OfdLimits limits;

    /** @param timeStamper null: no time-stamp on the seal signature */
    public OfdSealer(TimeStamper timeStamper, OfdLimits limits) {
        this.timeStamper = timeStamper;
        this.limits = limits;
    }

    public OfdSealer(TimeStamper timeStamper) {
        this(timeStamper, OfdLimits.DEFAULT);
    }

    /** The OFD with the seal added (bytes in, bytes out). */
    public byte[] seal(byte[] ofd, OfdSealRequest request) throws GeneralSecurityException {
        return seal(OfdPackage.read(ofd, limits), request).toZip();
    }

    /** Several seals, one after the other (each covers the ones before it). */
    public byte[] seal(byte[] ofd, List<OfdSealRequest> requests) throws GeneralSecurityException {
        OfdPackage pack = OfdPackage.read(ofd, limits);
        for (OfdSealRequest request : requests) {
            pack = seal(pack, request);
        }
        return pack.toZip();
    }

    public OfdPackage seal(OfdPackage pack, OfdSealRequest request) throws GeneralSecurityException {
        return seal(new OfdReader(limits).read(pack), request).pack();
    }

    /**
     * One seal and where it went: the page and the centre (mm from the top-left) of its first StampAnnot, as written
     * in Signature.xml (so an anchor's or a cross-page seal's place is the one found).
     */
    public record Sealed(OfdPackage pack, SealPlacement placed) {
    }

    /**
     * One seal over a package already read ({@code document.pack()}): a caller that has read the document for its
     * own checks does not pay for a second reading (in the seal service, reading was a quarter of an OFD stamp).
     */
    public Sealed seal(OfdDocument document, OfdSealRequest request) throws GeneralSecurityException {
        OfdPackage pack = document.pack();
        if (document.licenceConflict() != null) {
            // a seal over licence data that readers disagree on would vouch for whichever one each reader shows
            throw new RejectedException(Problem.DAMAGED_OFD, document.licenceConflict());
        }
        var picture = request.seal().sealInfo().picture();
        List<StampAnnots.Stamp> stamps = StampAnnots.place(document, request.placement(), picture.widthMm(),
                picture.heightMm(), limits);

        SignaturesList list = document.signaturesXml() == null ? SignaturesList.create(document, limits)
                : SignaturesList.open(document, limits);
        pack = list.ofdXml() == null ? pack : pack.with(OfdPackage.ENTRY, list.ofdXml());
        String folder = list.newFolder(pack);
        String signatureXml = folder + "Signature.xml";
        String signedValue = folder + "SignedValue.dat";
        String sealFile = folder + "Seal.esl";
        pack = pack.with(sealFile, request.seal().der());

        Document signature = OfdXml.newDocument("Signature");
        Element info = OfdXml.add(signature.getDocumentElement(), "SignedInfo");
        Element provider = OfdXml.add(info, "Provider");
        provider.setAttribute("ProviderName", PROVIDER);
        provider.setAttribute("Company", PROVIDER);
        provider.setAttribute("Version", "1.0");
        OfdXml.add(info, "SignatureMethod", OfdSigning.SM3_WITH_SM2);
        OfdXml.add(info, "SignatureDateTime", OfdSigning.dateTime(request.signingTime()));
        Element references = OfdXml.add(info, "References");
        references.setAttribute("CheckMethod", OfdSigning.SM3);
        for (String entry : pack.names()) {
            if (entry.equals(list.path())) {
                continue; // continue-signing: Signatures.xml stays open for later seals
            }
            Element reference = OfdXml.add(references, "Reference");
            reference.setAttribute("FileRef", OfdPath.absolute(entry));
            OfdXml.add(reference, "CheckValue", OfdSigning.checkValue(pack.get(entry)));
        }
        int annot = 1;
        for (StampAnnots.Stamp stamp : stamps) {
            Element element = OfdXml.add(info, "StampAnnot");
            element.setAttribute("ID", Integer.toString(annot++));
            element.setAttribute("PageRef", stamp.page().id());
            double[] b = stamp.boundary();
            element.setAttribute("Boundary", OfdBoxes.format(b[0], b[1], b[2], b[3]));
            if (stamp.clip() != null) {
                double[] c = stamp.clip();
                element.setAttribute("Clip", OfdBoxes.format(c[0], c[1], c[2], c[3]));
            }
        }
        OfdXml.add(OfdXml.add(info, "Seal"), "BaseLoc", OfdPath.absolute(sealFile));
        OfdXml.add(signature.getDocumentElement(), "SignedValue", OfdPath.absolute(signedValue));
        byte[] signatureBytes = OfdXml.bytes(signature);

        // GB/T 38540 7.2: dataHash = SM3(Signature.xml); propertyInfo names it
        SesSignature ses = SesSigner.sign(request.seal(), request.signer(), signatureBytes,
                OfdPath.absolute(signatureXml), request.signingTime(), timeStamper);
        pack = pack.with(signatureXml, signatureBytes).with(signedValue, ses.der());
        return new Sealed(pack.with(list.path(), list.withEntry(OfdPath.absolute(signatureXml))), placed(stamps.get(0)));
    }

    /** The centre of a StampAnnot's Boundary as written (three decimals), so the record equals what a reader finds. */
    private static SealPlacement placed(StampAnnots.Stamp stamp) {
        double[] b = stamp.boundary();
        double x = Double.parseDouble(OfdBoxes.number(b[0]));
        double y = Double.parseDouble(OfdBoxes.number(b[1]));
        double width = Double.parseDouble(OfdBoxes.number(b[2]));
        double height = Double.parseDouble(OfdBoxes.number(b[3]));
        return new SealPlacement(stamp.page().number(), x + width / 2, y + height / 2);
    }
}
