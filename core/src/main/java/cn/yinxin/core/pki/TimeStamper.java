package cn.yinxin.core.pki;

import java.security.GeneralSecurityException;

/** Gets an RFC 3161 time-stamp token over some bytes (a signature value, or a whole document revision). */
@FunctionalInterface
public interface TimeStamper {

    /**
     * @return the DER TimeStampToken (a CMS ContentInfo)
     * @throws GeneralSecurityException when no valid token can be had (TSA down, refused, or its answer wrong)
     */
    byte[] timeStamp(byte[] data) throws GeneralSecurityException;
}
