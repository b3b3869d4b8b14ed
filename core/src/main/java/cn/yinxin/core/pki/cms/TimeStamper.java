package cn.yinxin.core.pki.cms;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;

/** Gets an RFC 3161 time-stamp token over some bytes (a signature value, or a whole document revision). */
@FunctionalInterface
public interface TimeStamper {

    /**
     * @return the DER TimeStampToken (a CMS ContentInfo)
     * @throws GeneralSecurityException when no valid token can be had (TSA down, refused, or its answer wrong)
     */
    byte[] timeStamp(byte[] data) throws GeneralSecurityException;

    /**
     * A token over data read from a stream to its end (a document revision of any size). This default reads the
     * stream into memory; a time-stamper that only sends the imprint (as every RFC 3161 client does) overrides it
     * to hash while reading, so that the data is never held whole.
     */
    default byte[] timeStamp(InputStream data) throws GeneralSecurityException, IOException {
        return timeStamp(data.readAllBytes());
    }
}
