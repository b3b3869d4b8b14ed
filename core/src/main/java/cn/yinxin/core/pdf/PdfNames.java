package cn.yinxin.core.pdf;

import org.apache.pdfbox.cos.COSName;

/**
 * PDFBox keeps every name it ever makes or reads in a table of its own (COSName's), for the life of the process.
 * A service that draws, seals or verifies documents for ever grows it: every licence PDF names its fonts with the
 * subset tag of its own characters (PdfText), so each licence drawn and each licence sealed added two names (200
 * documents drawn: 404 more, measured), about 300 MB of heap over a million-row conversion in each of the licence
 * and seal services; and an upload of a million new names held some 100 MB of the verifier's heap after its answer.
 * The table is emptied after each document. Names are equal by their text (a name read again is a new object equal
 * to the one before), and the names PDFBox defines itself are in another table that is never emptied, so a
 * document drawn, sealed or verified meanwhile on another thread reads on unchanged.
 */
public final class PdfNames {

    private PdfNames() {
    }

    @SuppressWarnings("deprecation")
    public static void forget() {
        COSName.clearResources();
    }
}
