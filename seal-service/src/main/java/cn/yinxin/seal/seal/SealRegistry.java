package cn.yinxin.seal.seal;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.Uscc;
import cn.yinxin.core.pdf.SealAppearance;
import cn.yinxin.core.pki.SealKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The seals this service can stamp with, loaded once at start from their folders. */
@Component
public class SealRegistry {

    private static final Logger log = LoggerFactory.getLogger(SealRegistry.class);

    private final Map<String, Seal> seals = new TreeMap<>();

    public SealRegistry(SealsProperties properties) throws IOException, GeneralSecurityException {
        if (properties.dir() == null || !Files.isDirectory(properties.dir())) {
            throw new IllegalStateException("yinxin.seals.dir must name the folder of seals; got " + properties.dir());
        }
        char[] password = properties.keystorePassword() == null ? new char[0] : properties.keystorePassword().toCharArray();
        try (Stream<Path> folders = Files.list(properties.dir())) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                if (Files.exists(folder.resolve("seal.properties"))) {
                    Seal seal = load(folder, password);
                    seals.put(seal.id(), seal);
                }
            }
        }
        log.info("Loaded {} seal(s) from {}: {}", seals.size(), properties.dir(), seals.keySet());
    }

    public Collection<Seal> all() {
        return seals.values();
    }

    /** The seal, if it exists and can be used now. */
    public Seal usable(String id) {
        Seal seal = seals.get(id);
        if (seal == null) {
            throw new RejectedException(Problem.UNKNOWN_SEAL, "There is no seal with id '" + id + "'.");
        }
        Instant now = Instant.now();
        var certificate = seal.key().certificate();
        if (now.isAfter(certificate.getNotAfter().toInstant()) || now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new RejectedException(Problem.SEAL_NOT_USABLE, "The certificate of seal '" + id
                    + "' is valid from " + certificate.getNotBefore().toInstant() + " to "
                    + certificate.getNotAfter().toInstant() + "; it cannot seal now.");
        }
        return seal;
    }

    private static Seal load(Path folder, char[] password) throws IOException, GeneralSecurityException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(folder.resolve("seal.properties"), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String agencyCode = required(p, "agencyCode", folder);
        if (!Uscc.isValid(agencyCode)) {
            throw new IllegalStateException("seal in " + folder + " has an invalid Unified Social Credit Code: " + agencyCode);
        }
        SealAppearance appearance = new SealAppearance(Files.readAllBytes(folder.resolve("seal.png")),
                Double.parseDouble(required(p, "widthMm", folder)), Double.parseDouble(required(p, "heightMm", folder)));
        SealKey key = SealKey.fromPkcs12(folder.resolve("seal.p12"), password);
        return new Seal(required(p, "id", folder), required(p, "name", folder), required(p, "agency", folder),
                agencyCode, p.getProperty("kind", "AGENCY"), appearance, key);
    }

    private static String required(Properties p, String key, Path folder) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("seal in " + folder + " has no " + key);
        }
        return value.trim();
    }
}
