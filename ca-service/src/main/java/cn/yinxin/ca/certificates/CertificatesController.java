package cn.yinxin.ca.certificates;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.revocation.Revocation;
import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.OnBehalfOf;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.Pem;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Enrolment, lookup, revocation, suspension and release of certificates; and the CA certificates. Who may have which
 * certificate issued or changed: {@link EnrolmentRights} (refusals audited).
 */
@RestController
public class CertificatesController {

    /** A certificate as the API shows it. */
    public record CertificateView(String issuer, String serial, String profile, String subject, String notBefore,
                                  String notAfter, String status, String revokedAt, String reason, String keyAlias,
                                  String certificate, String chain) {
    }

    public record RevocationRequest(String reason) {
    }

    private final EnrolmentService enrolment;
    private final CaHierarchy hierarchy;
    private final OnBehalfOf onBehalfOf;
    private final AuditLog audit;
    /** Refusals are kept in a transaction of their own: nothing else happens with them. */
    private final TransactionTemplate transaction;

    public CertificatesController(EnrolmentService enrolment, CaHierarchy hierarchy, OnBehalfOf onBehalfOf,
                                  AuditLog audit, PlatformTransactionManager transactions) {
        this.enrolment = enrolment;
        this.hierarchy = hierarchy;
        this.onBehalfOf = onBehalfOf;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
    }

    @PostMapping("/api/v1/enrolments")
    public ResponseEntity<CertificateView> enrol(@RequestBody EnrolmentRequest request, HttpServletRequest http)
            throws GeneralSecurityException {
        guarded(http, "enrolment " + request.profile(), () -> EnrolmentRights.enrol(Caller.current(),
                onBehalfOf.person(http), request.profile(), request.subject()));
        var issued = enrolment.enrol(request, Actors.of(http));
        var stored = enrolment.existing(issued.issuer(), CertificateStore.serial(issued.certificate().getSerialNumber()));
        return ResponseEntity.status(HttpStatus.CREATED).body(view(stored,
                issued.chain().stream().map(Pem::encode).collect(Collectors.joining())));
    }

    @GetMapping("/api/v1/certificates/{issuer}/{serial}")
    public CertificateView certificate(@PathVariable String issuer, @PathVariable String serial) {
        return view(enrolment.existing(issuer, serial), null);
    }

    /** For auditors only (三权分立): the certificate's issuance, suspensions, releases and revocation, oldest first. */
    @GetMapping("/api/v1/certificates/{issuer}/{serial}/audit")
    public List<AuditLog.Entry> audit(@PathVariable String issuer, @PathVariable String serial) {
        enrolment.existing(issuer, serial);
        return audit.about(issuer + "/" + serial);
    }

    @PostMapping("/api/v1/certificates/{issuer}/{serial}/revocation")
    public CertificateView revoke(@PathVariable String issuer, @PathVariable String serial,
                                  @RequestBody RevocationRequest request, HttpServletRequest http)
            throws GeneralSecurityException {
        var current = enrolment.existing(issuer, serial);
        guarded(http, issuer + "/" + serial, () -> EnrolmentRights.change(Caller.current(), onBehalfOf.person(http), current));
        return view(enrolment.revoke(issuer, serial, request.reason(), Actors.of(http)), null);
    }

    /** Lifts a suspension (certificateHold); a revocation for any other reason is final. */
    @DeleteMapping("/api/v1/certificates/{issuer}/{serial}/revocation")
    public CertificateView release(@PathVariable String issuer, @PathVariable String serial, HttpServletRequest http)
            throws GeneralSecurityException {
        var current = enrolment.existing(issuer, serial);
        guarded(http, issuer + "/" + serial, () -> EnrolmentRights.change(Caller.current(), onBehalfOf.person(http), current));
        return view(enrolment.release(issuer, serial, Actors.of(http)), null);
    }

    /** The CA hierarchy's certificates as one PEM bundle. */
    @GetMapping("/api/v1/ca/certificates")
    public ResponseEntity<String> caCertificates() {
        String bundle = Stream.of(hierarchy.root(), hierarchy.sealCa(), hierarchy.personalCa(),
                        hierarchy.tsa(), hierarchy.ocspSealCa(), hierarchy.ocspPersonalCa(), hierarchy.trustListSigner())
                .map(k -> Pem.encode(k.certificate())).collect(Collectors.joining());
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/pem-certificate-chain"))
                .header("Cache-Control", "public, max-age=3600").body(bundle);
    }

    /** Runs {@code check}; a refusal is audited (who, what, why) before it is answered. */
    private void guarded(HttpServletRequest http, String subject, Runnable check) {
        try {
            check.run();
        } catch (RejectedException e) {
            transaction.executeWithoutResult(t -> audit.record(Actors.of(http), "certificate refused", subject,
                    e.getMessage()));
            throw e;
        }
    }

    private static CertificateView view(IssuedCertificate c, String chain) {
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509", Providers.bouncyCastle())
                    .generateCertificate(new ByteArrayInputStream(c.der()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new CertificateView(c.issuer(), c.serial(), c.profile(), c.subject(), c.notBefore().toString(),
                c.notAfter().toString(), c.status(), c.revokedAt() == null ? null : c.revokedAt().toString(),
                c.reason() == null ? null : Revocation.REASONS[c.reason()], c.keyAlias(),
                Pem.encode(certificate), chain);
    }

}
