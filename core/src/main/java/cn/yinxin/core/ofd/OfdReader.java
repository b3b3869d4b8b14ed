package cn.yinxin.core.ofd;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an OFD by following the paths its XML gives (GB/T 33190 section 7): OFD.xml -> DocBody/DocRoot ->
 * Document.xml -> CommonData (page area, PublicRes, DocumentRes, TemplatePage), Pages/Page BaseLoc -> each page's Content.xml
 * (and its PageRes), Annotations, Attachments; DocBody/Signatures -> Signatures.xml -> each Signature's BaseLoc ->
 * Signature.xml -> its Seal and SignedValue. Every path must stay in the package and name an entry that exists;
 * each XML part is parsed securely ({@link OfdXml}); sizes are held to {@link OfdLimits}. Only the first DocBody is
 * read (one document per package is what e-licences and sealed results are).
 */
public final class OfdReader {

    private final OfdLimits limits;

    public OfdReader(OfdLimits limits) {
        this.limits = limits;
    }

    public OfdReader() {
        this(OfdLimits.DEFAULT);
    }

    public OfdDocument read(byte[] ofd) {
        return read(OfdPackage.read(ofd, limits));
    }

    public OfdDocument read(OfdPackage pack) {
        Set<String> parts = new LinkedHashSet<>();
        parts.add(OfdPackage.ENTRY);
        ParsedParts xml = new ParsedParts(pack, limits);
        Element ofd = OfdXml.root(xml.parse(OfdPackage.ENTRY), "OFD",
                OfdPackage.ENTRY);
        Element body = OfdXml.required(ofd, "DocBody", OfdPackage.ENTRY);
        Set<String> conflicts = new LinkedHashSet<>();
        Set<String> statedTwice = new HashSet<>();
        Map<String, String> customData = customData(body, conflicts, statedTwice);
        conflicts.addAll(LicenceMetadata.conflicts(customData));
        String docRoot = existing(pack, OfdPackage.ENTRY, OfdXml.text(body, "DocRoot"));
        if (docRoot == null) {
            throw new RejectedException(Problem.DAMAGED_OFD, "OFD.xml names no DocRoot.");
        }
        parts.add(docRoot);
        Element document = OfdXml.root(xml.parse(docRoot), "Document", docRoot);
        Element common = OfdXml.required(document, "CommonData", docRoot);
        double[] defaultBox = box(OfdXml.child(common, "PageArea"), null, docRoot);
        for (String res : List.of("PublicRes", "DocumentRes")) {
            for (Element e : OfdXml.children(common, res)) {
                resources(pack, xml, docRoot, e.getTextContent(), parts);
            }
        }
        for (Element template : OfdXml.children(common, "TemplatePage")) {
            // GB/T 33190 7.5: template pages, drawn under (or over) the pages that name them
            parts.add(required(pack, docRoot, template.getAttribute("BaseLoc"), "A TemplatePage"));
        }
        List<OfdDocument.Page> pages = pages(pack, xml, document, docRoot, defaultBox, parts);
        String attachmentsXml = null;
        for (String optional : List.of("Annotations", "Attachments", "CustomTags")) {
            String path = existing(pack, docRoot, OfdXml.text(document, optional));
            if (path != null) {
                parts.add(path);
            }
            attachmentsXml = optional.equals("Attachments") ? path : attachmentsXml;
        }
        String signaturesXml = existing(pack, OfdPackage.ENTRY, OfdXml.text(body, "Signatures"));
        if (signaturesXml == null) {
            // GB/T 33190-2016 names the signatures in DocBody; some producers write them in Document.xml
            signaturesXml = existing(pack, docRoot, OfdXml.text(document, "Signatures"));
        }
        List<OfdDocument.SignatureEntry> signatures = signaturesXml == null ? List.of()
                : signatures(pack, xml, signaturesXml, parts);
        String licenceConflict = conflicts.isEmpty() ? null : "OFD.xml gives the licence data "
                + String.join(", ", conflicts) + " twice with different values: which one counts cannot be told.";
        return new OfdDocument(pack, docRoot, customData, statedTwice, LicenceMetadata.fromCustomData(customData),
                pages, List.copyOf(parts), signaturesXml, attachmentsXml, signatures, licenceConflict);
    }

