package cn.yinxin.keystores;

import java.nio.file.Path;

/**
 * {@code java -jar keystores-sample.jar [DIR [CA-URL [OCSP-URL]]]}: makes the development PKI and sample seal in
 * DIR if absent; CA-URL is where the ca-service will answer (CRLs), OCSP-URL its OCSP responder (default
 * CA-URL/ocsp); both are written into the certificates.
 */
public final class MakeSampleKeystores {

    private MakeSampleKeystores() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "var/keystores").toAbsolutePath();
        String caUrl = args.length > 1 ? args[1] : SamplePki.DEFAULT_CA_URL;
        String ocspUrl = args.length > 2 ? args[2] : caUrl + "/ocsp";
        if (SamplePki.createIfAbsent(dir, caUrl, ocspUrl)) {
            System.out.println("Made the development PKI and the sample seal in " + dir);
        } else {
            System.out.println("Development PKI already present in " + dir + " (kept)");
        }
    }
}
