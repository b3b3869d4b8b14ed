package cn.yinxin.core.ofd;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The XML of an OFD (namespace {@value #NS}, prefix "ofd", GB/T 33190 section 7.1), read and written with the JDK's
 * DOM: secure processing on, document type declarations refused outright (no DTD, no entity of any kind, so no XXE
 * and no "billion laughs"), no XInclude, no external access. Elements are found by namespace and local name, so a
 * producer's choice of prefix does not matter; a producer that writes OFD elements without the namespace is read
 * too (some do).
 */
public final class OfdXml {

    public static final String NS = "http://www.ofdspec.org/2016";
    public static final String PREFIX = "ofd";

    private OfdXml() {
    }

    /**
     * Parses one XML part of the package.
     *
     * @throws RejectedException OFD_XML_DOCTYPE with a DTD, OFD_TOO_LARGE beyond maxXmlBytes, DAMAGED_OFD otherwise
     */
    public static Document parse(byte[] xml, String name, OfdLimits limits) {
        if (xml.length > limits.maxXmlBytes()) {
            throw new RejectedException(Problem.OFD_TOO_LARGE, "The XML part \"" + name + "\" has more than "
                    + limits.maxXmlBytes() + " bytes.");
        }
        DocumentBuilder builder = BUILDERS.get();
        try {
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            if (declaresDoctype(xml)) {
                throw new RejectedException(Problem.OFD_XML_DOCTYPE, "The XML part \"" + name + "\" declares a "
                        + "document type (DTD); OFD XML has none, and its entities are not read.");
            }
            throw new RejectedException(Problem.DAMAGED_OFD, "The XML part \"" + name + "\" cannot be read: "
                    + e.getMessage());
        } finally {
            quiet(builder);   // as new for the next part, also after a part that failed half-way
        }
    }

    /**
     * A builder per thread, for parsing parts and for new documents: making one builds a whole parser configuration
     * (6 % of an OFD stamp, 15 % of drawing a licence OFD in a profile). It is reset after every part it parses;
     * reset() keeps the factory's settings (secure processing, no DTD, no external access) and drops the handlers,
     * which are set again. A new, empty document takes nothing from the parser's state.
     */
    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(() -> {
        try {
            return quiet(factory().newDocumentBuilder());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    });

    private static DocumentBuilder quiet(DocumentBuilder builder) {
        builder.reset();
        builder.setErrorHandler(null);
        builder.setEntityResolver((publicId, systemId) -> {
            throw new SAXException("external entities are not read");
        });
        return builder;
    }

    /**
     * One configured factory per thread: {@code newInstance()} looks the implementation up on the class path on every
     * call (a fifth of an OFD seal's CPU in a profile: bench OfdStampBenchmark), and a factory is not promised to be
     * thread-safe. Its settings are never changed after it is made.
     */
    private static final ThreadLocal<DocumentBuilderFactory> DOCUMENT_BUILDERS = ThreadLocal.withInitial(() -> {
        try {
            return configuredFactory();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final ThreadLocal<TransformerFactory> TRANSFORMERS = ThreadLocal.withInitial(() -> {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            return factory;
        } catch (TransformerConfigurationException e) {
            throw new IllegalStateException(e);
        }
    });

    private static DocumentBuilderFactory factory() {
        return DOCUMENT_BUILDERS.get();
    }

    private static DocumentBuilderFactory configuredFactory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        return factory;
    }

    /** Whether the part declares a DTD (told apart from other damage with a StAX reader that reads no DTD). */
    private static boolean declaresDoctype(byte[] xml) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.DTD) {
                        return true;
                    }
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        return false;
                    }
                }
            } finally {
                reader.close();
            }
        } catch (Exception e) {
            return false;
        }
        return false;
    }

    /** A new document whose root is {@code ofd:<root>}. */
    public static Document newDocument(String root) {
        Document document = BUILDERS.get().newDocument();
        document.setXmlStandalone(true);
        document.appendChild(document.createElementNS(NS, PREFIX + ":" + root));
        return document;
    }

    /** Appends {@code ofd:<name>} to {@code parent} and returns it. */
    public static Element add(Node parent, String name) {
        Document document = parent instanceof Document d ? d : parent.getOwnerDocument();
        Element element = document.createElementNS(NS, PREFIX + ":" + name);
        parent.appendChild(element);
        return element;
    }

    /** Appends {@code ofd:<name>text</ofd:name>}. */
    public static Element add(Node parent, String name, String text) {
        Element element = add(parent, name);
        element.setTextContent(text);
        return element;
    }

    /** UTF-8 bytes of a document (no indentation: the bytes are what digests cover). */
    public static byte[] bytes(Document document) {
        try {
            Transformer transformer = TRANSFORMERS.get().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(OutputKeys.INDENT, "no");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The children of {@code parent} called {@code name} (OFD namespace, or none). */
    public static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && is(e, name)) {
                found.add(e);
            }
        }
        return found;
    }

    /** The first child called {@code name}, or null. */
    public static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The first child called {@code name}; DAMAGED_OFD naming the part when missing. */
    public static Element required(Element parent, String name, String part) {
        Element found = child(parent, name);
        if (found == null) {
            throw new RejectedException(Problem.DAMAGED_OFD, "\"" + part + "\" has no " + name + " in "
                    + parent.getLocalName() + ".");
        }
        return found;
    }

    /** The text of the first child called {@code name}, stripped, or null. */
    public static String text(Element parent, String name) {
        Element found = child(parent, name);
        return found == null ? null : found.getTextContent().strip();
    }

    /** Every descendant called {@code name}, in document order. */
    public static List<Element> descendants(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        collect(parent, name, found);
        return found;
    }

    private static void collect(Element parent, String name, List<Element> found) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                if (is(e, name)) {
                    found.add(e);
                }
                collect(e, name, found);
            }
        }
    }

    /** The root element, checked to be {@code name}. */
    public static Element root(Document document, String name, String part) {
        Element root = document.getDocumentElement();
        if (!is(root, name)) {
            throw new RejectedException(Problem.DAMAGED_OFD, "\"" + part + "\" is a " + root.getLocalName()
                    + ", not an OFD " + name + ".");
        }
        return root;
    }

    private static boolean is(Element e, String name) {
        String local = e.getLocalName() != null ? e.getLocalName() : e.getNodeName();
        String ns = e.getNamespaceURI();
        return name.equals(local) && (ns == null || NS.equals(ns));
    }
}
