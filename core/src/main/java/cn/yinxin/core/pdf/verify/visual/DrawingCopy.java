package cn.yinxin.core.pdf.verify.visual;

import cn.yinxin.core.pdf.verify.FaxRaster;
import cn.yinxin.core.pdf.verify.InlineImages;
import cn.yinxin.core.pdf.verify.JpegRaster;
import cn.yinxin.core.pdf.verify.VerificationLimits;
import cn.yinxin.core.pdf.verify.changes.FormFields;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.filter.FilterFactory;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDTransparencyGroup;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.pdmodel.graphics.image.PDInlineImage;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.PageDrawer;
import org.apache.pdfbox.rendering.PageDrawerParameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The document as it is now, opened again for drawing only when a page must be drawn: drawing an annotation
 * without appearance makes PDFBox add one to the document, which the caller's copy must not get.
 */
final class DrawingCopy implements AutoCloseable {
    /** The operators that draw an image (an XObject, or one inline). */
    private static final Set<String> IMAGES = Set.of("Do", "BI", "EI");
    private final byte[] pdf;
    private final long end;
    private PDDocument document;
    private Renderer renderer;

    /** The file up to {@code end}, parsed when a page must first be drawn. */
    DrawingCopy(byte[] pdf, long end) {
        this.pdf = pdf;
        this.end = end;
    }

    Renderer renderer() throws IOException {
        if (renderer == null) {
            document = Loader.loadPDF(Arrays.copyOf(pdf, (int) Math.min(end, pdf.length)));
            renderer = new Renderer(document);
        }
        return renderer;
    }

    @Override
    public void close() throws IOException {
        if (document != null) {
            document.close();
        }
    }

    /**
     * PDFBox's renderer, which also draws annotations a reader shows only on paper (printed and /NoView) or only under
     * the pointer (/NoView and /ToggleNoView), so neither can carry what the screen comparison left out. Images are subsampled at low resolution: a huge
     * image in a page costs what its drawn size costs.
     */
    static final class Renderer extends PDFRenderer {

        /**
         * The most JPEG samples (width x height x components, as each frame declares them) one page's drawing decodes:
         * about 2 s of the JDK's decoder. A page scanned at 1,200 dpi in colour (A4: 420 million) is drawn; past it the
         * images are not drawn and the pictures cannot tell, where a file of a few hundred bytes a JPEG could keep a
         * worker drawing for minutes (the time limit is checked between pages).
         */
        static final long MAX_JPEG_SAMPLES_A_PAGE = 512L * 1024 * 1024;
        /**
         * The most walks over JPEG samples one page's drawing makes: a progressive JPEG's decoder walks the whole image
         * once per scan (about 1 ns a sample each): a photo of 24 million pixels in ten scans is 720 million, a 20,000
         * x 20,000 frame in 100 scans was 40 billion (about 30 s), within the image-scans limit.
         */
        static final long MAX_JPEG_WALKS_A_PAGE = 4L * 1024 * 1024 * 1024;

        /** Where the last page drawn asked for an image PDFBox could not draw (no decoder, damaged data). */
        private final List<String> undrawn = new ArrayList<>();
        private long jpegSamples;
        private long jpegWalks;

        Renderer(PDDocument document) {
            super(document);
            setSubsamplingAllowed(true);
        }

        /**
         * The images the last page drawn showed nothing for, each as where it was asked (the operator, its operand
         * and the transformation then): JPEG 2000 and JBIG2 have no decoder here, and PDFBox logs a damaged image
         * and draws nothing, where other readers draw it.
         */
        List<String> undrawnImages() {
            return List.copyOf(undrawn);
        }

        @Override
        protected PageDrawer createPageDrawer(PageDrawerParameters parameters) throws IOException {
            undrawn.clear();
            jpegSamples = 0;
            jpegWalks = 0;
            PageDrawer drawer = new Drawer(parameters);
            // PDFRenderer's own createPageDrawer hands the drawer the renderer's annotation filter; so must this one
            drawer.setAnnotationFilter(getAnnotationsFilter());
            return drawer;
        }

        /** PDFBox's page drawer, with what a hostile page could make it decode or hide held back (see the methods). */
        private final class Drawer extends PageDrawer {

            Drawer(PageDrawerParameters parameters) throws IOException {
                super(parameters);
            }

            @Override
            public void drawImage(PDImage image) throws IOException {
                // PDFBox decodes a fax image whole, at its declared size, before any subsampling: one inline
                // in an appearance (which the raw scan of streams does not see) could take the heap
                if (image.getCOSObject() instanceof COSDictionary entries
                        && FaxRaster.declaredBytes(entries) > VerificationLimits.DEFAULT_MAX_STREAM_BYTES) {
                    undrawn.add("a fax image of " + FaxRaster.declaredBytes(entries) + " bytes at "
                            + getGraphicsState().getCurrentTransformationMatrix());
                    return;
                }
                // an inline image's JPEG was counted when it was about to be made (processOperator)
                if (!(image instanceof PDInlineImage) && !withinJpegBudget(JpegRaster.declared(image))) {
                    return;
                }
                super.drawImage(image);
            }

