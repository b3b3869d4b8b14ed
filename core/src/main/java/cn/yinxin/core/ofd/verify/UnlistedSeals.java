package cn.yinxin.core.ofd.verify;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.OfdDocument;
import cn.yinxin.core.ofd.OfdLimits;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The signature files in the package that Signatures.xml no longer lists. Signatures.xml is the one file no seal
 * covers (each later seal adds its entry), so taking an earlier seal's entry out of it takes that seal off the
 * page (a viewer draws the seals the list names) while a later seal, which covers the earlier seal's files, still
 * verifies: the document then shows fewer seals than the later seal was made over. Such a file is found by what it
 * is, an OFD Signature (root element {@code Signature} with a SignedValue), not by its name, which the signing
 * product chooses; {@link Coverage} reports a covered one as a change no rule allows.
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
        Set<String> listed = new HashSet<>();
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
}
