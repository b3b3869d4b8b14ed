package cn.yinxin.core.pki.cms;

import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.keys.Signers;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Date;
import java.util.Set;

/**
 * An RFC 3161 time-stamping authority: SHA-256/384/512 and SM3 imprints, a policy, one-second accuracy, the TSA
 * certificate named by ESS signing-certificate-v2, and serial numbers from the caller (a database sequence, so they
 * stay unique across restarts).
 */
public final class TimeStampAuthority {

    /** Hands out serial numbers that are never reused. */
    @FunctionalInterface
    public interface SerialNumbers {
        BigInteger next();
    }

    /** The reply, and whether the request was granted. */
    public record Reply(byte[] der, boolean granted, String refusal) {
    }

    private static final Set<ASN1ObjectIdentifier> ACCEPTED = Set.of(TSPAlgorithms.SHA256, TSPAlgorithms.SHA384,
            TSPAlgorithms.SHA512, GMObjectIdentifiers.sm3);

    private final TimeStampResponseGenerator generator;
    private final SerialNumbers serials;
    private final Clock clock;
    private final ASN1ObjectIdentifier policy;

    public TimeStampAuthority(SealKey tsa, ASN1ObjectIdentifier policy, SerialNumbers serials, Clock clock)
            throws GeneralSecurityException {
        this.serials = serials;
        this.clock = clock;
        this.policy = policy;
        try {
            var digests = new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bouncyCastle()).build();
            var signerInfo = new JcaSignerInfoGeneratorBuilder(digests).build(Signers.of(tsa), tsa.certificate());
            // a SHA-256 certificate digest makes Bouncy Castle write ESS signing-certificate-v2
            TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(signerInfo,
                    digests.get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                    policy);
            tokens.setAccuracySeconds(1);
            tokens.addCertificates(new JcaCertStore(tsa.chain()));
            tokens.setTSA(new GeneralName(X500Name.getInstance(tsa.certificate().getSubjectX500Principal().getEncoded())));
            this.generator = new TimeStampResponseGenerator(tokens, ACCEPTED);
        } catch (Exception e) {
            throw new GeneralSecurityException("the TSA cannot be set up: " + e.getMessage(), e);
        }
    }

    public ASN1ObjectIdentifier policy() {
        return policy;
    }

    /** Answers one DER TimeStampReq; bad input gets a rejection reply, never an exception. */
    public Reply respond(byte[] request) {
        TimeStampRequest parsed;
        try {
            parsed = new TimeStampRequest(request);
        } catch (Exception e) {
            return rejection(PKIFailureInfo.badDataFormat, "The request is not a DER TimeStampReq (RFC 3161).");
        }
        try {
            var response = generator.generate(parsed, serials.next(), Date.from(clock.instant()));
            boolean granted = response.getStatus() == PKIStatus.GRANTED;
            return new Reply(response.getEncoded(), granted, granted ? null : response.getStatusString());
        } catch (Exception e) {
            return rejection(PKIFailureInfo.systemFailure, "The time-stamp could not be made.");
        }
    }

    private Reply rejection(int failure, String text) {
        try {
            return new Reply(generator.generateRejectedResponse(new TSPValidationException(text,
                    failure)).getEncoded(), false, text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
