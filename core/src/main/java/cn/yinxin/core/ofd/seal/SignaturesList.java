package cn.yinxin.core.ofd.seal;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.OfdDocument;
import cn.yinxin.core.ofd.OfdLimits;
import cn.yinxin.core.ofd.OfdPackage;
import cn.yinxin.core.ofd.OfdPath;
import cn.yinxin.core.ofd.OfdSigning;
import cn.yinxin.core.ofd.OfdXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Signatures.xml (GB/T 33190 section 18.1): MaxSignId and one Signature (ID, Type, BaseLoc) per signature. Opened
 * from the document, or created with OFD.xml's DocBody naming it.
 */
final class SignaturesList {

    private final String path;
    private final Document xml;
    private final byte[] ofdXml;

    private SignaturesList(String path, Document xml, byte[] ofdXml) {
        this.path = path;
        this.xml = xml;
        this.ofdXml = ofdXml;
    }

    static SignaturesList open(OfdDocument document, OfdLimits limits) {
        String path = document.signaturesXml();
        for (OfdDocument.SignatureEntry entry : document.signatures()) {
            Element signature = OfdXml.parse(document.pack().get(entry.signatureXml()), entry.signatureXml(), limits)
                    .getDocumentElement();
            for (Element reference : OfdXml.descendants(signature, "Reference")) {
                if (OfdPath.resolve("", reference.getAttribute("FileRef")).equals(path)) {
                    // that seal fixed the list (closed signing): adding an entry would break it
                    throw new RejectedException(Problem.OFD_SIGNING_CLOSED, "Signature " + entry.id()
                            + " protects " + path + ": the OFD allows no further seal.");
                }
            }
        }
        return new SignaturesList(path, OfdXml.parse(document.pack().get(path), path, limits), null);
    }

    /** A new list next to Document.xml (Signs/Signatures.xml), and OFD.xml with DocBody/Signatures naming it. */
    static SignaturesList create(OfdDocument document, OfdLimits limits) {
        String path = OfdPath.folder(document.documentXml()) + "Signs/Signatures.xml";
        Document list = OfdXml.newDocument("Signatures");
        OfdXml.add(list.getDocumentElement(), "MaxSignId", "0");
        Document ofd = OfdXml.parse(document.pack().get(OfdPackage.ENTRY), OfdPackage.ENTRY, limits);
        Element body = OfdXml.required(ofd.getDocumentElement(), "DocBody", OfdPackage.ENTRY);
        // CT_DocBody's children: DocInfo, DocRoot, Versions, Signatures: Signatures goes last
        OfdXml.add(body, "Signatures", path);
        return new SignaturesList(path, list, OfdXml.bytes(ofd));
    }

    String path() {
        return path;
    }

    /** OFD.xml as changed to name a new list, or null when the list existed. */
    byte[] ofdXml() {
        return ofdXml;
    }

    /** The first Sign_N folder (next to Signatures.xml) with no entry in the package. */
    String newFolder(OfdPackage pack) {
        String base = OfdPath.folder(path);
        for (int n = 0; ; n++) {
            String folder = base + "Sign_" + n + "/";
            if (pack.names().stream().noneMatch(name -> name.startsWith(folder))) {
                return folder;
            }
        }
    }

    /** The list's bytes with a new Seal entry for {@code signatureXml}, its ID one above the highest. */
    byte[] withEntry(String signatureXml) {
        Element root = xml.getDocumentElement();
        long max = 0;
        String stated = OfdXml.text(root, "MaxSignId");
        if (stated != null && stated.matches("\\d{1,9}")) {
            max = Long.parseLong(stated);
        }
        for (Element e : OfdXml.children(root, "Signature")) {
            if (e.getAttribute("ID").matches("\\d{1,9}")) {
                max = Math.max(max, Long.parseLong(e.getAttribute("ID")));
            }
        }
        String id = Long.toString(max + 1);
        Element maxElement = OfdXml.child(root, "MaxSignId");
        if (maxElement == null) {
            maxElement = OfdXml.add(root, "MaxSignId");
            root.insertBefore(maxElement, root.getFirstChild());
        }
        maxElement.setTextContent(id);
        Element entry = OfdXml.add(root, "Signature");
        entry.setAttribute("ID", id);
        entry.setAttribute("Type", OfdSigning.TYPE_SEAL);
        entry.setAttribute("BaseLoc", signatureXml);
        return OfdXml.bytes(xml);
    }
}
