package cn.yinxin.core.pdf.verify.visual;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.PageDrawer;
import org.apache.pdfbox.rendering.PageDrawerParameters;

import java.io.IOException;
import java.util.Arrays;

/**
 * The document as it is now, opened again for drawing only when a page must be drawn: drawing an annotation
 * without appearance makes PDFBox add one to the document, which the caller's copy must not get.
 */
final class DrawingCopy implements AutoCloseable {
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

        Renderer(PDDocument document) {
            super(document);
            setSubsamplingAllowed(true);
        }

        @Override
        protected PageDrawer createPageDrawer(PageDrawerParameters parameters) throws IOException {
            PageDrawer drawer = new PageDrawer(parameters) {
                @Override
                public void showAnnotation(PDAnnotation annotation) throws IOException {
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
            };
            // PDFRenderer's own createPageDrawer hands the drawer the renderer's annotation filter; so must this one
            drawer.setAnnotationFilter(getAnnotationsFilter());
            return drawer;
        }
    }
}
