package cn.yinxin.core.ofd.verify;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.OfdDocument;
import cn.yinxin.core.ofd.OfdLimits;
import cn.yinxin.core.ofd.OfdPackage;
import cn.yinxin.core.ofd.OfdPath;
import cn.yinxin.core.ofd.OfdXml;
import org.w3c.dom.Element;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The signature files in the package that Signatures.xml no longer lists. Signatures.xml is the one file no seal
 * covers (each later seal adds its entry), so taking an earlier seal's entry out of it takes that seal off the
 * page (a viewer draws the seals the list names) while a later seal, which covers the earlier seal's files, still
 * verifies: the document then shows fewer seals than the later seal was made over. Such a file is found by what it
 * is, an OFD Signature (root element {@code Signature} with a SignedValue), not by its name, which the signing
 * product chooses; {@link Coverage} reports a covered one as a change no rule allows. A Signature.xml that the
 * Signatures.xml of another document of the package (a later DocBody of OFD.xml, GB/T 33190 section 7.4) lists is
 * that document's seal, not one taken off this document's list (OFD.xml, which names the lists, is covered).
 */
final class UnlistedSeals {

    /** The root element of a Signature.xml, with any namespace prefix; Signatures.xml's root does not match. */
    private static final Pattern SIGNATURE_ROOT = Pattern.compile("<([A-Za-z_][\\w.-]*:)?Signature[\\s>/]");
    /** How far into a file its root element is looked for (an XML declaration and comments come first). */
    private static final int HEAD = 1024;

    private UnlistedSeals() {
    }

    /** The entries that are Signature.xml files of some signature and are not listed in Signatures.xml. */
    static Set<String> in(OfdDocument document, OfdLimits limits) {
        Set<String> listed = listedByOtherDocuments(document, limits);
        document.signatures().forEach(entry -> listed.add(entry.signatureXml()));
        Set<String> unlisted = new HashSet<>();
        for (String name : document.pack().names()) {
            if (listed.contains(name) || name.equals(document.signaturesXml())) {
                continue;
            }
            byte[] bytes = document.pack().get(name);
            String head = new String(bytes, 0, Math.min(bytes.length, HEAD), StandardCharsets.UTF_8);
            if (!SIGNATURE_ROOT.matcher(head).find()) {
                continue;
            }
            try {
                SignatureXml.parse(bytes, name, limits);
                unlisted.add(name);
            } catch (RejectedException e) {
                // not a signature's file
            }
        }
        return unlisted;
    }

    /**
     * The Signature.xml entries the other documents' Signatures.xml files list (each DocBody's Signatures, or its
     * Document.xml's, as {@code OfdReader} finds the first document's); a document whose list cannot be read lists
     * nothing here.
     */
    private static Set<String> listedByOtherDocuments(OfdDocument document, OfdLimits limits) {
        Set<String> listed = new HashSet<>();
        OfdPackage pack = document.pack();
        List<Element> bodies;
        try {
            bodies = OfdXml.children(OfdXml.root(OfdXml.parse(pack.get(OfdPackage.ENTRY), OfdPackage.ENTRY, limits),
                    "OFD", OfdPackage.ENTRY), "DocBody");
        } catch (RuntimeException e) {
            return listed;
        }
        // each part read once, however many DocBody elements name it: the work stays that of the package's size
        Set<String> seen = new HashSet<>();
        seen.add(String.valueOf(document.signaturesXml()));
        for (Element body : bodies) {
            try {
                String list = path(pack, OfdPackage.ENTRY, OfdXml.text(body, "Signatures"));
                String docRoot = path(pack, OfdPackage.ENTRY, OfdXml.text(body, "DocRoot"));
                if (list == null && docRoot != null && seen.add(docRoot)) {
                    list = path(pack, docRoot, OfdXml.text(OfdXml.root(OfdXml.parse(pack.get(docRoot), docRoot,
                            limits), "Document", docRoot), "Signatures"));
                }
                if (list == null || !seen.add(list)) {
                    continue;
                }
                Element root = OfdXml.root(OfdXml.parse(pack.get(list), list, limits), "Signatures", list);
                for (Element entry : OfdXml.children(root, "Signature")) {
                    String signature = path(pack, list, entry.getAttribute("BaseLoc"));
                    if (signature != null) {
                        listed.add(signature);
                    }
                }
            } catch (RuntimeException e) {
                // that document's list is not read: its files count as this document's
            }
        }
        return listed;
    }

    /** The existing entry {@code loc} names from {@code from}, or null. */
    private static String path(OfdPackage pack, String from, String loc) {
        if (loc == null || loc.isBlank()) {
            return null;
        }
        String path = OfdPath.resolve(from, loc);
        return pack.has(path) ? path : null;
    }
}
