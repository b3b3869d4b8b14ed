package cn.yinxin.testing;

import cn.yinxin.keystores.SamplePki;

import java.nio.file.Path;

/** A fresh development PKI and sample seal, made by keystores-sample, in a temporary folder. */
public final class SampleKeystores {

    private SampleKeystores() {
    }

    public static Path fresh() {
        return fresh(SamplePki.DEFAULT_CA_URL);
    }

    /** With the CA's address (written into certificates for CRL and OCSP) at {@code caUrl}. */
    public static Path fresh(String caUrl) {
        return fresh(caUrl, caUrl + "/ocsp");
    }

    /** With the CA (CRLs) at {@code caUrl} and its OCSP responder at {@code ocspUrl}. */
    public static Path fresh(String caUrl, String ocspUrl) {
        try {
            Path dir = TempFolders.create("yinxin-keystores");
            SamplePki.create(dir, caUrl, ocspUrl);
            return dir;
        } catch (Exception e) {
            throw new IllegalStateException("sample keystores could not be made", e);
        }
    }
}
