package cn.yinxin.core.ofd;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.w3c.dom.Document;

import java.util.HashMap;
import java.util.Map;

/**
 * The XML parts of one package as {@link OfdReader} reads them: each part parsed once however many pages or
 * resources name it (5,000 pages naming one 1 MiB Content.xml would otherwise parse 5 GB of XML for a request of
 * 1 MB), and the bytes parsed in all held to {@link OfdLimits#maxParsedXmlBytes}. One instance per read.
 */
final class ParsedParts {

    private final OfdPackage pack;
    private final OfdLimits limits;
    private final Map<String, Document> parsed = new HashMap<>();
    private long bytes;

    ParsedParts(OfdPackage pack, OfdLimits limits) {
        this.pack = pack;
        this.limits = limits;
    }

    /** The part, parsed securely ({@link OfdXml}) the first time it is asked for; the same DOM afterwards. */
    Document parse(String part) {
        Document document = parsed.get(part);
        if (document == null) {
            byte[] xml = pack.get(part);
            bytes += xml.length;
            if (bytes > limits.maxParsedXmlBytes()) {
                throw new RejectedException(Problem.OFD_TOO_LARGE, "The document's XML parts add up to more than "
                        + limits.maxParsedXmlBytes() + " bytes.");
            }
            document = OfdXml.parse(xml, part, limits);
            parsed.put(part, document);
        }
        return document;
    }
}
