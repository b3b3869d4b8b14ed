package cn.yinxin.seal.administration;

import cn.yinxin.seal.SealsProperties;
import cn.yinxin.seal.keys.SealKeys;
import cn.yinxin.seal.registry.Seal;
import cn.yinxin.seal.registry.SealKind;
import cn.yinxin.seal.registry.SealStatus;
import cn.yinxin.seal.registry.SealStore;
import cn.yinxin.seal.registry.SealUser;

import cn.yinxin.core.licence.Uscc;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.service.audit.AuditLog;
import org.bouncycastle.asn1.ASN1Primitive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Registers, once, the seals made outside this service: keystores-sample writes one folder per seal
 * (seal.properties, seal.p12, seal.png). The key stays in its PKCS#12 file; the development client becomes its
 * only user, with every level and option, so that a first try works without an administrator, unless the folder
 * names its own users (the verification-report seal: the verifier's client alone). A folder may hold
 * {@code seal.esl}, the seal's GB/T 38540 seal (SESeal) made by the CA's seal maker: kept only when it names this
 * seal's certificate and pictures this seal's image (else the import fails), so an OFD can be sealed with it.
 */
@Component
public class SealImport implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SealImport.class);

    private final SealsProperties properties;
    private final SealStore store;
    private final SealKeys keys;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final SealImageLimits imageLimits;
    private final Clock clock;

    public SealImport(SealsProperties properties, SealStore store, SealKeys keys, AuditLog audit,
                      TransactionTemplate transaction, SealImageLimits imageLimits, Clock clock) {
        this.clock = clock;
        this.properties = properties;
        this.store = store;
        this.keys = keys;
        this.audit = audit;
        this.transaction = transaction;
        this.imageLimits = imageLimits;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Path dir = properties.importDir();
        if (dir == null || !Files.isDirectory(dir)) {
            log.info("No seal folders to import (yinxin.seals.import-dir={})", dir);
            return;
        }
        try (Stream<Path> folders = Files.list(dir)) {
            for (Path folder : folders.filter(f -> Files.exists(f.resolve("seal.properties"))).sorted().toList()) {
                importFolder(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private void importFolder(Path folder) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(folder.resolve("seal.properties"), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder.resolve("seal.properties"), e);
        }
        String id = required(p, "id", folder);
        if (store.exists(id)) {
            return;
        }
        String agencyCode = required(p, "agencyCode", folder);
        if (!Uscc.isValid(agencyCode)) {
            throw new IllegalStateException("seal in " + folder + " has an invalid Unified Social Credit Code: " + agencyCode);
        }
        double width = Double.parseDouble(required(p, "widthMm", folder));
        double height = Double.parseDouble(required(p, "heightMm", folder));
        Path keyFile = folder.resolve("seal.p12").toAbsolutePath();
        SealKey key;
        byte[] image;
        try {
            key = SealKey.fromPkcs12(keyFile, keys.password());
            image = Files.readAllBytes(folder.resolve("seal.png"));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("seal in " + folder + " cannot be read: " + e.getMessage(), e);
        }
        SealImages.Checked checked = SealImages.check(image, width, height, imageLimits);
        X509Certificate certificate = key.certificate();
        Instant now = clock.instant();
        List<SealUser> users = importUsers(p);
        Seal seal = new Seal(id, required(p, "name", folder), required(p, "agency", folder), agencyCode,
                SealKind.valueOf(p.getProperty("kind", "AGENCY").trim().toUpperCase(Locale.ROOT)), checked.type(),
                checked.stampPng(), width, height, null, keyFile.toString(), p.getProperty("caIssuer", "seal-ca"),
                certificate.getSerialNumber().toString(16), Seal.subjectOf(certificate),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), SealStatus.ACTIVE, null,
                now, SignatureLevel.valueOf(p.getProperty("defaultLevel", "B_B")), users, "system", now);
        String chain = key.chain().stream().map(Pem::encode).reduce("", String::concat);
        byte[] seseal = nationalSeal(folder, certificate, checked.stampPng());
        try {
            transaction.executeWithoutResult(status -> {
                try {
                    store.insert(new SealStore.NewSeal(seal, checked.original(), certificate.getEncoded(), chain,
                            seseal));
                } catch (CertificateEncodingException e) {
                    throw new IllegalStateException(e);
                }
                audit.record("system", "seal.import", Seal.auditSubject(id), "from " + folder
                        + " users=" + SealAdministration.describe(users));
            });
        } catch (DuplicateKeyException e) {
            // instances started together on one database: another one imported it first (its row and audit entry
            // stand; ours were rolled back together)
            log.info("Seal {} was imported by another instance", id);
            return;
        }
        log.info("Imported seal {} from {}", id, folder);
    }

    /**
     * The folder's {@code seal.esl} (DER SESeal), or null when there is none. Its maker's signature is checked where
     * it is used (verifiers check it against their own trust); here only that it belongs to this seal: its certList
     * names the key's certificate and its picture is the image that is stamped.
     */
    public static byte[] nationalSeal(Path folder, X509Certificate certificate, byte[] stampPng) {
        Path file = folder.resolve("seal.esl");
        if (!Files.exists(file)) {
            return null;
        }
        try {
            byte[] der = Files.readAllBytes(file);
            SESeal seal = SESeal.getInstance(
                    ASN1Primitive.fromByteArray(der));
            byte[] mine = certificate.getEncoded();
            boolean names = seal.sealInfo().property().certs().stream().anyMatch(c -> Arrays.equals(c, mine));
            if (!names) {
                throw new IllegalStateException("seal.esl in " + folder + " does not name the seal's certificate");
            }
            if (!Arrays.equals(seal.sealInfo().picture().data(), stampPng)) {
                throw new IllegalStateException("seal.esl in " + folder + " pictures another image than seal.png");
            }
            return der;
        } catch (IOException | CertificateEncodingException | RuntimeException e) {
            if (e instanceof IllegalStateException bad) {
                throw bad;
            }
            throw new IllegalStateException("seal.esl in " + folder + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * A folder's own {@code users} (comma-separated clients: every level, no certification, no cross-page seals),
     * e.g. the verification-report seal's, which only the verifier's client may use; else the configured import
     * users, with every level and option.
     */
    private List<SealUser> importUsers(Properties p) {
        String own = p.getProperty("users");
        if (own != null) {
            return Arrays.stream(own.split(",")).map(String::strip).filter(client -> !client.isEmpty())
                    .map(client -> new SealUser(client, EnumSet.allOf(SignatureLevel.class), false, false)).toList();
        }
        return properties.importUsers() == null ? List.of() : properties.importUsers().stream()
                .filter(client -> !client.isBlank())
                .map(client -> new SealUser(client.strip(), EnumSet.allOf(SignatureLevel.class), true, true)).toList();
    }

    private static String required(Properties p, String key, Path folder) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("seal in " + folder + " has no " + key);
        }
        return value.trim();
    }
}