            @Override
            protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
                // PDFBox decodes an inline image's filters whole when it makes it, before drawImage is asked
                if ("BI".equals(operator.getName()) && operator.getImageParameters() != null
                        && operator.getImageData() != null) {
                    InlineImages.Cost cost = InlineImages.of(operator.getImageParameters(),
                            operator.getImageData(), VerificationLimits.DEFAULT_MAX_STREAM_BYTES);
                    if (cost.refusal() != null) {
                        undrawn.add(cost.refusal() + " at " + getGraphicsState().getCurrentTransformationMatrix());
                        return;
                    }
                    if (!withinJpegBudget(cost.jpeg())) {
                        return;
                    }
                }
                super.processOperator(operator, operands);
            }

            /** Counts a JPEG against the page's budget; past it, the image is noted as not drawn. */
            private boolean withinJpegBudget(JpegRaster.Cost jpeg) {
                jpegSamples += jpeg.samples();
                jpegWalks += jpeg.walks();
                if (jpeg.samples() > 0 && (jpegSamples > MAX_JPEG_SAMPLES_A_PAGE || jpegWalks > MAX_JPEG_WALKS_A_PAGE)) {
                    undrawn.add("a JPEG image of " + jpeg.samples() + " samples in " + jpeg.walks() / jpeg.samples()
                            + " scans (" + jpegSamples + " samples, " + jpegWalks + " walked on the page) at "
                            + getGraphicsState().getCurrentTransformationMatrix());
                    return false;
                }
                return true;
            }

            @Override
            protected void operatorException(Operator operator, List<COSBase> operands, IOException e)
                    throws IOException {
                if (IMAGES.contains(operator.getName())) {
                    undrawn.add(operator.getName() + " " + operands + " at "
                            + getGraphicsState().getCurrentTransformationMatrix());
                }
                super.operatorException(operator, operands, e);
            }

            @Override
            public void showForm(PDFormXObject form) throws IOException {
                if (readOnce(form.getCOSObject())) {
                    super.showForm(form);
                }
            }

            @Override
            public void showTransparencyGroup(PDTransparencyGroup form) throws IOException {
                if (readOnce(form.getCOSObject())) {
                    super.showTransparencyGroup(form);
                }
            }

            @Override
            protected void processAnnotation(PDAnnotation annotation, PDAppearanceStream appearance)
                    throws IOException {
                if (readOnce(appearance.getCOSObject())) {
                    super.processAnnotation(annotation, appearance);
                }
            }

            /**
             * Whether PDFBox reads {@code stream} as other readers do: a /Filter that names one filter twice (by
             * reference, which the raw checks cannot follow) is applied once by PDFBox's drawing and twice by poppler
             * and pdf.js; such a stream is not drawn, and noted.
             */
            private boolean readOnce(COSStream stream) {
                COSBase named = stream.getFilters();
                List<COSBase> filters = new ArrayList<>();
                if (named instanceof COSArray array) {
                    for (int i = 0; i < array.size(); i++) {
                        filters.add(array.getObject(i));
                    }
                }
                Set<Object> seen = new HashSet<>();
                for (COSBase name : filters) {
                    Object filter = name;
                    try {
                        filter = name instanceof COSName known ? FilterFactory.INSTANCE.getFilter(known) : name;
                    } catch (IOException e) {
                        // a filter PDFBox does not know: compared by its name
                    }
                    if (!seen.add(filter)) {
                        undrawn.add("a content stream naming the filter " + name + " twice at "
                                + getGraphicsState().getCurrentTransformationMatrix());
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void showAnnotation(PDAnnotation annotation) throws IOException {
                COSDictionary dictionary = annotation.getCOSObject();
                COSBase flags = dictionary.getItem(COSName.F);
                if (!FormFields.wholeFlags(dictionary)) {
                    // flags that are no whole number of 32 bits (-2, 6.5, 2^32 + 2): PDFBox takes their low bits
                    // (-2: Hidden), pdf.js takes -2 as no flags and draws it: drawn here as having none (an added
                    // or changed annotation so flagged is refused anyway, AnnotationTraits.flagsReadOtherwise)
                    dictionary.removeItem(COSName.F);
                    try {
                        super.showAnnotation(annotation);
                    } finally {
                        dictionary.setItem(COSName.F, flags);
                    }
                    return;
                }
                // shown on paper (Print), or on screen when the pointer passes over it (ToggleNoView)
                if (annotation.isNoView() && (annotation.isPrinted() || annotation.isToggleNoView())) {
                    annotation.setNoView(false);
                    try {
                        super.showAnnotation(annotation);
                    } finally {
                        annotation.setNoView(true);
                    }
                } else {
                    super.showAnnotation(annotation);
                }
            }
        }
    }
}
