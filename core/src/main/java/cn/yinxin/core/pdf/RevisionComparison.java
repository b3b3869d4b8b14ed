package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.VerificationReport.Change;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What changed between a signed revision and the document as it is now. Adding signatures (with their widgets)
 * is allowed; changing page content, adding or removing pages or other annotations is not.
 */
final class RevisionComparison {

    private RevisionComparison() {
    }

    static List<Change> changes(byte[] pdf, long revisionEnd, PDDocument current) {
        List<Change> changes = new ArrayList<>();
        try (PDDocument signed = Loader.loadPDF(Arrays.copyOf(pdf, (int) revisionEnd))) {
            int before = signed.getNumberOfPages();
            int after = current.getNumberOfPages();
            if (after > before) {
                changes.add(new Change("PAGES_ADDED", null, false, (after - before) + " page(s) added"));
            } else if (after < before) {
                changes.add(new Change("PAGES_REMOVED", null, false, (before - after) + " page(s) removed"));
            }
            for (int i = 0; i < Math.min(before, after); i++) {
                comparePage(i + 1, signed.getPage(i), current.getPage(i), changes);
            }
        } catch (IOException e) {
            changes.add(new Change("UNREADABLE_REVISION", null, false,
                    "the signed revision cannot be read on its own to compare it"));
        }
        return changes;
    }

    private static void comparePage(int number, PDPage signed, PDPage current, List<Change> changes)
            throws IOException {
        if (!Arrays.equals(content(signed), content(current))) {
            changes.add(new Change("PAGE_CONTENT", number, false, "the content of page " + number + " was changed"));
        }
        Set<COSObjectKey> signedAnnotations = new HashSet<>();
        for (PDAnnotation annotation : signed.getAnnotations()) {
            signedAnnotations.add(annotation.getCOSObject().getKey());
        }
        Set<COSObjectKey> currentAnnotations = new HashSet<>();
        for (PDAnnotation annotation : current.getAnnotations()) {
            COSObjectKey key = annotation.getCOSObject().getKey();
            currentAnnotations.add(key);
            if (key == null || !signedAnnotations.contains(key)) {
                if (isSignatureWidget(annotation.getCOSObject())) {
                    changes.add(new Change("SIGNATURE_ADDED", number, true,
                            "a signature field was added on page " + number));
                } else {
                    changes.add(new Change("ANNOTATION_ADDED", number, false,
                            "a " + annotation.getSubtype() + " annotation was added on page " + number));
                }
            }
        }
        for (COSObjectKey key : signedAnnotations) {
            if (key == null || !currentAnnotations.contains(key)) {
                changes.add(new Change("ANNOTATION_REMOVED", number, false,
                        "an annotation was removed from page " + number));
            }
        }
    }

    private static boolean isSignatureWidget(COSDictionary annotation) {
        COSBase fieldType = annotation.getDictionaryObject(COSName.FT);
        if (fieldType == null && annotation.getDictionaryObject(COSName.PARENT) instanceof COSDictionary parent) {
            fieldType = parent.getDictionaryObject(COSName.FT);
        }
        return COSName.WIDGET.equals(annotation.getDictionaryObject(COSName.SUBTYPE)) && COSName.SIG.equals(fieldType);
    }

    private static byte[] content(PDPage page) throws IOException {
        try (InputStream in = page.getContents()) {
            return in.readAllBytes();
        }
    }
}
