package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The title readers show in their window or tab in place of the file's name: pdf.js (Firefox) the XMP metadata's
 * dc:title, else the document information's /Title, whenever the document has one; Acrobat the same under
 * /ViewerPreferences /DisplayDocTitle. A clerk takes it for the document's name ("准予许可决定书"), so it is part of
 * what the document says it is, not housekeeping: the rest of /Info and the XMP metadata may still change. Acrobat
 * may show either source's title, so neither may change.
 */
final class DocumentTitle {

    /** How much of the XMP metadata is read to find its title (the stream's size is bounded before this already). */
    private static final int MAX_XMP_BYTES = 1 << 20;
    /**
     * Every dc:title, in any case (pdf.js reads names in lower case) and wherever it stands (in a comment, a second
     * rdf:Description: pdf.js keeps the last it reads, this pattern would have found the first).
     */
    private static final Pattern DC_TITLE = Pattern.compile("<dc:title\\b[^>]*>(.*?)</dc:title>",
            Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private DocumentTitle() {
    }

    /**
     * How the title changed between two revisions (null: it did not), in /Info or in the XMP metadata (Acrobat may take either, by
     * which is newer). One of them given the title the document already showed where it had none is not a change
     * (tools that keep the two in step do that).
     */
    static String changed(PDDocument before, PDDocument after) {
        String shown = of(before);
        List<String> moves = new ArrayList<>();
        String was = fromInfo(before);
        String is = fromInfo(after);
        if (moved(was, is, shown)) {
            moves.add("document information " + quoted(was) + " -> " + quoted(is));
        }
        was = fromXmp(before);
        is = fromXmp(after);
        if (moved(was, is, shown)) {
            moves.add("XMP metadata " + quoted(was) + " -> " + quoted(is));
        }
        return moves.isEmpty() ? null : "the document's title, which readers show in the window or tab in place of "
                + "the file name, changed (" + String.join("; ", moves) + ")";
    }

    private static String quoted(String title) {
        return title == null ? "none" : "\"" + (title.length() > 80 ? title.substring(0, 80) + "..." : title) + "\"";
    }

    private static boolean moved(String was, String is, String shown) {
        return !Objects.equals(was, is) && !(was == null && Objects.equals(is, shown));
    }

    /** The title a reader shows for {@code document}, or null when it has none (the file's name is shown). */
    static String of(PDDocument document) {
        String xmp = fromXmp(document);
        return xmp != null ? xmp : fromInfo(document);
    }

    private static String fromInfo(PDDocument document) {
        String info = document.getDocumentInformation().getCOSObject().getString(COSName.TITLE);
        return info == null || info.isBlank() ? null : info.strip();
    }

    private static String fromXmp(PDDocument document) {
        if (!(document.getDocumentCatalog().getCOSObject().getDictionaryObject(COSName.METADATA) instanceof COSStream
                stream)) {
            return null;
        }
        try (InputStream in = stream.createInputStream()) {
            byte[] head = in.readNBytes(MAX_XMP_BYTES);
            if (in.read() >= 0) {
                return tooLong(stream);
            }
            String xml = new String(head, StandardCharsets.UTF_8);
            Matcher title = DC_TITLE.matcher(xml);
            List<String> titles = new ArrayList<>();
            while (title.find()) {
                String text = TAG.matcher(title.group(1)).replaceAll(" ").replaceAll("\\s+", " ").strip();
                titles.add(text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                        .replace("&apos;", "'").replace("&amp;", "&"));
            }
            // several titles (readers differ in which they take): all of them are what may not change
            String all = String.join(" | ", titles).strip();
            return all.isEmpty() ? null : all;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable metadata: readers show /Info's title or the file name
        }
    }

    /**
     * Metadata longer than is read for its title stands for its title by its digest: pdf.js reads the whole packet
     * (and keeps the last dc:title), so a title put beyond the part read would change unseen; any change of such
     * metadata counts as a change of the title.
     */
    private static String tooLong(COSStream stream) throws IOException {
        try (InputStream in = stream.createInputStream()) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long length = 0;
            for (int n; (n = in.read(buffer)) > 0; length += n) {
                digest.update(buffer, 0, n);
            }
            return "XMP metadata of " + length + " bytes, SHA-256 " + java.util.HexFormat.of().formatHex(
                    digest.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
