package cn.yinxin.core.ofd.verify;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.OfdLimits;
import cn.yinxin.core.ofd.OfdPath;
import cn.yinxin.core.ofd.OfdXml;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A Signature.xml as read (GB/T 33190 section 18.2): SignedInfo's SignatureMethod, SignatureDateTime, the
 * References (CheckMethod, FileRef + CheckValue), the StampAnnots' page references, the Seal's BaseLoc, and
 * SignedValue. Locations are resolved as absolute from the package root when they start with "/" and, when they
 * do not, from the root as well (GB/T 33190 does not say what a relative FileRef is relative to; the producers we
 * know write absolute ones).
 */
record SignatureXml(String signatureMethod, String dateTime, String checkMethod, List<Reference> references,
                    List<String> stampPages, String sealFile, String signedValue) {

    /** One Reference: the entry it fixes and the digest it states (null when not base64). */
    record Reference(String entry, byte[] checkValue) {
    }

    static SignatureXml parse(byte[] xml, String part, OfdLimits limits) {
        Element root = OfdXml.root(OfdXml.parse(xml, part, limits), "Signature", part);
        Element info = OfdXml.required(root, "SignedInfo", part);
        Element references = OfdXml.required(info, "References", part);
        List<Reference> refs = new ArrayList<>();
        for (Element reference : OfdXml.children(references, "Reference")) {
            byte[] value;
            try {
                value = Base64.getMimeDecoder().decode(OfdXml.text(reference, "CheckValue") == null ? ""
                        : OfdXml.text(reference, "CheckValue"));
            } catch (IllegalArgumentException e) {
                value = null;
            }
            refs.add(new Reference(OfdPath.resolve("", reference.getAttribute("FileRef")), value));
        }
        List<String> pages = new ArrayList<>();
        for (Element annot : OfdXml.children(info, "StampAnnot")) {
            pages.add(annot.getAttribute("PageRef").strip());
        }
        Element seal = OfdXml.child(info, "Seal");
        String sealFile = seal == null || OfdXml.text(seal, "BaseLoc") == null ? null
                : OfdPath.resolve("", OfdXml.text(seal, "BaseLoc"));
        String signedValue = OfdXml.text(root, "SignedValue");
        if (signedValue == null || signedValue.isBlank()) {
            throw new RejectedException(Problem.DAMAGED_OFD, "\"" + part + "\" names no SignedValue.");
        }
        String method = references.getAttribute("CheckMethod");
        return new SignatureXml(OfdXml.text(info, "SignatureMethod"), OfdXml.text(info, "SignatureDateTime"),
                method.isBlank() ? "MD5" : method.strip(), refs, pages, sealFile, OfdPath.resolve("", signedValue));
    }
}
