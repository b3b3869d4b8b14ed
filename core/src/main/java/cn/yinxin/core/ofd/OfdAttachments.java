package cn.yinxin.core.ofd;

import org.w3c.dom.Element;

/**
 * The files an OFD attaches (GB/T 33190 section 20: Document.xml names Attachments.xml, whose Attachment entries
 * give a Name and a FileLoc relative to that list), read from a package already read.
 */
public final class OfdAttachments {

    private OfdAttachments() {
    }

    /** The bytes of the attachment called {@code name}, or null when the document attaches none by that name. */
    public static byte[] find(OfdDocument document, String name, OfdLimits limits) {
        OfdPackage pack = document.pack();
        Element root = OfdXml.parse(pack.get(document.documentXml()), document.documentXml(), limits)
                .getDocumentElement();
        String loc = OfdXml.text(root, "Attachments");
        if (loc == null || loc.isBlank()) {
            return null;
        }
        String list = OfdPath.resolve(document.documentXml(), loc);
        if (!pack.has(list)) {
            return null;
        }
        Element attachments = OfdXml.parse(pack.get(list), list, limits).getDocumentElement();
        for (Element attachment : OfdXml.children(attachments, "Attachment")) {
            if (name.equals(attachment.getAttribute("Name"))) {
                String file = OfdXml.text(attachment, "FileLoc");
                String path = file == null || file.isBlank() ? null : OfdPath.resolve(list, file);
                return path != null && pack.has(path) ? pack.get(path) : null;
            }
        }
        return null;
    }
}
