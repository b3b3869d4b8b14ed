package cn.yinxin.ca.certificates;

import cn.yinxin.ca.CaProperties;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.ca.crl.CrlPublisher;
import cn.yinxin.service.keys.KeyStores;
import cn.yinxin.ca.ocsp.OcspService;
import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.ResidentId;
import cn.yinxin.core.licence.Uscc;
import cn.yinxin.core.text.PrintedText;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.ca.Csrs;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.keys.KeyVault;
import cn.yinxin.core.pki.revocation.Revocation;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.service.metrics.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import org.bouncycastle.asn1.x500.X500Name;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Issues certificates under the profiles, and revokes, suspends and releases them. */
@Service
public class EnrolmentService {

    private static final Logger LOG = LoggerFactory.getLogger(EnrolmentService.class);

    /** An issued certificate with its chain, and the key's name when the key store made it. */
    public record Issued(String issuer, X509Certificate certificate, List<X509Certificate> chain, String keyAlias) {
    }

    private final CaHierarchy hierarchy;
    private final CertificateStore certificates;
    private final AuditLog audit;
    private final CrlPublisher crls;
    private final OcspService ocsp;
    private final CaProperties properties;
    private KeyVault sealKeys;
    private final MeterRegistry meters;

    private final Clock clock;

    public EnrolmentService(CaHierarchy hierarchy, CertificateStore certificates, AuditLog audit, CrlPublisher crls,
                            OcspService ocsp, CaProperties properties, MeterRegistry meters, Clock clock) {
        this.clock = clock;
        this.meters = meters;
        this.hierarchy = hierarchy;
        this.certificates = certificates;
        this.audit = audit;
        this.crls = crls;
        this.ocsp = ocsp;
        this.properties = properties;
    }

    @Transactional
    public Issued enrol(EnrolmentRequest request, String actor) throws GeneralSecurityException {
        Profile profile = profile(request.profile());
        String issuer = profile == Profile.AGENCY_SEAL ? CaHierarchy.SEAL_CA : CaHierarchy.PERSONAL_CA;
        SealKey ca = hierarchy.ca(issuer);
        X500Name subject = subject(profile, request.subject());
        Instant start = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Duration validity = validity(profile, request, start, ca);
        var pointers = KeyCeremony.pointers(properties.publicUrl(), properties.ocspUrl(), issuer);

        if ((request.csr() == null) == (request.generateKey() == null)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Send either a CSR or generateKey, not both or neither.");
        }
        Issuance issue = key -> CertificateMaker.issue(subject, key, profile, ca, start, validity, pointers);
        X509Certificate certificate;
        String alias = null;
        if (request.csr() != null) {
            certificate = issue.certificate(Csrs.publicKey(request.csr()));
        } else {
            alias = sealKeyName(request, profile);
            certificate = withNewSealKey(alias, algorithm(request.generateKey().algorithm()), ca, issue);
        }
        certificates.add(issuer, certificate, profile.name(), alias, start);
        audit.record(actor, "certificate issued", issuer + "/" + CertificateStore.serial(certificate.getSerialNumber()),
                profile + " " + certificate.getSubjectX500Principal().getName() + (alias == null ? "" : " key " + alias));
        return new Issued(issuer, certificate, chain(certificate, ca), alias);
    }

    /** A certificate for a subject key, as the request asked it to be issued. */
    @FunctionalInterface
    private interface Issuance {
        X509Certificate certificate(PublicKey key) throws GeneralSecurityException;
    }

    /** The validity asked for (the profile's limit when none), cut at the CA certificate's own end. */
    private Duration validity(Profile profile, EnrolmentRequest request, Instant start, SealKey ca) {
        Duration limit = profile == Profile.AGENCY_SEAL ? properties.maxSealValidity() : properties.maxPersonalValidity();
        Duration validity = request.validityDays() == null ? limit : Duration.ofDays(request.validityDays());
        if (validity.isNegative() || validity.isZero() || validity.compareTo(limit) > 0) {
            throw new RejectedException(Problem.VALIDITY_TOO_LONG, "A " + profile + " certificate may be valid for 1 to "
                    + limit.toDays() + " days; " + validity.toDays() + " were asked for.");
        }
        if (start.plus(validity).isAfter(ca.certificate().getNotAfter().toInstant())) {
            validity = Duration.between(start, ca.certificate().getNotAfter().toInstant());
        }
        return validity;
    }

