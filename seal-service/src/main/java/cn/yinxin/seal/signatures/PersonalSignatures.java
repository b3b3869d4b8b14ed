package cn.yinxin.seal.signatures;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.ResidentId;
import cn.yinxin.core.pdf.handwriting.Handwriting;
import cn.yinxin.core.pdf.PdfLimits;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.cms.HttpTimeStamper;
import cn.yinxin.service.metrics.TimedPki;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.keys.KeyVault;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.keys.Signers;
import cn.yinxin.seal.keys.CaClient;
import cn.yinxin.seal.registry.Seal;
import cn.yinxin.seal.keys.SealKeys;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.audit.SigningRecord;
import cn.yinxin.service.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The personal e-signature lifecycle: apply (a key made in the key store, a personal certificate from the
 * ca-service for the signed-in person's name and resident ID number), use (sign a PDF with that certificate and a
 * handwritten signature captured for that very document), cancel (注销: the certificate is revoked, no further
 * use), and the person's list of uses. Every change is audited in its own transaction.
 */
@Service
public class PersonalSignatures {

    private static final Logger log = LoggerFactory.getLogger(PersonalSignatures.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a signing asks for, apart from the PDF. */
    public record Order(String captureId, SealPlacement placement, double widthMm, double heightMm,
                        SignatureLevel level, String reason) {
    }

    /** The signed PDF and the record of the use. */
    public record Signed(byte[] pdf, SignatureUse use) {
    }

    private final SignatureStore store;
    private final Captures captures;
    private final SealKeys keys;
    private final CaClient ca;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final PdfSealer sealer;
    private final Clock clock;

    public PersonalSignatures(SignatureStore store, Captures captures, SealKeys keys, CaClient ca, AuditLog audit,
                              TransactionTemplate transaction,
                              @Value("${yinxin.stamp.tsa-url}") URI tsaUrl,
                              @Value("${yinxin.stamp.service-timeout:PT5S}") Duration timeout,
                              @Value("${yinxin.stamp.max-pages:5000}") int maxPages,
                              @Value("${yinxin.stamp.max-objects:2000000}") int maxObjects,
                              MeterRegistry meters, Clock clock) {
        this.clock = clock;
        this.store = store;
        this.captures = captures;
        this.keys = keys;
        this.ca = ca;
        this.audit = audit;
        this.transaction = transaction;
        this.sealer = new PdfSealer(TimedPki.timeStamper(new HttpTimeStamper(tsaUrl, timeout), meters),
                TimedPki.revocation(new OnlineRevocationSource(timeout), meters),
                new PdfLimits(maxPages, maxObjects));
    }

    /**
     * Checks the person's identity as the sign-in states it, makes the key and has the CA certify it, then stores
     * the signature with its audit entry; if storing fails, the certificate is revoked again.
     */
    public PersonalSignature apply(SignedInPerson.Person person) throws GeneralSecurityException {
        if (person.name() == null || person.name().isBlank() || person.name().length() > 50) {
            throw new RejectedException(Problem.INVALID_SUBJECT, "The signed-in person's name must have 1 to 50 characters.");
        }
        if (!ResidentId.isValid(person.residentId())) {
            throw new RejectedException(Problem.INVALID_SUBJECT, "The signed-in person's resident ID number "
                    + SignedInPerson.mask(person.residentId()) + " is not valid (GB 11643: 18 characters, birth date, "
                    + "check character).");
        }
        if (store.ofPerson(person.residentId()).stream().anyMatch(s -> s.status() == PersonalSignature.Status.ACTIVE)) {
            throw new RejectedException(Problem.PERSONAL_SIGNATURE_EXISTS, "You have an active personal e-signature; "
                    + "cancel it before applying for a new one.");
        }
        String alias = "person-" + HexFormat.of().formatHex(RANDOM.generateSeed(8));
        CaClient.Issued[] issued = new CaClient.Issued[1];
        SealKey key = keys.create(alias, KeyAlgorithm.EC_P256, made -> {
            issued[0] = ca.certifyPerson(csr(made, person), person.name(), person.residentId());
            return issued[0].chain();
        });
        X509Certificate certificate = key.certificate();
        Instant now = clock.instant();
        PersonalSignature signature = new PersonalSignature(UUID.randomUUID(), person.residentId(), person.name(), alias,
                issued[0].issuer(), issued[0].serial(), Seal.subjectOf(certificate),
                issued[0].chainPem(), certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
                PersonalSignature.Status.ACTIVE, now, null);
        try {
            transaction.executeWithoutResult(status -> {
                store.insert(signature);
                audit.record(person.actor(), "personal-signature.apply", subject(signature.id()), "certificate="
                        + signature.caIssuer() + "/" + signature.caSerial() + " key=" + alias);
            });
        } catch (RuntimeException e) {
            try {
                ca.revoke(issued[0].issuer(), issued[0].serial(), "cessationOfOperation");
            } catch (RuntimeException again) {
                log.error("Personal signature {} was not stored and its certificate {}/{} could not be revoked: {}",
                        signature.id(), issued[0].issuer(), issued[0].serial(), again.getMessage());
            }
            if (e instanceof DuplicateKeyException) {
                throw new RejectedException(Problem.PERSONAL_SIGNATURE_EXISTS, "You have an active personal e-signature.");
            }
            throw e;
        }
        return signature;
    }

    /** The person's current signature: the active one, else the latest cancelled one. */
    public PersonalSignature current(SignedInPerson.Person person) {
        List<PersonalSignature> all = store.ofPerson(person.residentId());
        return all.stream().filter(s -> s.status() == PersonalSignature.Status.ACTIVE).findFirst()
                .or(() -> all.stream().findFirst())
                .orElseThrow(() -> new RejectedException(Problem.NO_PERSONAL_SIGNATURE, "You have no personal "
                        + "e-signature; apply for one first."));
    }

    /** 注销: the certificate is revoked at the CA (in the same transaction as the change), no use is allowed after. */
    public PersonalSignature cancel(SignedInPerson.Person person) {
        return transaction.execute(status -> {
            PersonalSignature signature = active(person);
            Instant now = clock.instant();
            store.cancel(signature.id(), now);
            audit.record(person.actor(), "personal-signature.cancel", subject(signature.id()), "certificate="
                    + signature.caIssuer() + "/" + signature.caSerial() + " revoked (cessationOfOperation)");
            ca.revoke(signature.caIssuer(), signature.caSerial(), "cessationOfOperation");
            return store.ofPerson(person.residentId()).stream().filter(s -> s.id().equals(signature.id()))
                    .findFirst().orElseThrow();
        });
    }

    public List<SignatureUse> uses(SignedInPerson.Person person) {
        return store.usesOfPerson(person.residentId());
    }

    /**
     * Signs the PDF with the person's certificate and the handwritten signature of the capture (which must be
     * theirs, unexpired, unused and made for this very document). Nothing is signed or recorded when any check fails.
     */
    public Signed sign(SignedInPerson.Person person, byte[] pdf, Order order) {
        return sign(person, pdf, order, "api");
    }

    /** As {@link #sign(SignedInPerson.Person, byte[], Order)}, {@code source} naming the request's origin. */
    public Signed sign(SignedInPerson.Person person, byte[] pdf, Order order, String source) {
        if (!order.level().atLeast(SignatureLevel.B_T)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A personal signature is time-stamped: PAdES-BASELINE-T "
                    + "or higher.");
        }
        if (!(order.widthMm() >= 20 && order.widthMm() <= 120 && order.heightMm() >= 8 && order.heightMm() <= 60)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A handwritten signature is 20 to 120 mm wide and 8 to "
                    + "60 mm high.");
        }
        String before = sha256(pdf);
        return transaction.execute(status -> {
            PersonalSignature signature = active(person);
            Instant now = clock.instant();
            if (!now.isBefore(signature.validUntil())) {
                throw new RejectedException(Problem.SIGNATURE_CANCELLED, "Your personal certificate ended on "
                        + signature.validUntil() + "; apply for a new e-signature.");
            }
            Handwriting handwriting = captures.take(order.captureId(), person, before);
            SealKey key = keys.inKeyStore(signature.keyAlias());
            byte[] signed;
            try {
                signed = sealer.stampAll(pdf, List.of(new SealRequest(key,
                        SealAppearance.handwritten(handwriting, order.widthMm(), order.heightMm()), order.placement(),
                        signature.name(), order.reason(), now, order.level()))).pdf();
            } catch (GeneralSecurityException e) {
                throw new RejectedException(Problem.LEVEL_UNAVAILABLE, order.level().label() + " cannot be reached now: "
                        + e.getMessage());
            }
            SignatureUse use = new SignatureUse(UUID.randomUUID(), signature.id(), order.captureId(), before,
                    sha256(signed), order.level().label(), order.placement().page(), order.placement().xMm(),
                    order.placement().yMm(), now);
            store.insert(use);
            // the signing record (签章过程): the person's own key stands where a seal would, by its certificate
            audit.record(person.actor(), "personal-signature.use", subject(signature.id()), new SigningRecord(
                    Caller.current().client(), Caller.current().subject(), person.residentId(), subject(signature.id()),
                    signature.caIssuer() + "/" + signature.caSerial(), before, use.documentSha256After(),
                    use.signatureLevel(), source).details() + " use=" + use.id() + " "
                    + Captures.subject(order.captureId()).replace(':', '='));
            return new Signed(signed, use);
        });
    }

    /** The person's active signature, locked; a cancelled one or none is refused. */
    private PersonalSignature active(SignedInPerson.Person person) {
        return store.activeForUpdate(person.residentId()).orElseThrow(() -> {
            boolean cancelled = !store.ofPerson(person.residentId()).isEmpty();
            return cancelled
                    ? new RejectedException(Problem.SIGNATURE_CANCELLED, "Your personal e-signature is cancelled (注销); "
                    + "it can no longer sign.")
                    : new RejectedException(Problem.NO_PERSONAL_SIGNATURE, "You have no personal e-signature; apply for "
                    + "one first.");
        });
    }

    /** A PKCS#10 request signed by the new key's handle (it may sit in an HSM). */
    private static String csr(KeyVault.NewKey key, SignedInPerson.Person person) throws GeneralSecurityException {
        try {
            var csr = new JcaPKCS10CertificationRequestBuilder(
                    CertificateMaker.personSubject(person.name(), person.residentId()), key.publicKey())
                    .build(Signers.of(key.handle(), key.publicKey(), key.provider()));
            StringWriter out = new StringWriter();
            try (var pem = new JcaPEMWriter(out)) {
                pem.writeObject(csr);
            }
            return out.toString();
        } catch (IOException e) {
            throw new GeneralSecurityException("the CSR cannot be written: " + e.getMessage(), e);
        }
    }

    static String subject(UUID signatureId) {
        return "personal-signature:" + signatureId;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