    /**
     * OFD.xml's CustomData, the first value of each name; {@code statedTwice} gains every name (stripped) given again
     * with another value, {@code conflicts} those of them that are licence data.
     */
    private static Map<String, String> customData(Element body, Set<String> conflicts, Set<String> statedTwice) {
        Map<String, String> data = new LinkedHashMap<>();
        Map<String, String> firstByName = new HashMap<>();
        Element info = OfdXml.child(body, "DocInfo");
        Element datas = info == null ? null : OfdXml.child(info, "CustomDatas");
        if (datas != null) {
            for (Element d : OfdXml.children(datas, "CustomData")) {
                String name = d.getAttribute("Name");
                String before = data.putIfAbsent(name, d.getTextContent().strip());
                String first = firstByName.putIfAbsent(name.strip(), d.getTextContent().strip());
                if (first != null && !first.equals(d.getTextContent().strip())) {
                    statedTwice.add(name.strip());
                }
                // the same name twice: we keep the first, another reader may show the last (an empty first one
                // would hide the identifier from the seal service's licence check)
                if (before != null && !before.equals(d.getTextContent().strip())
                        && LicenceMetadata.isLicenceField(name)) {
                    conflicts.add(name.strip());
                }
            }
        }
        return data;
    }

    private List<OfdDocument.Page> pages(OfdPackage pack, ParsedParts xml, Element document, String docRoot,
                                         double[] defaultBox, Set<String> parts) {
        Element pagesElement = OfdXml.required(document, "Pages", docRoot);
        List<Element> pageElements = OfdXml.children(pagesElement, "Page");
        if (pageElements.isEmpty()) {
            throw new RejectedException(Problem.DAMAGED_OFD, docRoot + " lists no page.");
        }
        if (pageElements.size() > limits.maxPages()) {
            throw new RejectedException(Problem.OFD_TOO_LARGE, "The document has " + pageElements.size()
                    + " pages; at most " + limits.maxPages() + " are accepted.");
        }
        List<OfdDocument.Page> pages = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Element p : pageElements) {
            // a StampAnnot names its page by ID: two pages of one ID, and readers draw the seal on either
            if (!p.getAttribute("ID").isBlank() && !ids.add(p.getAttribute("ID").strip())) {
                throw new RejectedException(Problem.DAMAGED_OFD, docRoot + " gives two pages the ID \""
                        + p.getAttribute("ID").strip() + "\": which page a seal names cannot be told.");
            }
            String content = required(pack, docRoot, p.getAttribute("BaseLoc"), "A Page");
            parts.add(content);
            Element page = OfdXml.root(xml.parse(content), "Page", content);
            double[] box = box(OfdXml.child(page, "Area"), defaultBox, content);
            for (Element res : OfdXml.children(page, "PageRes")) {
                resources(pack, xml, content, res.getTextContent(), parts);
            }
            pages.add(new OfdDocument.Page(pages.size() + 1, p.getAttribute("ID"), content, box[2], box[3]));
        }
        return pages;
    }

    /** PhysicalBox of an area ("x y width height", mm), held to maxPageSideMm; the default when absent. */
    private double[] box(Element area, double[] fallback, String part) {
        String text = area == null ? null : OfdXml.text(area, "PhysicalBox");
        if (text == null) {
            if (fallback == null) {
                // GB/T 33190 makes PageArea required in CommonData; A4 when a producer left it out
                return new double[] {0, 0, 210, 297};
            }
            return fallback;
        }
        double[] box = OfdBoxes.parse(text, part);
        if (!(box[2] > 0 && box[3] > 0)) {
            throw new RejectedException(Problem.DAMAGED_OFD, "A page area in \"" + part + "\" has no size.");
        }
        if (box[2] > limits.maxPageSideMm() || box[3] > limits.maxPageSideMm()) {
            throw new RejectedException(Problem.OFD_TOO_LARGE, "A page in \"" + part + "\" is " + box[2] + " x "
                    + box[3] + " mm; at most " + limits.maxPageSideMm() + " mm a side is accepted.");
        }
        return box;
    }

    /**
     * A resource file (GB/T 33190 section 7.9): its media and font files live under its BaseLoc, relative to the
     * resource file's own folder.
     */
    private void resources(OfdPackage pack, ParsedParts xml, String from, String loc, Set<String> parts) {
        String res = existing(pack, from, loc);
        if (res == null || !parts.add(res)) {
            return;
        }
        Element root = OfdXml.root(xml.parse(res), "Res", res);
        String baseLoc = root.getAttribute("BaseLoc");
        // the file a media or font path is resolved from: a name inside BaseLoc's folder
        String base = baseLoc.isBlank() ? res : OfdPath.resolve(res, baseLoc.strip() + "/_");
        for (Element media : OfdXml.descendants(root, "MediaFile")) {
            parts.add(required(pack, base, media.getTextContent(), res, "A MediaFile"));
        }
        for (Element font : OfdXml.descendants(root, "FontFile")) {
            parts.add(required(pack, base, font.getTextContent(), res, "A FontFile"));
        }
    }

    private List<OfdDocument.SignatureEntry> signatures(OfdPackage pack, ParsedParts xml, String signaturesXml,
                                                         Set<String> parts) {
        parts.add(signaturesXml);
        Element root = OfdXml.root(xml.parse(signaturesXml), "Signatures",
                signaturesXml);
        List<Element> entries = OfdXml.children(root, "Signature");
        if (entries.size() > limits.maxSignatures()) {
            throw new RejectedException(Problem.OFD_TOO_LARGE, "Signatures.xml lists " + entries.size()
                    + " signatures; at most " + limits.maxSignatures() + " are accepted.");
        }
        List<OfdDocument.SignatureEntry> found = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (Element e : entries) {
            String signatureXml = required(pack, signaturesXml, e.getAttribute("BaseLoc"), "A Signature");
            // one seal listed twice would be reported as two seals, each counting the other's files as a later
            // seal's (and verified twice over): Signatures.xml is not protected by any seal, so it is refused
            if (!listed.add(signatureXml)) {
                throw new RejectedException(Problem.DAMAGED_OFD, "Signatures.xml lists \"/" + signatureXml
                        + "\" twice.");
            }
            parts.add(signatureXml);
            String type = e.getAttribute("Type").isBlank() ? "Seal" : e.getAttribute("Type");
            found.add(new OfdDocument.SignatureEntry(e.getAttribute("ID"), type, signatureXml));
        }
        return found;
    }

    /**
     * The entry a location the standard requires names ({@code what}, e.g. "A Signature", found in {@code from}):
     * DAMAGED_OFD when it is absent or blank, so no null path reaches the list of parts or the package.
     */
    static String required(OfdPackage pack, String from, String loc, String what) {
        return required(pack, from, loc, from, what);
    }

    /** As above, {@code namedIn} being the part to name in the refusal. */
    static String required(OfdPackage pack, String from, String loc, String namedIn, String what) {
        String path = existing(pack, from, loc, namedIn);
        if (path == null) {
            throw new RejectedException(Problem.DAMAGED_OFD, what + " in \"" + namedIn + "\" names no location.");
        }
        return path;
    }

    /** The entry {@code loc} (found in {@code from}) names, checked to exist; null when loc is absent. */
    static String existing(OfdPackage pack, String from, String loc) {
        return existing(pack, from, loc, from);
    }

    /** As above, {@code namedIn} being the part to name in the refusal. */
    static String existing(OfdPackage pack, String from, String loc, String namedIn) {
        if (loc == null || loc.isBlank()) {
            return null;
        }
        String path = OfdPath.resolve(from, loc);
        if (!pack.has(path)) {
            throw new RejectedException(Problem.DAMAGED_OFD, "\"" + namedIn + "\" names \"" + loc.strip()
                    + "\", which the package does not hold.");
        }
        return path;
    }
}
