package cn.yinxin.ca.certificates;

import cn.yinxin.core.pki.Pem;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;

/** {@code GET /api/v1/ca/certificates}: the CA certificates this service runs, as one PEM bundle. */
@RestController
public class CaCertificatesController {

    /** @param dir the folder with the CA certificates (root.pem, seal-ca.pem) */
    @ConfigurationProperties("yinxin.ca")
    public record CaProperties(Path dir) {
    }

    private final List<X509Certificate> certificates;

    public CaCertificatesController(CaProperties properties) throws Exception {
        if (properties.dir() == null || !Files.isDirectory(properties.dir())) {
            throw new IllegalStateException("yinxin.ca.dir must name the folder of CA certificates; got "
                    + properties.dir());
        }
        this.certificates = Pem.readFolder(properties.dir());
    }

    @GetMapping("/api/v1/ca/certificates")
    public ResponseEntity<String> certificates() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/pem-certificate-chain"))
                .header("Cache-Control", "public, max-age=3600")
                .body(certificates.stream().map(Pem::encode).collect(Collectors.joining()));
    }
}
