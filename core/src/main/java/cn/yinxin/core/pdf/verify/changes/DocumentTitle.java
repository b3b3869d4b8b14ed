package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The title readers show in their window or tab in place of the file's name: pdf.js (Firefox) the XMP metadata's
 * dc:title, else the document information's /Title, whenever the document has one; Acrobat the same under
 * /ViewerPreferences /DisplayDocTitle. A clerk takes it for the document's name ("准予许可决定书"), so it is part of
 * what the document says it is, not housekeeping: the rest of /Info and the XMP metadata may still change.
 */
final class DocumentTitle {

    /** How much of the XMP metadata is read to find its title (the stream's size is bounded before this already). */
    private static final int MAX_XMP_BYTES = 1 << 20;
    private static final Pattern DC_TITLE = Pattern.compile("<dc:title\\b[^>]*>(.*?)</dc:title>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private DocumentTitle() {
    }

    /** The title a reader shows for {@code document}, or null when it has none (the file's name is shown). */
    static String of(PDDocument document) {
        String xmp = fromXmp(document);
        if (xmp != null && !xmp.isEmpty()) {
            return xmp;
        }
        String info = document.getDocumentInformation().getCOSObject().getString(COSName.TITLE);
        return info == null || info.isBlank() ? null : info.strip();
    }

    private static String fromXmp(PDDocument document) {
        if (!(document.getDocumentCatalog().getCOSObject().getDictionaryObject(COSName.METADATA) instanceof COSStream
                stream)) {
            return null;
        }
        try (InputStream in = stream.createInputStream()) {
            String xml = new String(in.readNBytes(MAX_XMP_BYTES), StandardCharsets.UTF_8);
            Matcher title = DC_TITLE.matcher(xml);
            if (!title.find()) {
                return null;
            }
            String text = TAG.matcher(title.group(1)).replaceAll(" ").replaceAll("\\s+", " ").strip();
            return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                    .replace("&amp;", "&");
        } catch (IOException | RuntimeException e) {
            return null; // unreadable metadata: readers show /Info's title or the file name
        }
    }
}
