package cn.yinxin.bench;

import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.keystores.SamplePki;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For the OCSP benchmark only: writes one key of a development PKCS#12 key store as PEM, so that openssl's
 * responder can sign with the same OCSP signer as ours. Refuses anything but a development key store's password.
 *
 * <pre>java -cp bench.jar cn.yinxin.bench.ExportDevelopmentKey KEYSTORE.p12 ALIAS KEY.pem CERT.pem</pre>
 */
public final class ExportDevelopmentKey {

    private ExportDevelopmentKey() {
    }

    public static void main(String[] args) throws Exception {
        var key = new Pkcs12Vault(Path.of(args[0]), SamplePki.PASSWORD.toCharArray()).get(args[1]);
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(key.privateKey());
        }
        Files.writeString(Path.of(args[2]), pem.toString());
        Files.writeString(Path.of(args[3]), Pem.encode(key.certificate()));
    }
}
