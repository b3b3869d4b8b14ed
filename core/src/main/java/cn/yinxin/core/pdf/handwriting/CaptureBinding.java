package cn.yinxin.core.pdf.handwriting;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.apache.pdfbox.io.RandomAccessRead;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A capture names the document it was made for (its SHA-256 and length); the revision is written onto exactly those
 * bytes or not at all, so the capture cannot be put on another document.
 */
public final class CaptureBinding {

    private CaptureBinding() {
    }

    /** Refuses unless {@code source} is the document {@code capture} was made for; leaves it read from the start. */
    public static void refuseIfCapturedForAnotherDocument(RandomAccessRead source, Handwriting capture) {
        try {
            long length = source.length();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            source.seek(0);
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = source.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            source.seek(0);
            String sha256 = HexFormat.of().formatHex(digest.digest());
            if (length != capture.documentLength() || !sha256.equals(capture.documentSha256())) {
                throw new RejectedException(Problem.CAPTURE_FOR_ANOTHER_DOCUMENT, "The handwritten signature was "
                        + "captured for document " + capture.documentSha256() + ", not for this one (" + sha256 + ").");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the PDF cannot be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
