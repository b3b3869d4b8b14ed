package cn.yinxin.core.ofd;

import org.w3c.dom.Element;

/**
 * The files an OFD attaches (GB/T 33190 section 20: Document.xml names Attachments.xml, whose Attachment entries
 * give a Name and a FileLoc relative to that list), read from a package already read.
 */
public final class OfdAttachments {

    private OfdAttachments() {
    }

    /**
     * The bytes of the attachment called {@code name}, or null when the document attaches none by that name. Only the
     * list is parsed here: where it is, the reader found already.
     */
    public static byte[] find(OfdDocument document, String name, OfdLimits limits) {
        OfdPackage pack = document.pack();
        String list = document.attachmentsXml();
        if (list == null) {
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
