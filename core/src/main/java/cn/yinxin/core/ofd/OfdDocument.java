package cn.yinxin.core.ofd;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An OFD as {@link OfdReader} found it by following the paths its XML gives: the package, the first document's
 * parts, its pages and resources, its licence metadata and its signatures. Every path here is an entry of
 * {@link #pack()} (checked when read).
 *
 * @param documentXml   the entry DocBody/DocRoot names (e.g. Doc_0/Document.xml)
 * @param customData    OFD.xml DocInfo/CustomDatas, name to value (the first of a name)
 * @param customDataStatedTwice the names (stripped) CustomDatas gives more than once with different values: readers
 *                      that keep the last would show another value than {@link #customData()}
 * @param licence       the GB/T 36903 metadata in customData, or null
 * @param parts         every entry the XML names (OFD.xml, Document.xml, pages, resource files, media, fonts,
 *                      annotations, Signatures.xml and each signature's files)
 * @param signaturesXml the entry DocBody/Signatures names, or null when the document has none
 * @param attachmentsXml the entry Document.xml's Attachments names (GB/T 33190 section 20), or null
 * @param licenceConflict null, or why the licence metadata cannot be trusted: a data element given twice with
 *                        different values (under one name or two of its names), which readers would disagree on
 */
public record OfdDocument(OfdPackage pack, String documentXml, Map<String, String> customData,
                          Set<String> customDataStatedTwice, LicenceMetadata licence, List<Page> pages,
                          List<String> parts, String signaturesXml, String attachmentsXml,
                          List<SignatureEntry> signatures, String licenceConflict) {

    public OfdDocument {
        customData = Map.copyOf(customData);
        customDataStatedTwice = Set.copyOf(customDataStatedTwice);
        pages = List.copyOf(pages);
        parts = List.copyOf(parts);
        signatures = List.copyOf(signatures);
    }

    /**
     * One page (GB/T 33190 section 8): its number (1-based, in Document.xml's order), its ID (what StampAnnot
     * PageRef names), its content entry and its physical box in millimetres.
     */
    public record Page(int number, String id, String content, double widthMm, double heightMm) {
    }

    /**
     * One entry of Signatures.xml (GB/T 33190 section 18.1): its ID, Type (Seal or Sign) and the Signature.xml
     * entry its BaseLoc names.
     */
    public record SignatureEntry(String id, String type, String signatureXml) {
    }

    /** The page with this number; null when there is none. */
    public Page page(int number) {
        return number >= 1 && number <= pages.size() ? pages.get(number - 1) : null;
    }
}
