package cn.yinxin.testing.pki;

import org.bouncycastle.asn1.x500.X500Name;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Declares a {@link TestPki}: names, key type, clock, validity and the identities. Every time is taken from the
 * clock, so a test that fixes the clock gets the same validity periods and revocation times on every run.
 */
public final class Builder {

    /** How long before its CA's start an end-entity certificate starts by default. */
    private static final Duration DEFAULT_AGE = Duration.ofDays(30);

    /** @param validity null: the builder's; @param agency, agencyCode null: the builder's */
    private record Declared(String name, Profile profile, Status status, Duration validity, String agency,
                            String agencyCode) {
    }

    private Clock clock = Clock.systemUTC();
    private KeyType keyType = KeyType.EC_P256;
    private String rootName = "Test Root";
    private String caName = "Test Seal CA";
    private String agency = TestPki.AGENCY;
    private String agencyCode = TestPki.AGENCY_CODE;
    private Instant notBefore;
    private Duration validity = Duration.ofDays(1000);
    private boolean pointers = true;
    private boolean caPointers = true;
    private String revocationUrl;
    private Duration ocspValidity = Authority.OCSP_VALIDITY;
    private boolean served;
    private final List<Declared> declared = new ArrayList<>();

    Builder() {
    }

    public Builder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public Builder keyType(KeyType keyType) {
        this.keyType = keyType;
        return this;
    }

    /** The root's common name (subject C=CN, O=Yinxin, CN=name). */
    public Builder root(String name) {
        this.rootName = name;
        return this;
    }

    public Builder issuingCa(String name) {
        this.caName = name;
        return this;
    }

    /** The agency and its 统一社会信用代码 that seal identities name (O and organizationIdentifier). */
    public Builder agency(String agency, String agencyCode) {
        this.agency = agency;
        this.agencyCode = agencyCode;
        return this;
    }

    /** When the identities' certificates start (default: 30 days before the clock's now); the CAs a little earlier. */
    public Builder notBefore(Instant notBefore) {
        this.notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
        return this;
    }

    /** How long the identities' certificates last (default 1000 days); {@link Status#EXPIRED} ends regardless. */
    public Builder validity(Duration validity) {
        this.validity = validity;
        return this;
    }

    /**
     * Whether certificates carry CRL distribution points and AIA OCSP pointers (default yes). Without them an
     * offline verifier can confirm a seal with no revocation data at all, which tests about other things want.
     * {@link Status#OCSP_DOWN} identities carry their closed-port pointers either way.
     */
    public Builder revocationPointers(boolean pointers) {
        this.pointers = pointers;
        return this;
    }

    /**
     * Whether the issuing CA's own certificate names the root's CRL and OCSP (default yes). Without them a verifier
     * asks about the seal's certificate only: for tests that place every piece of revocation data themselves.
     */
    public Builder caPointers(boolean caPointers) {
        this.caPointers = caPointers;
        return this;
    }

    /**
     * The base address the pointers name (OCSP at base/ocsp, CRLs at base/ca.crl and base/root.crl), for a test
     * that answers there with a server of its own; default a closed port, or the served PKI's address.
     */
    public Builder revocationUrl(String base) {
        this.revocationUrl = base;
        return this;
    }

    /** How long an OCSP answer claims to be current (nextUpdate after thisUpdate); default 10 minutes. */
    public Builder ocspValidity(Duration ocspValidity) {
        this.ocspValidity = ocspValidity;
        return this;
    }

    /** Publishes the CRLs and OCSP over HTTP on loopback at the addresses the certificates name; close the PKI after. */
    public Builder served() {
        this.served = true;
        return this;
    }

    /** A seal identity: subject CN {@code name} of the {@link #agency agency}. */
    public Builder identity(String name, Status status) {
        return identity(name, Profile.SEAL, status);
    }

    /** An identity of another profile (a TSA, a person): its subject's CN is {@code name}. */
    public Builder identity(String name, Profile profile, Status status) {
        return identity(name, profile, status, null);
    }

    /** An identity whose certificate lasts {@code validity} from the start, whatever the others last. */
    public Builder identity(String name, Profile profile, Status status, Duration validity) {
        if (profile == Profile.ROOT_CA || profile == Profile.ISSUING_CA) {
            throw new IllegalArgumentException("the PKI has one root and one issuing CA; name them with root/issuingCa");
        }
        declared.add(new Declared(name, profile, status, validity, null, null));
        return this;
    }

    /** A seal identity of another agency than the builder's: for tests with seals of two agencies. */
    public Builder seal(String name, String agency, String agencyCode, Status status) {
        declared.add(new Declared(name, Profile.SEAL, status, null, agency, agencyCode));
        return this;
    }

    public TestPki build() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant start = notBefore != null ? notBefore : now.minus(DEFAULT_AGE);
        AtomicReference<TestPki> built = new AtomicReference<>();
        RevocationServer server = served ? new RevocationServer(built::get) : null;
        // unserved, the pointers name a closed port too: tests read the answers in memory instead
        String base = served ? server.baseUrl()
                : revocationUrl != null ? revocationUrl : "http://127.0.0.1:1/test-pki";
        var caPointers = pointers && this.caPointers
                ? new Certificates.Pointers(base + "/root.crl", base + "/ocsp") : null;
        var eePointers = pointers ? new Certificates.Pointers(base + "/ca.crl", base + "/ocsp") : null;

