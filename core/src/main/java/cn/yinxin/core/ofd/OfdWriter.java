package cn.yinxin.core.ofd;

import cn.yinxin.core.pdf.PdfText;
import cn.yinxin.core.qr.QrSymbol;
import cn.yinxin.core.text.LineBreaks;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Writes a one-document OFD (GB/T 33190) with pages of text, PNG images, vector paths and QR codes, built with the
 * JDK's DOM ({@link OfdXml}), never by concatenating XML. Layout of the package (any reader follows the paths the
 * XML gives, so these names are ours):
 * <pre>
 * OFD.xml                        DocBody: DocInfo (with the licence's CustomData), DocRoot
 * Doc_0/Document.xml             CommonData (MaxUnitID, PageArea, PublicRes, DocumentRes), Pages
 * Doc_0/PublicRes.xml            Fonts  -> Doc_0/Res/font_N.ttf (subsets)
 * Doc_0/DocumentRes.xml          MultiMedias -> Doc_0/Res/image_N.png
 * Doc_0/Pages/Page_N/Content.xml one Body layer
 * </pre>
 * Coordinates are millimetres from the page's top-left corner, y downwards (GB/T 33190 section 5.2).
 */
public final class OfdWriter {

    private final OfdFonts fonts;
    private final List<PageBuilder> pages = new ArrayList<>();
    private final Map<String, String> customData = new LinkedHashMap<>();
    private final List<byte[]> images = new ArrayList<>();
    private final Map<String, byte[]> attachments = new LinkedHashMap<>();
    private String title;
    /** No default: the date a document says it was made is the caller's clock's, never this class's. */
    private LocalDate created;
    private int nextId = 1;

    /** With the CJK font {@code cjkFont} (see {@link PdfText#defaultCjkFont()}). */
    public OfdWriter(Path cjkFont) {
        this.fonts = new OfdFonts(cjkFont);
    }

    public OfdWriter() {
        this(PdfText.defaultCjkFont());
    }

    public OfdWriter title(String title) {
        this.title = title;
        return this;
    }

    /** The creation date written in DocInfo (the caller's clock); required before {@link #write()}. */
    public OfdWriter created(LocalDate date) {
        this.created = Objects.requireNonNull(date);
        return this;
    }

    /** The licence metadata, written as CustomData under the names of {@link LicenceMetadata.Field#written()}. */
    public OfdWriter licence(LicenceMetadata metadata) {
        customData.putAll(metadata.toCustomData());
        return this;
    }

    public OfdWriter customData(String name, String value) {
        customData.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return this;
    }

    /**
     * A file attached to the document (GB/T 33190 section 20: Document.xml's Attachments list, each Attachment with
     * its FileLoc), e.g. the sealed original a 加注件 copy was made from. {@code name}: letters, digits, '.', '-', '_'.
     */
    public OfdWriter attachment(String name, byte[] data) {
        if (!name.matches("[A-Za-z0-9._-]{1,100}") || name.startsWith(".")) {
            throw new IllegalArgumentException("an attachment's name is 1 to 100 letters, digits, '.', '-' or '_'");
        }
        attachments.put(name, data.clone());
        return this;
    }

    /** A new page of this size (mm), added after the others. */
    public PageBuilder page(double widthMm, double heightMm) {
        if (!(widthMm > 0 && heightMm > 0)) {
            throw new IllegalArgumentException("a page needs a size");
        }
        PageBuilder page = new PageBuilder(widthMm, heightMm);
        pages.add(page);
        return page;
    }

    /** One page's content, drawn in the order added. */
    public final class PageBuilder {
        private final double width;
        private final double height;
        private final List<Consumer<Element>> objects = new ArrayList<>();

        private PageBuilder(double width, double height) {
            this.width = width;
            this.height = height;
        }

        /**
         * Text with its baseline starting at (x, y), {@code sizeMm} high, black; one TextObject per run of one font,
         * each glyph placed by DeltaX (GB/T 33190 section 11.3) so every reader puts it where we measured.
         */
        public PageBuilder text(double x, double y, double sizeMm, String text) {
            return text(x, y, sizeMm, text, new int[] {0, 0, 0});
        }

        /** As {@link #text(double, double, double, String)}, filled with {@code rgb} (0-255 each). */
        public PageBuilder text(double x, double y, double sizeMm, String text, int[] rgb) {
            String fill = rgb(rgb);
            double cursor = x;
            for (OfdFonts.Run run : fonts.runs(text)) {
                double start = cursor;
                List<Double> advances = new ArrayList<>();
                run.text().codePoints().forEach(c -> advances.add(run.face().advance(c, sizeMm)));
                double runWidth = advances.stream().mapToDouble(Double::doubleValue).sum();
                cursor += runWidth;
                objects.add(layer -> {
                    Element t = OfdXml.add(layer, "TextObject");
                    t.setAttribute("ID", id());
                    // the boundary holds the line: from an ascent above the baseline to a descent below
                    t.setAttribute("Boundary", OfdBoxes.format(start, y - sizeMm, Math.max(runWidth, 0.001),
                            sizeMm * 1.3));
                    t.setAttribute("Font", Integer.toString(run.face().id));
                    t.setAttribute("Size", OfdBoxes.number(sizeMm));
                    OfdXml.add(t, "FillColor").setAttribute("Value", fill);
                    Element code = OfdXml.add(t, "TextCode", run.text());
                    code.setAttribute("X", "0");
                    code.setAttribute("Y", OfdBoxes.number(sizeMm));
                    if (advances.size() > 1) {
                        StringBuilder delta = new StringBuilder();
                        for (int i = 0; i < advances.size() - 1; i++) {
                            delta.append(i == 0 ? "" : " ").append(OfdBoxes.number(advances.get(i)));
                        }
                        code.setAttribute("DeltaX", delta.toString());
                    }
                });
            }
            return this;
        }

        /** A PNG image in the box (x, y, width, height) (GB/T 33190 section 10.2: CTM maps the unit square). */
        public PageBuilder image(double x, double y, double w, double h, byte[] png) {
            int index = images.size();
            images.add(png.clone());
            objects.add(layer -> {
                Element image = OfdXml.add(layer, "ImageObject");
                image.setAttribute("ID", id());
                image.setAttribute("Boundary", OfdBoxes.format(x, y, w, h));
                image.setAttribute("CTM", OfdBoxes.number(w) + " 0 0 " + OfdBoxes.number(h) + " 0 0");
                image.setAttribute("ResourceID", "image:" + index); // replaced by the media's ID when written
            });
            return this;
        }

        /**
         * A vector path in the box (x, y, w, h): {@code data} in AbbreviatedData form (GB/T 33190 section 9.3.2,
         * "M x y L x y C ... B ... Q ... A ... C" relative to the box), stroked with {@code strokeRgb} at
         * {@code lineWidthMm} and/or filled with {@code fillRgb} (null: not stroked / not filled).
         */
        public PageBuilder path(double x, double y, double w, double h, String data, double lineWidthMm,
                                int[] strokeRgb, int[] fillRgb) {
            objects.add(layer -> {
                Element path = OfdXml.add(layer, "PathObject");
                path.setAttribute("ID", id());
                path.setAttribute("Boundary", OfdBoxes.format(x, y, w, h));
                path.setAttribute("LineWidth", OfdBoxes.number(lineWidthMm));
                path.setAttribute("Stroke", Boolean.toString(strokeRgb != null));
                path.setAttribute("Fill", Boolean.toString(fillRgb != null));
                if (strokeRgb != null) {
                    OfdXml.add(path, "StrokeColor").setAttribute("Value", rgb(strokeRgb));
                }
                if (fillRgb != null) {
                    OfdXml.add(path, "FillColor").setAttribute("Value", rgb(fillRgb));
                }
                OfdXml.add(path, "AbbreviatedData", data);
            });
            return this;
        }

        /** A rectangle filling the box (x, y, w, h), stroked and/or filled as {@link #path} draws it. */
        public PageBuilder rectangle(double x, double y, double w, double h, double lineWidthMm, int[] strokeRgb,
                                     int[] fillRgb) {
            String right = OfdBoxes.number(w);
            String bottom = OfdBoxes.number(h);
            return path(x, y, w, h, "M 0 0 L " + right + " 0 L " + right + " " + bottom + " L 0 " + bottom + " C",
                    lineWidthMm, strokeRgb, fillRgb);
        }

        /**
         * A QR code with its top-left corner at (x, y), drawn as one filled path of its dark modules (quiet zone
         * included in the side, left white), {@code sideMm} a side.
         */
        public PageBuilder qr(double x, double y, double sideMm, QrSymbol symbol) {
            double module = sideMm / symbol.size();
            int quiet = (symbol.size() - symbol.modules()) / 2;
            StringBuilder data = new StringBuilder();
            for (int row = 0; row < symbol.modules(); row++) {
                for (int col = 0; col < symbol.modules(); ) {
                    if (!symbol.dark(col, row)) {
                        col++;
                        continue;
                    }
                    int end = col;
                    while (end < symbol.modules() && symbol.dark(end, row)) {
                        end++;
                    }
                    double left = (col + quiet) * module;
                    double top = (row + quiet) * module;
                    double right = (end + quiet) * module;
                    double bottom = top + module;
                    data.append(data.isEmpty() ? "" : " ").append("M ").append(OfdBoxes.number(left)).append(' ')
                            .append(OfdBoxes.number(top)).append(" L ").append(OfdBoxes.number(right)).append(' ')
                            .append(OfdBoxes.number(top)).append(" L ").append(OfdBoxes.number(right)).append(' ')
                            .append(OfdBoxes.number(bottom)).append(" L ").append(OfdBoxes.number(left)).append(' ')
                            .append(OfdBoxes.number(bottom)).append(" C");
                    col = end;
                }
            }
            return path(x, y, sideMm, sideMm, data.toString(), 0, null, new int[] {0, 0, 0});
        }
    }

    /** The width of {@code text} drawn at {@code sizeMm}, in millimetres (as {@link PageBuilder#text} places it). */
    public double width(String text, double sizeMm) {
        return fonts.width(text, sizeMm);
    }

    /**
     * {@code text} cut into lines no wider than {@code maxWidthMm} at {@code sizeMm}: at spaces where there are
     * some, else between characters (Chinese has no spaces): {@link cn.yinxin.core.text.LineBreaks}, as for the PDF.
     */
    public List<String> wrap(String text, double sizeMm, double maxWidthMm) {
        return LineBreaks.wrap(text, maxWidthMm, c -> fonts.advance(c, sizeMm));
    }

    private static String rgb(int[] rgb) {
        return rgb[0] + " " + rgb[1] + " " + rgb[2];
    }

    private String id() {
        return Integer.toString(nextId++);
    }

    /** The package; a writer writes it once (its parsed fonts then go to the next writer). */
    public OfdPackage toPackage() {
        if (created == null) {
            throw new IllegalStateException("the OFD's creation date was not given (OfdWriter.created)");
        }
        if (pages.isEmpty()) {
            throw new IllegalStateException("an OFD has at least one page");
        }
        OfdPackage pack = OfdPackage.empty();
        nextId = 1;
        // IDs: fonts, then images, then each page and its objects (MaxUnitID is the last one given)
        List<byte[]> pageXml = new ArrayList<>();
        List<OfdFonts.Face> faces = fonts.faces();
        for (OfdFonts.Face face : faces) {
            face.id = nextId++;
        }
        List<String> imageIds = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            imageIds.add(id());
        }
        List<String> pageIds = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
            pageIds.add(id());
            pageXml.add(pageContent(pages.get(i), imageIds));
        }
        int maxUnitId = nextId - 1;

        pack = pack.with(OfdPackage.ENTRY, ofdXml());
        pack = pack.with("Doc_0/Document.xml", documentXml(pageIds, maxUnitId));
        List<OfdFonts.Face> used = faces.stream().filter(f -> !f.used.isEmpty()).toList();
        pack = pack.with("Doc_0/PublicRes.xml", publicRes(used));
        pack = pack.with("Doc_0/DocumentRes.xml", documentRes(imageIds));
        for (OfdFonts.Face face : used) {
            pack = pack.with("Doc_0/Res/font_" + face.id + ".ttf", OfdFonts.subset(face));
        }
        for (int i = 0; i < images.size(); i++) {
            pack = pack.with("Doc_0/Res/image_" + imageIds.get(i) + ".png", images.get(i));
        }
        // the subsets are made: the parsed fonts go to the next writer (this one writes its package once)
        fonts.release();
        for (int i = 0; i < pages.size(); i++) {
            pack = pack.with("Doc_0/Pages/Page_" + i + "/Content.xml", pageXml.get(i));
        }
        return withAttachments(pack);
    }

    /** One page's Content.xml: its box, one body layer with the page's objects, images pointing at their IDs. */
    private byte[] pageContent(PageBuilder page, List<String> imageIds) {
        Document content = OfdXml.newDocument("Page");
        Element root = content.getDocumentElement();
        OfdXml.add(OfdXml.add(root, "Area"), "PhysicalBox", OfdBoxes.format(0, 0, page.width, page.height));
        Element layer = OfdXml.add(OfdXml.add(root, "Content"), "Layer");
        layer.setAttribute("ID", id());
        layer.setAttribute("Type", "Body");
        page.objects.forEach(o -> o.accept(layer));
        for (Element image : OfdXml.descendants(root, "ImageObject")) {
            String ref = image.getAttribute("ResourceID");
            image.setAttribute("ResourceID", imageIds.get(Integer.parseInt(ref.substring("image:".length()))));
        }
        return OfdXml.bytes(content);
    }

    /** PublicRes.xml: the fonts the pages use, each with its subset file. */
    private static byte[] publicRes(List<OfdFonts.Face> used) {
        Document publicRes = OfdXml.newDocument("Res");
        publicRes.getDocumentElement().setAttribute("BaseLoc", "Res");
        Element fontsElement = OfdXml.add(publicRes.getDocumentElement(), "Fonts");
        for (OfdFonts.Face face : used) {
            Element font = OfdXml.add(fontsElement, "Font");
            font.setAttribute("ID", Integer.toString(face.id));
            font.setAttribute("FontName", face.name);
            font.setAttribute("FamilyName", face.name);
            OfdXml.add(font, "FontFile", "font_" + face.id + ".ttf");
        }
        return OfdXml.bytes(publicRes);
    }

    /** DocumentRes.xml: the PNG images as multimedia resources. */
    private byte[] documentRes(List<String> imageIds) {
        Document documentRes = OfdXml.newDocument("Res");
        documentRes.getDocumentElement().setAttribute("BaseLoc", "Res");
        Element medias = OfdXml.add(documentRes.getDocumentElement(), "MultiMedias");
        for (int i = 0; i < images.size(); i++) {
            Element media = OfdXml.add(medias, "MultiMedia");
            media.setAttribute("ID", imageIds.get(i));
            media.setAttribute("Type", "Image");
            media.setAttribute("Format", "PNG");
            OfdXml.add(media, "MediaFile", "image_" + imageIds.get(i) + ".png");
        }
        return OfdXml.bytes(documentRes);
    }

    /** The attached files and their list (Attachments.xml), when there are any. */
    private OfdPackage withAttachments(OfdPackage pack) {
        if (attachments.isEmpty()) {
            return pack;
        }
        Document list = OfdXml.newDocument("Attachments");
        int n = 0;
        for (Map.Entry<String, byte[]> file : attachments.entrySet()) {
            Element attachment = OfdXml.add(list.getDocumentElement(), "Attachment");
            attachment.setAttribute("ID", "attachment_" + n++);
            attachment.setAttribute("Name", file.getKey());
            String extension = file.getKey().contains(".") ? file.getKey().substring(file.getKey().lastIndexOf('.') + 1) : "";
            if (!extension.isEmpty()) {
                attachment.setAttribute("Format", extension);
            }
            attachment.setAttribute("CreationDate", created.toString());
            attachment.setAttribute("Size", OfdBoxes.number(file.getValue().length / 1024.0));
            attachment.setAttribute("Visible", "true");
            OfdXml.add(attachment, "FileLoc", file.getKey());
            pack = pack.with("Doc_0/Attachs/" + file.getKey(), file.getValue());
        }
        return pack.with("Doc_0/Attachs/Attachments.xml", OfdXml.bytes(list));
    }

    /** The OFD's bytes. */
    public byte[] write() {
        return toPackage().toZip();
    }

    /** OFD.xml (GB/T 33190 section 7.4): Version 1.0, DocType OFD, one DocBody. */
    private byte[] ofdXml() {
        Document ofd = OfdXml.newDocument("OFD");
        Element root = ofd.getDocumentElement();
        root.setAttribute("Version", "1.0");
        root.setAttribute("DocType", "OFD");
        Element body = OfdXml.add(root, "DocBody");
        Element info = OfdXml.add(body, "DocInfo");
        // DocInfo's children in the order of the schema (CT_DocInfo): DocID, Title, ..., CreationDate, ..., Creator,
        // CreatorVersion, CustomDatas
        OfdXml.add(info, "DocID", UUID.randomUUID().toString().replace("-", ""));
        if (title != null) {
            OfdXml.add(info, "Title", title);
        }
        OfdXml.add(info, "CreationDate", created.toString());
        OfdXml.add(info, "Creator", "Yinxin");
        if (!customData.isEmpty()) {
            Element datas = OfdXml.add(info, "CustomDatas");
            customData.forEach((name, value) -> OfdXml.add(datas, "CustomData", value).setAttribute("Name", name));
        }
        OfdXml.add(body, "DocRoot", "Doc_0/Document.xml");
        return OfdXml.bytes(ofd);
    }

    /** Document.xml (GB/T 33190 section 7.5): the default page area is the first page's size. */
    private byte[] documentXml(List<String> pageIds, int maxUnitId) {
        Document document = OfdXml.newDocument("Document");
        Element common = OfdXml.add(document.getDocumentElement(), "CommonData");
        OfdXml.add(common, "MaxUnitID", Integer.toString(maxUnitId));
        OfdXml.add(OfdXml.add(common, "PageArea"), "PhysicalBox",
                OfdBoxes.format(0, 0, pages.get(0).width, pages.get(0).height));
        OfdXml.add(common, "PublicRes", "PublicRes.xml");
        OfdXml.add(common, "DocumentRes", "DocumentRes.xml");
        Element pagesElement = OfdXml.add(document.getDocumentElement(), "Pages");
        for (int i = 0; i < pageIds.size(); i++) {
            Element page = OfdXml.add(pagesElement, "Page");
            page.setAttribute("ID", pageIds.get(i));
            page.setAttribute("BaseLoc", "Pages/Page_" + i + "/Content.xml");
        }
        if (!attachments.isEmpty()) {
            // after Pages in CT_Document's order (Outlines ... Annotations, CustomTags, Attachments, Extensions)
            OfdXml.add(document.getDocumentElement(), "Attachments", "Attachs/Attachments.xml");
        }
        return OfdXml.bytes(document);
    }
}
