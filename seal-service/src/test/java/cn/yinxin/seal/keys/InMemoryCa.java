package cn.yinxin.seal.keys;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.Csrs;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.SealKey;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ca-service as the seal service sees it ({@link CaClient}), in memory: it certifies keys with a CA key of its own,
 * made at construction, and remembers what it was asked to revoke, hold and release, so that a fast test can say
 * what the seal service asked of its CA without a CA process or a database. {@link #refuse} makes it answer as an
 * unreachable CA does.
 */
public final class InMemoryCa implements CaClient {

    public static final String ISSUER = "in-memory-ca";

    /** One change of a certificate's status that the CA was asked for. */
    public record StatusChange(String action, String issuer, String serial, String reason) {
    }

    private final SealKey ca;
    private final Clock clock;
    private final List<Issued> issued = new ArrayList<>();
    private final List<StatusChange> changes = new ArrayList<>();
    private boolean refusing;

    public InMemoryCa(Clock clock) throws GeneralSecurityException {
        this.clock = clock;
        KeyPair keys = CertificateMaker.newEcKeyPair();
        this.ca = new SealKey(keys.getPrivate(), List.of(CertificateMaker.selfSignedRoot(
                CertificateMaker.caSubject("In-memory Seal CA"), keys, clock.instant(), Duration.ofDays(3650))));
    }

    /** From now on every call fails as it does when the ca-service cannot be reached. */
    public void refuse() {
        refusing = true;
    }

    /** The certificates issued so far, oldest first. */
    public List<Issued> issued() {
        return List.copyOf(issued);
    }

    /** The revocations, holds and releases asked for so far, in order. */
    public List<StatusChange> changes() {
        return List.copyOf(changes);
    }

    @Override
    public Issued certify(String csrPem, String sealName, String agency, String agencyCode, Integer validityDays)
            throws GeneralSecurityException {
        return issue(csrPem, CertificateMaker.sealSubject(sealName, agency, agencyCode),
                CertificateMaker.Profile.AGENCY_SEAL, validityDays == null ? 365 : validityDays);
    }

    @Override
    public Issued certifyPerson(String csrPem, String name, String residentId) throws GeneralSecurityException {
        return issue(csrPem, CertificateMaker.personSubject(name, residentId), CertificateMaker.Profile.PERSONAL, 365);
    }

    @Override
    public byte[] makeSeSeal(byte[] sealInfoDer) {
        unlessRefusing("make the GB/T 38540 seal");
        throw new UnsupportedOperationException("the in-memory CA makes no GB/T 38540 seals");
    }

    @Override
    public void revoke(String issuer, String serial, String reason) {
        unlessRefusing("revoke the seal's certificate");
        changes.add(new StatusChange("revoke", issuer, serial, reason));
    }

    @Override
    public void release(String issuer, String serial) {
        unlessRefusing("release the seal's certificate");
        changes.add(new StatusChange("release", issuer, serial, null));
    }

    private Issued issue(String csrPem, org.bouncycastle.asn1.x500.X500Name subject, CertificateMaker.Profile profile,
                         int days) throws GeneralSecurityException {
        unlessRefusing("certify the key");
        Instant now = clock.instant();
        X509Certificate certificate = CertificateMaker.issue(subject, Csrs.publicKey(csrPem), profile, ca, now,
                Duration.ofDays(days), null);
        List<X509Certificate> chain = List.of(certificate, ca.certificate());
        String pem = Pem.encode(certificate) + Pem.encode(ca.certificate());
        Issued answer = new Issued(ISSUER, certificate.getSerialNumber().toString(16), chain, pem);
        issued.add(answer);
        return answer;
    }

    private void unlessRefusing(String what) {
        if (refusing) {
            throw new RejectedException(Problem.CA_UNAVAILABLE, "The ca-service cannot be reached to " + what
                    + ": (in-memory CA told to refuse)");
        }
    }
}
