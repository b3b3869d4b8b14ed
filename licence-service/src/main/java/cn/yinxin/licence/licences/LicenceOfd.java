package cn.yinxin.licence.licences;

import cn.yinxin.core.ofd.LicenceMetadata;
import cn.yinxin.core.ofd.OfdWriter;
import cn.yinxin.core.qr.QrSymbol;
import cn.yinxin.licence.types.LicenceType;

import java.awt.Color;
import java.nio.file.Path;

/**
 * The licence as a one-page A4 OFD (GB/T 33190), the national e-licence file format (GB/T 36905): the same
 * {@link LicenceLayout} and signed QR code as its PDF ({@link LicencePdf}), drawn at the same places (the PDF's
 * points turned into the OFD's millimetres from the top-left), and the GB/T 36903 metadata in OFD.xml's CustomData
 * so that a reader or verifier finds the licence without reading the page. The seal goes where the PDF's does
 * ({@link LicenceLayout#SEAL_X_MM}, {@link LicenceLayout#SEAL_Y_MM}).
 */
public final class LicenceOfd {

    public static final double WIDTH = 210;
    public static final double HEIGHT = 297;
    /** GB/T 36903 holder code types: a resident ID number, a Unified Social Credit Code. */
    static final String RESIDENT_ID = "111";
    static final String USCC = "001";
    private static final double MM_PER_POINT = 25.4 / 72;
    private static final double MARGIN = 56 * MM_PER_POINT;
    private static final int[] GRAY = rgb(Color.GRAY);
    private static final int[] DARK_GRAY = rgb(Color.DARK_GRAY);
    private static final int[] BLACK = {0, 0, 0};

    private LicenceOfd() {
    }

    static byte[] render(LicenceType type, Licence licence, QrSymbol symbol, Path font) {
        OfdWriter writer = new OfdWriter(font).title(type.name() + " " + licence.identifier())
                .created(LicenceLayout.issueDate(licence)).licence(metadata(type, licence));
        draw(writer, writer.page(WIDTH, HEIGHT), type, licence, symbol);
        return writer.write();
    }

    /** Draws the licence on {@code page} (A4) of {@code writer}: also the page of a 加注件 copy. */
    public static void draw(OfdWriter writer, OfdWriter.PageBuilder page, LicenceType type, Licence licence,
                            QrSymbol symbol) {
        LicenceLayout layout = LicenceLayout.of(type, licence);
        int[] accent = rgb(layout.accent());
        frame(page, 28, 3, accent);
        frame(page, 34, 0.8, accent);

        double titleSize = pt(30);
        page.text((WIDTH - writer.width(layout.title(), titleSize)) / 2, fromTop(110), titleSize, layout.title(), accent);
        double subtitleSize = pt(11);
        page.text((WIDTH - writer.width(LicenceLayout.SUBTITLE, subtitleSize)) / 2, fromTop(132), subtitleSize,
                LicenceLayout.SUBTITLE, DARK_GRAY);

        double y = pt(185);
        double labelWidth = pt(120);
        double left = MARGIN + pt(10);
        for (LicenceLayout.Row row : layout.rows()) {
            page.text(left, y, pt(11), row.label(), GRAY);
            for (String line : writer.wrap(row.value(), pt(12), WIDTH - 2 * MARGIN - labelWidth - pt(20))) {
                page.text(left + labelWidth, y, pt(12), line, BLACK);
                y += pt(18);
            }
            y += pt(8);
        }
        y = HEIGHT - pt(250);
        for (String line : writer.wrap(layout.identifierLine(), pt(8), WIDTH - 2 * MARGIN - pt(20))) {
            page.text(left, y, pt(8), line, GRAY);
            y += pt(11);
        }
        // the QR code where the PDF has it: its lower-left corner 60 pt above the bottom, MARGIN + 4 pt from the left
        double side = symbol.sideMm();
        page.qr(MARGIN + pt(4), HEIGHT - pt(60) - side, side, symbol);
    }

    /** GB/T 36903 section 5.2 metadata: what a national platform reads from the file itself. */
    static LicenceMetadata metadata(LicenceType type, Licence licence) {
        boolean person = licence.holder().kind() == Holder.Kind.PERSON;
        return new LicenceMetadata(type.name(), type.code(), licence.physicalNumber(), licence.identifier(),
                licence.issuerName(), licence.issuerCode(), LicenceLayout.issueDate(licence), licence.holder().name(),
                licence.holder().number(), person ? RESIDENT_ID : USCC, licence.validFrom(), licence.validUntil());
    }

    /** A rectangle {@code insetPt} points inside the page's edge, stroked {@code widthPt} wide. */
    private static void frame(OfdWriter.PageBuilder page, double insetPt, double widthPt, int[] rgb) {
        double inset = pt(insetPt);
        double w = WIDTH - 2 * inset;
        double h = HEIGHT - 2 * inset;
        page.rectangle(inset, inset, w, h, pt(widthPt), rgb, null);
    }

    /** Points to millimetres. */
    public static double pt(double points) {
        return points * MM_PER_POINT;
    }

    /** A PDF y (points above the bottom of an A4 page) as the OFD's millimetres below the top. */
    private static double fromTop(double pdfY) {
        return HEIGHT - pdfY * MM_PER_POINT;
    }

    public static int[] rgb(Color color) {
        return new int[] {color.getRed(), color.getGreen(), color.getBlue()};
    }
}
