package cn.yinxin.ca.hierarchy;

import cn.yinxin.ca.CaProperties;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.ca.certificates.CertificateStore;
import cn.yinxin.ca.crl.CrlPublisher;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.SealKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import cn.yinxin.ca.trustlist.TrustListService;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Profile;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * At start, before the web server opens: the CAs of the key store and the certificates of the hierarchy itself are
 * registered in the database (once), certificates issued while the service was not running (keystores-sample) are
 * imported, every CA gets a CRL and the trust list is published. Audited like any other change.
 */
@Component
@Profile("!ceremony")
public class HierarchyRegistration implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(HierarchyRegistration.class);

    private final JdbcClient jdbc;
    private final CaHierarchy hierarchy;
    private final CertificateStore certificates;
    private final AuditLog audit;
    private final CrlPublisher crls;
    private final CaProperties properties;
    private final TrustListService trustLists;
    private final TransactionTemplate transaction;
    private final CaKeysConfiguration.SealMakerKey sealMaker;

    private final Clock clock;

    public HierarchyRegistration(JdbcClient jdbc, CaHierarchy hierarchy, CertificateStore certificates, AuditLog audit,
                                 CrlPublisher crls, CaProperties properties, TrustListService trustLists,
                                 PlatformTransactionManager transactions, CaKeysConfiguration.SealMakerKey sealMaker, Clock clock) {
        this.clock = clock;
        this.sealMaker = sealMaker;
        this.trustLists = trustLists;
        this.transaction = new TransactionTemplate(transactions);
        this.jdbc = jdbc;
        this.hierarchy = hierarchy;
        this.certificates = certificates;
        this.audit = audit;
        this.crls = crls;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        transaction.executeWithoutResult(status -> {
            try {
                register();
            } catch (Exception e) {
                throw new IllegalStateException("the CA hierarchy could not be registered: " + e.getMessage(), e);
            }
        });
    }

    private void register() throws Exception {
        Instant now = clock.instant();
        for (String name : CrlPublisher.AUTHORITIES) {
            X509Certificate certificate = hierarchy.ca(name).certificate();
            int added = jdbc.sql("INSERT INTO authority (name, certificate, registered_at) VALUES (:n, :c, :t) "
                            + "ON CONFLICT (name) DO NOTHING")
                    .param("n", name).param("c", certificate.getEncoded()).param("t", Timestamp.from(now)).update();
            if (added == 1) {
                audit.record("system", "CA registered", name, certificate.getSubjectX500Principal().getName());
            }
        }
        Map<String, SealKey> services = new HashMap<>(Map.of(CaHierarchy.SEAL_CA, hierarchy.sealCa(),
                CaHierarchy.PERSONAL_CA, hierarchy.personalCa(), CaHierarchy.TSA, hierarchy.tsa(),
                CaHierarchy.OCSP_SEAL_CA, hierarchy.ocspSealCa(), CaHierarchy.OCSP_PERSONAL_CA, hierarchy.ocspPersonalCa(),
                CaHierarchy.TRUST_LIST, hierarchy.trustListSigner()));
        sealMaker.key().ifPresent(key -> services.put(CaHierarchy.SEAL_MAKER, key));
        for (var entry : services.entrySet()) {
            X509Certificate certificate = entry.getValue().certificate();
            if (certificates.add(issuerOf(certificate), certificate, profileOf(entry.getKey()), entry.getKey(), now)) {
                audit.record("system", "certificate registered", entry.getKey(), certificate.getSubjectX500Principal().getName());
            }
        }
        importIssued(now);
        if (crls.latest(CaHierarchy.ROOT).isEmpty()) {
            for (String name : CrlPublisher.AUTHORITIES) {
                crls.publish(name);
            }
        }
        if (trustLists.latest().isEmpty() || !trustLists.latestAcceptable()) {
            trustLists.publish("system");
        }
    }

    private void importIssued(Instant now) throws Exception {
        Path dir = properties.importDir();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pem")).sorted().toList()) {
                for (X509Certificate certificate : Pem.readCertificates(Files.readAllBytes(file))) {
                    String issuer = issuerOf(certificate);
                    if (issuer == null) {
                        log.warn("Not importing {}: not issued by this CA hierarchy", file);
                    } else if (certificates.add(issuer, certificate, "AGENCY_SEAL", null, now)) {
                        audit.record("system", "certificate imported", issuer + "/"
                                + CertificateStore.serial(certificate.getSerialNumber()), file.getFileName().toString());
                    }
                }
            }
        }
    }

    /** Which of our CAs signed this certificate, by verifying its signature. */
    String issuerOf(X509Certificate certificate) {
        for (String name : CrlPublisher.AUTHORITIES) {
            X509Certificate ca = hierarchy.ca(name).certificate();
            if (certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                try {
                    certificate.verify(ca.getPublicKey(), Providers.bouncyCastle());
                    return name;
                } catch (Exception ignored) {
                    // same name, other key: not ours
                }
            }
        }
        return null;
    }

    private static String profileOf(String alias) {
        return switch (alias) {
            case CaHierarchy.SEAL_CA, CaHierarchy.PERSONAL_CA -> "ISSUING_CA";
            case CaHierarchy.TSA -> "TIME_STAMPING";
            case CaHierarchy.TRUST_LIST -> "TRUST_LIST_SIGNING";
            case CaHierarchy.SEAL_MAKER -> "SEAL_MAKING";
            default -> "OCSP_SIGNING";
        };
    }
}