    /** The name of the seal key to make: keys are made here only for seals, under a plain name. */
    private static String sealKeyName(EnrolmentRequest request, Profile profile) {
        if (profile != Profile.AGENCY_SEAL) {
            throw new RejectedException(Problem.INVALID_REQUEST,
                    "Keys are made here only for seals; a person makes their own key and sends a CSR.");
        }
        String alias = request.generateKey().alias();
        if (alias == null || !alias.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new RejectedException(Problem.INVALID_REQUEST,
                    "A key name is 1 to 63 lower-case letters, digits and hyphens.");
        }
        return alias;
    }

    /** Makes a new key in the seal key store and its certificate; a failing key store is counted. */
    private X509Certificate withNewSealKey(String alias, KeyAlgorithm algorithm, SealKey ca, Issuance issue)
            throws GeneralSecurityException {
        KeyVault vault;
        try {
            vault = sealKeys();
        } catch (GeneralSecurityException | RuntimeException e) {
            Meters.count(meters, Meters.KEY_STORE_ERRORS, "operation", "open");
            throw e;
        }
        if (vault.contains(alias)) {
            throw new RejectedException(Problem.KEY_EXISTS, "The seal key store already holds a key named '" + alias + "'.");
        }
        X509Certificate certificate;
        try {
            certificate = vault.create(alias, algorithm, key -> chain(issue.certificate(key.publicKey()), ca))
                    .certificate();
        } catch (GeneralSecurityException | RuntimeException e) {
            // the HSM or key file failed (a certificate the CA refuses to make is no key-store error, but rare)
            Meters.count(meters, Meters.KEY_STORE_ERRORS, "operation", "create");
            throw e;
        }
        destroyIfRolledBack(vault, alias);
        return certificate;
    }

