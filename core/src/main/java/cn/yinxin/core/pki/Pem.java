package cn.yinxin.core.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/** Certificates to and from PEM text, and trust folders of PEM or DER files. */
public final class Pem {

    private Pem() {
    }

    public static String encode(X509Certificate certificate) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }

    /** Reads every certificate in a PEM bundle or a single DER file. */
    public static List<X509Certificate> readCertificates(byte[] data) throws GeneralSecurityException {
        // Bouncy Castle reads SM2 keys, which the JDK cannot
        CertificateFactory factory = CertificateFactory.getInstance("X.509", Providers.bouncyCastle());
        List<X509Certificate> result = new ArrayList<>();
        for (var c : factory.generateCertificates(new ByteArrayInputStream(data))) {
            result.add((X509Certificate) c);
        }
        return result;
    }

    /** All certificates in the *.pem, *.crt, *.cer and *.der files of a folder. */
    public static List<X509Certificate> readFolder(Path folder) throws IOException, GeneralSecurityException {
        List<X509Certificate> result = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString().toLowerCase();
                if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer") || name.endsWith(".der")) {
                    result.addAll(readCertificates(Files.readAllBytes(file)));
                }
            }
        }
        return result;
    }
}