        Identity root = selfSigned(rootName, start.minus(Duration.ofDays(10)), Duration.ofDays(3650));
        Identity ca = issue(caName, Profile.ISSUING_CA, Status.GOOD, root, start.minus(Duration.ofDays(5)),
                start.plus(Duration.ofDays(1000)), caPointers);
        // no pointers: with id-pkix-ocsp-nocheck nobody asks about the responder's own certificate
        Identity ocspSigner = issue(caName + " OCSP", Profile.OCSP_SIGNING, Status.GOOD, ca,
                start.minus(Duration.ofDays(5)), start.plus(Duration.ofDays(1000)), null);
        Authority rootAuthority = new Authority(root, root, keyType, ocspValidity);
        Authority caAuthority = new Authority(ca, ocspSigner, keyType, ocspValidity);
        rootAuthority.revocations.issued(ca.certificate().getSerialNumber());
        caAuthority.revocations.issued(ocspSigner.certificate().getSerialNumber());

        Map<String, Identity> identities = new LinkedHashMap<>();
        for (Declared d : declared) {
            Identity identity = make(d, ca, start, now, eePointers);
            identities.put(d.name(), identity);
            if (d.status() != Status.UNKNOWN_ISSUER) {
                caAuthority.revocations.issued(identity.certificate().getSerialNumber());
            }
            // revoked an hour, suspended two hours before now: after any signature a test makes "earlier today"
            if (d.status() == Status.REVOKED) {
                caAuthority.revocations.revoke(identity.certificate().getSerialNumber(), now.minus(Duration.ofHours(1)),
                        Revocations.KEY_COMPROMISE);
            } else if (d.status() == Status.ON_HOLD) {
                caAuthority.revocations.revoke(identity.certificate().getSerialNumber(), now.minus(Duration.ofHours(2)),
                        Revocations.CERTIFICATE_HOLD);
            }
        }
        TestPki pki = new TestPki(clock, rootAuthority, caAuthority, ocspSigner, identities, base);
        if (server != null) {
            pki.serveWith(server);
        }
        built.set(pki);
        return pki;
    }

    private Identity make(Declared d, Identity ca, Instant start, Instant now, Certificates.Pointers pointers) {
        Duration validity = d.validity() != null ? d.validity() : this.validity;
        return switch (d.status()) {
            case EXPIRED -> issue(d, ca, earliest(start, now.minus(DEFAULT_AGE)),
                    now.minus(Duration.ofDays(1)), pointers);
            case UNKNOWN_ISSUER -> {
                Identity stranger = selfSigned("Stranger CA", start.minus(Duration.ofDays(10)), Duration.ofDays(3650));
                yield issue(d, stranger, start, start.plus(validity), null);
            }
            case OCSP_DOWN -> issue(d, ca, start, start.plus(validity),
                    new Certificates.Pointers(TestPki.DOWN_URL + "/ca.crl", TestPki.DOWN_URL + "/ocsp"));
            default -> issue(d, ca, start, start.plus(validity), pointers);
        };
    }

    private Identity selfSigned(String name, Instant from, Duration lasting) {
        KeyPair keys = keyType.generate();
        X500Name subject = Names.ca(name);
        X509Certificate certificate = Certificates.issue(subject, keys.getPublic(), Profile.ROOT_CA,
                new Certificates.Signer(subject, keys.getPrivate(), keys.getPublic(), keyType), from,
                from.plus(lasting), null);
        return new Identity(name, Status.GOOD, keys.getPrivate(), List.of(certificate));
    }

    private Identity issue(Declared d, Identity issuer, Instant from, Instant until, Certificates.Pointers pointers) {
        X500Name subject = d.profile() == Profile.SEAL && d.agency() != null
                ? Names.seal(d.name(), d.agency(), d.agencyCode()) : subject(d.name(), d.profile());
        return issue(d.name(), subject, d.profile(), d.status(), issuer, from, until, pointers);
    }

    private Identity issue(String name, Profile profile, Status status, Identity issuer, Instant from, Instant until,
                           Certificates.Pointers pointers) {
        return issue(name, subject(name, profile), profile, status, issuer, from, until, pointers);
    }

    private Identity issue(String name, X500Name subject, Profile profile, Status status, Identity issuer,
                           Instant from, Instant until, Certificates.Pointers pointers) {
        KeyPair keys = keyType.generate();
        X509Certificate issuerCertificate = issuer.certificate();
        var signer = new Certificates.Signer(X500Name.getInstance(issuerCertificate.getSubjectX500Principal()
                .getEncoded()), issuer.privateKey(), issuerCertificate.getPublicKey(), keyType);
        X509Certificate certificate = Certificates.issue(subject, keys.getPublic(), profile, signer,
                from, until, pointers);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(issuer.chain());
        return new Identity(name, status, keys.getPrivate(), chain);
    }

    private X500Name subject(String name, Profile profile) {
        return switch (profile) {
            case SEAL -> Names.seal(name, agency, agencyCode);
            case PERSONAL -> Names.person(name, TestPki.RESIDENT_ID);
            default -> Names.ca(name);
        };
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
