package cn.yinxin.testing.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The openssl command line as an outside judge: files in a folder, and what it prints. */
final class OpenSsl {

    record Outcome(int exit, String output) {
    }

    private final Path folder;

    OpenSsl(Path folder) {
        this.folder = folder;
    }

    Path pem(String name, X509Certificate... certificates) throws Exception {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            text.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        return Files.writeString(folder.resolve(name + ".pem"), text);
    }

    Path crl(String name, byte[]... crls) throws IOException {
        StringBuilder text = new StringBuilder();
        for (byte[] crl : crls) {
            text.append(pem("X509 CRL", crl));
        }
        return Files.writeString(folder.resolve(name + ".crl.pem"), text);
    }

    Path der(String name, byte[] bytes) throws IOException {
        return Files.write(folder.resolve(name), bytes);
    }

    Outcome run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(process.waitFor(), output);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
