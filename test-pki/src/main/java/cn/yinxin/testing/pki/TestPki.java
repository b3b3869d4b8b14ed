package cn.yinxin.testing.pki;

import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test PKI declared in a few lines, in the spirit of EU DSS's PKI factory: a root, an issuing CA with a delegated
 * OCSP signer, and named identities in the states a relying party must tell apart ({@link Status}). The CRLs and
 * OCSP answers are made in memory, at the PKI's {@link Clock}; {@link Builder#served()} also publishes them over
 * HTTP on loopback, at the addresses the certificates name, for verifiers that fetch online.
 *
 * <pre>{@code
 * TestPki pki = TestPki.builder().root("Test Root").issuingCa("Seal CA")
 *         .identity("good", Status.GOOD).identity("revoked", Status.REVOKED).build();
 * }</pre>
 *
 * It uses Bouncy Castle only, not Yinxin's core, so core's tests can verify what it makes without trusting core.
 */
public final class TestPki implements AutoCloseable {

    /** The agency of the seal identities unless {@link Builder#agency} says otherwise. */
    public static final String AGENCY = "测试局";
    public static final String AGENCY_CODE = "91350100M000100Y43";
    /** The resident ID number of {@link Profile#PERSONAL} identities: GB 11643's sample number, check digit valid. */
    public static final String RESIDENT_ID = "11010519491231002X";
    /** Where {@link Status#OCSP_DOWN} certificates send relying parties: port 1 on loopback, which nothing answers. */
    public static final String DOWN_URL = "http://127.0.0.1:1/test-pki-down";

    private final Clock clock;
    private final Authority root;
    private final Authority issuingCa;
    private final Identity ocspSigner;
    private final Map<String, Identity> identities;
    private final Set<BigInteger> down = ConcurrentHashMap.newKeySet();
    private final String baseUrl;
    private RevocationServer server;

