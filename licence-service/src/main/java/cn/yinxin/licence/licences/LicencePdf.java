package cn.yinxin.licence.licences;

import cn.yinxin.core.pdf.PdfText;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.qr.QrStamp;
import cn.yinxin.core.qr.QrSymbol;
import cn.yinxin.licence.types.LicenceType;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The licence as a one-page A4 PDF from its type's template ({@link LicenceLayout}: title, holder, the type's fields
 * in the schema's order with the template's labels, validity, numbers, issuer), and the signed QR code at the bottom
 * left (the seal goes at the bottom right: {@link #SEAL_X_MM}, {@link #SEAL_Y_MM}). Text is embedded as font subsets.
 */
final class LicencePdf {

    static final double SEAL_X_MM = LicenceLayout.SEAL_X_MM;
    static final double SEAL_Y_MM = LicenceLayout.SEAL_Y_MM;
    private static final float MARGIN = 56;

    private LicencePdf() {
    }

    static byte[] render(LicenceType type, Licence licence, QrSymbol symbol, Path font) {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            LicenceLayout layout = LicenceLayout.of(type, licence);
            // the fonts cut to the layout's characters before PDFBox embeds them; closed after the save below (a
            // layout with a character beyond U+FFFF gets the whole fonts, subset while saving, then given back)
            @SuppressWarnings("resource") PdfText text = PdfText.forText(document, font, layout.texts());
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                draw(content, text, layout);
            }
            String caption = LicenceLayout.QR_CAPTION;
            PDRectangle where = QrStamp.naturalRectangle(symbol, null, MARGIN + 4, 60);
            QrStamp.addTo(document, page, symbol, where, null);
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle(type.name() + " " + licence.identifier());
            info.setSubject(caption);
            // verifiers read this to ask for the licence's live status (inside the sealed revision)
            info.setCustomMetadataValue(PdfVerifier.LICENCE_IDENTIFIER, licence.identifier());
            info.setProducer("Yinxin licence-service");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            text.close();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("the licence PDF cannot be written", e);
        }
    }

    /** The page's frame, title, rows of fields and identifier line, in the type's accent colour. */
    private static void draw(PDPageContentStream content, PdfText text, LicenceLayout layout) throws IOException {
        Color accent = layout.accent();
        float width = PDRectangle.A4.getWidth();
        float height = PDRectangle.A4.getHeight();
        content.setStrokingColor(accent);
        content.setLineWidth(3);
        content.addRect(28, 28, width - 56, height - 56);
        content.stroke();
        content.setLineWidth(0.8f);
        content.addRect(34, 34, width - 68, height - 68);
        content.stroke();

        content.setNonStrokingColor(accent);
        String title = layout.title();
        float titleSize = 30;
        text.show(content, title, titleSize, (width - text.width(title, titleSize)) / 2, height - 110);
        content.setNonStrokingColor(Color.DARK_GRAY);
        String subtitle = LicenceLayout.SUBTITLE;
        text.show(content, subtitle, 11, (width - text.width(subtitle, 11)) / 2, height - 132);

        float y = height - 185;
        float labelWidth = 120;
        for (LicenceLayout.Row row : layout.rows()) {
            content.setNonStrokingColor(Color.GRAY);
            text.show(content, row.label(), 11, MARGIN + 10, y);
            content.setNonStrokingColor(Color.BLACK);
            for (String line : text.wrap(row.value(), 12, width - 2 * MARGIN - labelWidth - 20)) {
                text.show(content, line, 12, MARGIN + 10 + labelWidth, y);
                y -= 18;
            }
            y -= 8;
        }
        content.setNonStrokingColor(Color.GRAY);
        y = 250;
        for (String line : text.wrap(layout.identifierLine(), 8, width - 2 * MARGIN - 20)) {
            text.show(content, line, 8, MARGIN + 10, y);
            y -= 11;
        }
    }
}