    /**
     * The key is in the key store at once, its certificate and audit entry only when the transaction commits: one that
     * rolls back (a failing insert or audit append, a lost commit) left a key with a certificate the CA does not know
     * (OCSP "unknown"), and its name refused ever after (key-exists). Such a key is destroyed; a commit whose outcome
     * is unknown keeps it (EnrolmentRollbackTest).
     */
    private void destroyIfRolledBack(KeyVault vault, String alias) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status != STATUS_ROLLED_BACK) {
                    return;
                }
                try {
                    vault.destroy(alias);
                } catch (GeneralSecurityException | RuntimeException e) {
                    Meters.count(meters, Meters.KEY_STORE_ERRORS, "operation", "destroy");
                    LOG.warn("the key {} of an enrolment that rolled back could not be destroyed: {}", alias,
                            e.toString());
                }
            }
        });
    }

    /** Revokes (or, with certificateHold, suspends) a certificate: in the next CRL at once, and in OCSP at once. */
    @Transactional
    public IssuedCertificate revoke(String issuer, String serial, String reasonName, String actor)
            throws GeneralSecurityException {
        IssuedCertificate current = existing(issuer, serial);
        int reason = Revocation.reasonCode(reasonName == null ? "unspecified" : reasonName);
        if (reason < 0) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Unknown revocation reason '" + reasonName
                    + "'; use an RFC 5280 reason such as keyCompromise, superseded, cessationOfOperation or "
                    + "certificateHold.");
        }
        if ("REVOKED".equals(current.status())) {
            throw new RejectedException(Problem.ALREADY_REVOKED, "Certificate " + serial + " was revoked on "
                    + current.revokedAt() + ".");
        }
        if ("ON_HOLD".equals(current.status()) && reason == Revocation.CERTIFICATE_HOLD) {
            throw new RejectedException(Problem.ALREADY_REVOKED, "Certificate " + serial + " is already suspended.");
        }
        certificates.revoke(issuer, current.serial(), reason, clock.instant().truncatedTo(ChronoUnit.SECONDS));
        audit.record(actor, reason == Revocation.CERTIFICATE_HOLD ? "certificate suspended" : "certificate revoked",
                issuer + "/" + current.serial(), Revocation.REASONS[reason]);
        crls.publish(issuer);
        ocsp.forgetAfterCommit();
        return existing(issuer, serial);
    }

    /** Lifts a suspension (certificateHold). */
    @Transactional
    public IssuedCertificate release(String issuer, String serial, String actor) throws GeneralSecurityException {
        IssuedCertificate current = existing(issuer, serial);
        if (!"ON_HOLD".equals(current.status())) {
            throw new RejectedException(Problem.NOT_ON_HOLD, "Certificate " + serial + " is " + current.status()
                    + "; only a suspended certificate can be released.");
        }
        certificates.release(issuer, current.serial());
        audit.record(actor, "certificate released", issuer + "/" + current.serial(), "suspension lifted");
        crls.publish(issuer);
        ocsp.forgetAfterCommit();
        return existing(issuer, serial);
    }

    public IssuedCertificate existing(String issuer, String serial) {
        if (!CrlPublisher.AUTHORITIES.contains(issuer)) {
            throw new RejectedException(Problem.UNKNOWN_CA, "There is no CA named '" + issuer + "'.");
        }
        return certificates.find(issuer, serial).orElseThrow(() -> new RejectedException(Problem.UNKNOWN_CERTIFICATE,
                "CA " + issuer + " has issued no certificate with serial " + serial + "."));
    }

    private synchronized KeyVault sealKeys() throws GeneralSecurityException {
        if (sealKeys == null) {
            sealKeys = KeyStores.open(properties.sealKeys());
        }
        return sealKeys;
    }

    private static Profile profile(String name) {
        if ("AGENCY_SEAL".equals(name)) {
            return Profile.AGENCY_SEAL;
        }
        if ("PERSONAL".equals(name)) {
            return Profile.PERSONAL;
        }
        throw new RejectedException(Problem.INVALID_REQUEST, "The profile must be AGENCY_SEAL or PERSONAL.");
    }

    private static KeyAlgorithm algorithm(String name) {
        try {
            return KeyAlgorithm.valueOf(name == null ? "EC_P256" : name);
        } catch (IllegalArgumentException e) {
            throw new RejectedException(Problem.UNSUPPORTED_ALGORITHM, "Key algorithm '" + name
                    + "' is not supported; use EC_P256, RSA_2048, RSA_3072 or SM2.");
        }
    }

    /** The subject from validated data: what the profile needs and nothing more. */
    private static X500Name subject(Profile profile, EnrolmentRequest.Subject s) {
        if (s == null) {
            throw new RejectedException(Problem.INVALID_SUBJECT, "The subject is missing.");
        }
        if (profile == Profile.AGENCY_SEAL) {
            if (blank(s.sealName()) || blank(s.agency())) {
                throw new RejectedException(Problem.INVALID_SUBJECT, "An agency seal needs sealName and agency, each "
                        + "1 to 200 printed characters (no control, bidi, zero-width or line-breaking characters).");
            }
            if (!Uscc.isValid(s.agencyCode())) {
                throw new RejectedException(Problem.INVALID_SUBJECT, "'" + s.agencyCode()
                        + "' is not a valid Unified Social Credit Code (18 characters with two check characters).");
            }
            return CertificateMaker.sealSubject(s.sealName().strip(), s.agency().strip(), s.agencyCode());
        }
        if (blank(s.name())) {
            throw new RejectedException(Problem.INVALID_SUBJECT, "A personal certificate needs the person's name, 1 to "
                    + "200 printed characters (no control, bidi, zero-width or line-breaking characters).");
        }
        if (!ResidentId.isValid(s.residentId())) {
            throw new RejectedException(Problem.INVALID_SUBJECT,
                    "The resident ID number is not valid (18 characters, a birth date, and a check character).");
        }
        return CertificateMaker.personSubject(s.name().strip(), s.residentId());
    }

    /**
     * A name unfit for a certificate: none, over 200 characters, or holding a character no reader sees as printed
     * text. A NUL cut "公章\0..." short in C-string tools (openssl, pdfsig) and the DB view alike, a right-to-left
     * override showed the name backwards, a line break put a second line into a report: each was certified as given.
     */
    private static boolean blank(String value) {
        return value == null || value.isBlank() || value.length() > 200 || !PrintedText.printable(value);
    }

    private static List<X509Certificate> chain(X509Certificate certificate, SealKey ca) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(ca.chain());
        return chain;
    }
}