    TestPki(Clock clock, Authority root, Authority issuingCa, Identity ocspSigner, Map<String, Identity> identities,
            String baseUrl) {
        this.clock = clock;
        this.root = root;
        this.issuingCa = issuingCa;
        this.ocspSigner = ocspSigner;
        this.identities = Collections.unmodifiableMap(new LinkedHashMap<>(identities));
        this.baseUrl = baseUrl;
        identities.values().stream().filter(i -> i.status() == Status.OCSP_DOWN)
                .forEach(i -> down.add(i.certificate().getSerialNumber()));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One seal identity per {@link Status}, named as the status in lower case ("good", "revoked", "on_hold", ...). */
    public static TestPki standard() {
        Builder builder = builder();
        for (Status status : Status.values()) {
            builder.identity(status.name().toLowerCase(java.util.Locale.ROOT), status);
        }
        return builder.build();
    }

    public Identity root() {
        return root.ca;
    }

    public Identity issuingCa() {
        return issuingCa.ca;
    }

    /** The issuing CA's delegated OCSP responder (id-kp-OCSPSigning, id-pkix-ocsp-nocheck). */
    public Identity ocspSigner() {
        return ocspSigner;
    }

    public Identity identity(String name) {
        Identity identity = identities.get(name);
        if (identity == null) {
            throw new NoSuchElementException("the test PKI has no identity " + name + "; it has " + identities.keySet());
        }
        return identity;
    }

    /** The first identity declared with {@code status}. */
    public Identity identity(Status status) {
        return identities.values().stream().filter(i -> i.status() == status).findFirst()
                .orElseThrow(() -> new NoSuchElementException("the test PKI has no " + status + " identity"));
    }

    public List<Identity> identities() {
        return List.copyOf(identities.values());
    }

    public Clock clock() {
        return clock;
    }

    /** The issuing CA's CRL address written into the certificates (served only with {@link Builder#served()}). */
    public String crlUrl() {
        return baseUrl + "/ca.crl";
    }

    public String ocspUrl() {
        return baseUrl + "/ocsp";
    }

    /** A revocation as the CAs record it: when, and the RFC 5280 reason code (1 keyCompromise, 6 certificateHold). */
    public record Revoked(Instant at, int reason) {
    }

    /** Whether one of the PKI's CAs issued {@code certificate}: what an OCSP responder must know to say GOOD. */
    public boolean issued(X509Certificate certificate) {
        return authorityOf(certificate) != null;
    }

    /**
     * The revocation of {@code certificate} the CAs know of now, or null: for tests that drive another responder
     * or CRL maker (core's) with the test PKI's states.
     */
    public Revoked revocation(X509Certificate certificate) {
        Authority authority = authorityOf(certificate);
        var entry = authority == null ? null
                : authority.revocations.at(certificate.getSerialNumber(), clock.instant());
        return entry == null ? null : new Revoked(entry.at(), entry.reason());
    }

    /** From now on the CRLs and OCSP say {@code name} was revoked at {@code at} for an RFC 5280 reason code. */
    public void revoke(String name, Instant at, int reason) {
        X509Certificate certificate = identity(name).certificate();
        issuerOf(name, certificate).revocations.revoke(certificate.getSerialNumber(), at, reason);
    }

    /** The identity in good standing again: what a CA does when a suspension (certificateHold) ends. */
    public void lift(String name) {
        X509Certificate certificate = identity(name).certificate();
        issuerOf(name, certificate).revocations.lift(certificate.getSerialNumber());
    }

    /** The issuing CA's CRL as issued now. */
    public byte[] crl() {
        return crl(clock.instant());
    }

    /** The issuing CA's CRL as issued at {@code thisUpdate}: only the revocations known by then. */
    public byte[] crl(Instant thisUpdate) {
        return issuingCa.crl(thisUpdate);
    }

    /** The root's CRL as issued now (it covers the issuing CA and the OCSP signer's issuer chain). */
    public byte[] rootCrl() {
        return root.crl(clock.instant());
    }

    /**
     * The current CRL of {@code certificate}'s issuer, as a relying party would fetch it; null for an issuer outside
     * the PKI.
     *
     * @throws ConnectException for an {@link Status#OCSP_DOWN} certificate, as fetching its pointer would
     */
    public byte[] crl(X509Certificate certificate) throws IOException {
        refuseIfDown(certificate);
        Authority authority = authorityOf(certificate);
        return authority == null ? null : authority.crl(clock.instant());
    }

    /**
     * The DER OCSP response to {@code request}, produced now: MALFORMED_REQUEST for bytes that are no request,
     * UNAUTHORIZED for a CA outside the PKI, TRY_LATER about an {@link Status#OCSP_DOWN} certificate (as near as
     * an in-memory answer comes to a responder that is down), else signed answers with the nonce echoed.
     */
    public byte[] ocsp(byte[] request) {
        return ocsp(request, clock.instant());
    }

    /** {@link #ocsp(byte[])} as produced at {@code at}: for answers signed before or after a moment that matters. */
    public byte[] ocsp(byte[] request, Instant at) {
        try {
            OCSPReq parsed;
            try {
                parsed = new OCSPReq(request);
            } catch (IOException | RuntimeException e) {
                return Authority.refusal(OCSPRespBuilder.MALFORMED_REQUEST).getEncoded();
            }
            Req[] requests = parsed.getRequestList();
            Authority authority = requests.length == 0 ? null : authorityOf(requests[0].getCertID());
            if (authority == null) {
                return Authority.refusal(OCSPRespBuilder.UNAUTHORIZED).getEncoded();
            }
            for (Req one : requests) {
                if (down.contains(one.getCertID().getSerialNumber())) {
                    return Authority.refusal(OCSPRespBuilder.TRY_LATER).getEncoded();
                }
            }
            return authority.answer(requests, Authority.nonceOf(parsed), at);
        } catch (IOException | org.bouncycastle.cert.ocsp.OCSPException e) {
            throw new IllegalStateException("the test OCSP responder failed: " + e.getMessage(), e);
        }
    }

    /**
     * The OCSP answer about {@code certificate} now, as a relying party would fetch it.
     *
     * @throws ConnectException for an {@link Status#OCSP_DOWN} certificate
     */
    public byte[] ocsp(X509Certificate certificate) throws IOException {
        return ocsp(certificate, clock.instant());
    }

    public byte[] ocsp(X509Certificate certificate, Instant at) throws IOException {
        refuseIfDown(certificate);
        Authority authority = authorityOf(certificate);
        X509Certificate issuer = authority == null ? certificate : authority.ca.certificate();
        return ocsp(request(certificate, issuer), at);
    }

    /** A DER OCSP request about {@code certificate} (SHA-1 CertID, as RFC 5019 clients send). */
    public static byte[] request(X509Certificate certificate, X509Certificate issuer) {
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().setProvider(Bc.PROVIDER)
                    .build().get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer),
                    certificate.getSerialNumber());
            return new OCSPReqBuilder().addRequest(id).build().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("no OCSP request: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    void serveWith(RevocationServer server) {
        this.server = server;
    }

    private void refuseIfDown(X509Certificate certificate) throws ConnectException {
        if (down.contains(certificate.getSerialNumber())) {
            throw new ConnectException("the revocation services of " + certificate.getSubjectX500Principal()
                    + " at " + DOWN_URL + " do not answer");
        }
    }

    private Authority issuerOf(String name, X509Certificate certificate) {
        Authority authority = authorityOf(certificate);
        if (authority == null) {
            throw new IllegalArgumentException(name + " was not issued by this PKI: nobody here can revoke it");
        }
        return authority;
    }

    private Authority authorityOf(X509Certificate certificate) {
        for (Authority authority : List.of(issuingCa, root)) {
            if (authority.ca.certificate().getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                    && authority.revocations.isIssued(certificate.getSerialNumber())) {
                return authority;
            }
        }
        return null;
    }

    private Authority authorityOf(CertificateID id) {
        for (Authority authority : List.of(issuingCa, root)) {
            if (authority.issued(id)) {
                return authority;
            }
        }
        return null;
    }
}
