package cn.yinxin.core.ses;

import cn.yinxin.core.pki.ReadableNames;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies GB/T 38540 v4 seals and seal signatures, and GM/T 0031-2014 v1 ones made elsewhere ({@link ElectronicSeal},
 * {@link SealSignature}: the version is read from the seal's header and TBS_Sign, decoded in its layout, then checked
 * the same way; a v1 signature has no time-stamp field).
 * <p>A seal: format (header "ES", version 1 or 4 as its layout, layout), SM2 algorithm, the maker's signature in any of the
 * {@link MakerSignatureForm}s, the maker certificate's chain to a trusted root, its key usage and its seal-making
 * key purpose ({@link CertificateMaker#SEAL_MAKING_PURPOSE}: only a seal maker's certificate makes a seal's name and
 * picture believable), and the seal's validity window at the time asked.
 * <p>A signature adds: the signer's SM3withSM2 signature over DER(TBS_Sign), the signer's certificate in the seal's
 * certList (certificate, or digest SM3/SHA-256), its chain to a trusted root at the signing time, timeInfo (or the
 * time-stamp's time) inside the seal's and the certificate's validity, a time-stamp over the signature bits from a
 * trusted TSA, and dataHash = SM3(data).
 * <p>Not checked here: revocation of the maker's and signer's certificates, and the seal's status at its issuer.
 */
public final class SesVerifier {

    /**
     * The outcome: valid, or the first problem found; the reasons say what was checked; version: the seal's or the
     * signature's version (1 GM/T 0031-2014, 4 GB/T 38540), 0 when not read.
     */
    public record Result(boolean valid, SesProblem problem, List<String> reasons, MakerSignatureForm makerSignatureForm,
                         Instant provenTime, int version) {

        private Result found(int version) {
            return new Result(valid, problem, reasons, makerSignatureForm, provenTime, version);
        }
    }

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> intermediates;
    /** Seal makers of other products recognised one by one (the trust list's SEAL_MAKING entries), by their DER. */
    private Set<ByteBuffer> knownMakers = Set.of();

    /**
     * @param trustedRoots  roots for the maker, signer and TSA certificates
     * @param intermediates CA certificates that may sit between them (a seal carries only the maker's certificate)
     */
    public SesVerifier(Collection<X509Certificate> trustedRoots, Collection<X509Certificate> intermediates) {
        this.anchors = trustedRoots.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet());
        this.intermediates = List.copyOf(intermediates);
    }

    /**
     * Seal makers recognised without the seal-making key purpose: another product's or province's seal maker, whose
     * certificate the platform's trust list names for that role alone (its chain must still reach a trusted root).
     * Only the exact certificates count, never their CA: a CA on the list vouches for keys, not for seals' names.
     */
    public SesVerifier withKnownMakers(Collection<X509Certificate> makers) {
        Set<ByteBuffer> known = new HashSet<>();
        for (X509Certificate maker : makers) {
            try {
                known.add(ByteBuffer.wrap(maker.getEncoded()));
            } catch (CertificateEncodingException e) {
                // a certificate without an encoding is no seal's maker certificate: nothing to match
            }
        }
        this.knownMakers = Set.copyOf(known);
        return this;
    }

    /** Verifies a DER SESeal as of {@code at}. */
    public Result verifySeal(byte[] der, Instant at) {
        ElectronicSeal seal;
        try {
            seal = ElectronicSeal.decode(der);
        } catch (IllegalArgumentException e) {
            return fail(SesProblem.FORMAT, new ArrayList<>(), "The seal is not an SESeal (GB/T 38540 v4 or GM/T "
                    + "0031-2014 v1): " + e.getMessage());
        }
        List<String> reasons = new ArrayList<>();
        try {
            return verifySeal(seal, at, reasons).found(seal.version());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // as in verifySignature: a field decoded late is still a report
            return fail(SesProblem.FORMAT, reasons, "A field of the SESeal is damaged: " + e.getMessage());
        }
    }

    private Result verifySeal(ElectronicSeal seal, Instant at, List<String> reasons) {
        SesHeader header = seal.sealInfo().header();
        int layout = seal instanceof SESealV1 ? SesHeader.VERSION_1 : SesHeader.VERSION;
        if (!SesHeader.ID.equals(header.id()) || header.version() != layout) {
            return fail(SesProblem.FORMAT, reasons, "The seal header is \"" + header.id() + "\" version "
                    + header.version() + ", not \"ES\" version " + layout + " as its layout.");
        }
        if (!Sm2Signatures.ALGORITHM_IDS.contains(seal.signAlgId())) {
            return fail(SesProblem.FORMAT, reasons, "The maker signature algorithm " + seal.signAlgId()
                    + " is not SM2.");
        }
        reasons.add("The seal \"" + seal.sealInfo().property().name() + "\" (" + seal.sealInfo().esId()
                + ") is a " + standard(layout) + " SESeal from vendor \"" + header.vid() + "\".");
        X509Certificate maker;
        try {
            maker = certificate(seal.makerCertificate());
        } catch (Exception e) {
            return fail(SesProblem.FORMAT, reasons, "The seal maker's certificate cannot be read.");
        }
        MakerSignatureForm form = null;
        for (MakerSignatureForm candidate : MakerSignatureForm.values()) {
            byte[] signed = SealMaker.signedBytes(candidate, seal.sealInfo(), seal.makerCertificate(), seal.signAlgId());
            if (Sm2Signatures.verify(maker.getPublicKey(), signed, seal.signedValue())) {
                form = candidate;
                break;
            }
        }
        if (form == null) {
            return fail(SesProblem.MAKER_SIGNATURE, reasons, "The seal maker's signature does not verify (in any of "
                    + Arrays.toString(MakerSignatureForm.values()) + ").");
        }
        reasons.add("The seal maker's SM2 signature verifies (form " + form + ").");
        Result refused = makerRefused(maker, at, reasons);
        if (refused != null) {
            return refused;
        }
        SesPropertyInfo property = seal.sealInfo().property();
        if (at.isBefore(property.validStart()) || at.isAfter(property.validEnd())) {
            return new Result(false, SesProblem.SEAL_NOT_VALID, with(reasons, "At " + at + " the seal is outside its "
                    + "validity " + property.validStart() + " .. " + property.validEnd() + "."), form, null, layout);
        }
        reasons.add("The seal is valid from " + property.validStart() + " to " + property.validEnd() + ".");
        return new Result(true, null, reasons, form, null, layout);
    }

    /**
     * The maker's certificate: it may sign, chains to a trusted root at {@code at}, and is a seal maker's (carries
     * {@link CertificateMaker#SEAL_MAKING_PURPOSE}); the failure, or null. Chaining says only who certified the key:
     * every seal, person and service under the root chains too, and a seal's name, esID and picture are its maker's
     * word, so without the purpose anyone holding a trusted key could make a seal in any agency's name.
     */
    private Result makerRefused(X509Certificate maker, Instant at, List<String> reasons) {
        boolean[] usage = maker.getKeyUsage();
        if (usage != null && !usage[0] && !usage[1]) {
            return fail(SesProblem.MAKER_CERTIFICATE, reasons, "The seal maker's certificate may not sign.");
        }
        String subject = ReadableNames.of(maker.getSubjectX500Principal());
        List<X509Certificate> chain = chain(maker, at, List.of());
        if (chain == null) {
            return fail(SesProblem.MAKER_CERTIFICATE, reasons, "The seal maker's certificate (" + subject
                    + ") does not chain to a trusted root at " + at + ".");
        }
        reasons.add("The seal maker's certificate chains to \"" + ReadableNames.of(chain.getLast().getSubjectX500Principal())
                + "\".");
        if (CertificateMaker.hasSealMakingPurpose(maker)) {
            reasons.add("The seal maker's certificate carries the seal-making key purpose.");
            return null;
        }
        if (isKnownMaker(maker)) {
            reasons.add("The seal maker's certificate is recognised as a seal maker by the trust list.");
            return null;
        }
        return fail(SesProblem.MAKER_CERTIFICATE, reasons, "The seal maker's certificate (" + subject
                + ") does not carry the seal-making key purpose (" + CertificateMaker.SEAL_MAKING_PURPOSE
                + ") and the trust list does not name it as a seal maker: it is not known as a seal maker, so the "
                + "seal's name and picture cannot be confirmed.");
    }

    private boolean isKnownMaker(X509Certificate maker) {
        try {
            return knownMakers.contains(ByteBuffer.wrap(maker.getEncoded()));
        } catch (CertificateEncodingException e) {
            return false;
        }
    }

    /** Verifies a DER SES_Signature over {@code data}; certificates are judged at the signing time. */
    public Result verifySignature(byte[] der, byte[] data) {
        List<String> reasons = new ArrayList<>();
        SealSignature signature;
        try {
            signature = SealSignature.decode(der);
        } catch (IllegalArgumentException e) {
            return fail(SesProblem.FORMAT, reasons, "Not an SES_Signature (GB/T 38540 v4 or GM/T 0031-2014 v1): "
                    + e.getMessage());
        }
        try {
            return verifySignature(signature, data, reasons).found(signature.version());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Bouncy Castle decodes some fields only when read: whatever damage is left is a report, not a crash
            return fail(SesProblem.FORMAT, reasons, "A field of the SES_Signature is damaged: " + e.getMessage());
        }
    }

    private Result verifySignature(SealSignature signature, byte[] data, List<String> reasons) {
        int layout = signature instanceof SesSignatureV1 ? SesHeader.VERSION_1 : SesHeader.VERSION;
        if (signature.version() != layout || !Sm2Signatures.ALGORITHM_IDS.contains(signature.signatureAlgId())) {
            return fail(SesProblem.FORMAT, reasons, "TBS_Sign version " + signature.version() + " or algorithm "
                    + signature.signatureAlgId() + " is not v" + layout + " (as its layout) with SM2.");
        }
        reasons.add("The seal signature is a " + standard(layout) + " SES_Signature.");
        X509Certificate signer;
        try {
            signer = certificate(signature.signerCertificate());
        } catch (Exception e) {
            return fail(SesProblem.FORMAT, reasons, "The signer's certificate cannot be read.");
        }
        if (!Sm2Signatures.verify(signer.getPublicKey(), signature.signedBytes(), signature.signature())) {
            return fail(SesProblem.SIGNATURE, reasons, "The signer's SM2 signature over TBS_Sign does not verify.");
        }
        reasons.add("The signer's SM2 signature over TBS_Sign verifies.");

        Instant time = signature.timeInfo();
        if (signature.timeStamp() != null) {
            Instant stamped = timeStamp(signature.timeStamp(), signature.signature(), reasons);
            if (stamped == null) {
                return new Result(false, SesProblem.TIME_STAMP, reasons, null, null, layout);
            }
            time = stamped;
        }
        Result seal = verifySeal(signature.seal(), time, reasons);
        if (!seal.valid()) {
            return seal;
        }
        if (!listed(signer, signature.seal().sealInfo().property())) {
            return fail(SesProblem.SIGNER_NOT_IN_CERT_LIST, reasons, "The signer's certificate ("
                    + ReadableNames.of(signer.getSubjectX500Principal()) + ") is not in the seal's certList.");
        }
        reasons.add("The signer's certificate is in the seal's certList.");
        if (time.isBefore(signer.getNotBefore().toInstant()) || time.isAfter(signer.getNotAfter().toInstant())) {
            return fail(SesProblem.SIGNER_CERTIFICATE, reasons, "At the signing time " + time
                    + " the signer's certificate was not valid.");
        }
        List<X509Certificate> chain = chain(signer, time, List.of());
        if (chain == null) {
            return fail(SesProblem.SIGNER_CERTIFICATE, reasons, "The signer's certificate does not chain to a "
                    + "trusted root at " + time + ".");
        }
        reasons.add("The signer's certificate chains to \"" + ReadableNames.of(chain.getLast().getSubjectX500Principal())
                + "\".");
        try {
            byte[] hash = MessageDigest.getInstance("SM3", Providers.bouncyCastle()).digest(data);
            if (!MessageDigest.isEqual(hash, signature.dataHash())) {
                return fail(SesProblem.DATA_HASH, reasons, "dataHash is not the SM3 hash of the data (\""
                        + signature.propertyInfo() + "\"): the data were changed.");
            }
        } catch (Exception e) {
            return fail(SesProblem.DATA_HASH, reasons, "SM3 is not available.");
        }
        reasons.add("dataHash is the SM3 hash of the data (\"" + signature.propertyInfo() + "\").");
        return new Result(true, null, reasons, seal.makerSignatureForm(), time, layout);
    }

    /** The time a valid token over {@code signature} proves, or null (the reason added). */
    private Instant timeStamp(byte[] tokenDer, byte[] signature, List<String> reasons) {
        try {
            TimeStampToken token = new TimeStampToken(new CMSSignedData(ContentInfo.getInstance(
                    ASN1Primitive.fromByteArray(tokenDer))));
            byte[] digest = MessageDigest.getInstance(token.getTimeStampInfo().getMessageImprintAlgOID().getId(),
                    Providers.bouncyCastle()).digest(signature);
            if (!MessageDigest.isEqual(digest, token.getTimeStampInfo().getMessageImprintDigest())) {
                reasons.add("The time-stamp was made over other bytes than the signature.");
                return null;
            }
            var converter = new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle());
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> own = token.getCertificates().getMatches(token.getSID());
            if (own.isEmpty()) {
                reasons.add("The time-stamp does not carry its TSA's certificate.");
                return null;
            }
            X509Certificate tsa = converter.getCertificate(own.iterator().next());
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Providers.bouncyCastle()).build(tsa));
            Instant time = token.getTimeStampInfo().getGenTime().toInstant();
            List<X509Certificate> embedded = new ArrayList<>();
            for (Object holder : token.getCertificates().getMatches(null)) {
                embedded.add(converter.getCertificate((X509CertificateHolder) holder));
            }
            if (chain(tsa, time, embedded) == null) {
                reasons.add("The time-stamp's TSA does not chain to a trusted root.");
                return null;
            }
            reasons.add("A time-stamp from \"" + ReadableNames.of(tsa.getSubjectX500Principal()) + "\" proves the signature "
                    + "existed on " + time + ".");
            return time;
        } catch (Exception e) {
            reasons.add("The time-stamp does not verify: " + e.getMessage());
            return null;
        }
    }

    private static boolean listed(X509Certificate signer, SesPropertyInfo property) {
        try {
            byte[] encoded = signer.getEncoded();
            if (property.certListType() == SesPropertyInfo.CERTS) {
                return property.certs().stream().anyMatch(c -> Arrays.equals(c, encoded));
            }
            for (CertDigestObj digest : property.certDigests()) {
                String algorithm = switch (digest.type().toUpperCase().replace("-", "")) {
                    case "SM3", "1.2.156.10197.1.401" -> "SM3";
                    case "SHA256", "2.16.840.1.101.3.4.2.1" -> "SHA-256";
                    case "SHA1" -> "SHA-1";
                    default -> null;
                };
                if (algorithm != null && MessageDigest.isEqual(digest.value(),
                        MessageDigest.getInstance(algorithm, Providers.bouncyCastle()).digest(encoded))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private List<X509Certificate> chain(X509Certificate certificate, Instant at, List<X509Certificate> more) {
        if (anchors.isEmpty()) {
            return null;
        }
        for (TrustAnchor anchor : anchors) {
            if (anchor.getTrustedCert().equals(certificate)) {
                return List.of(certificate);
            }
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            List<X509Certificate> pool = new ArrayList<>(intermediates);
            pool.addAll(more);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            var result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX", Providers.bouncyCastle())
                    .build(parameters);
            List<X509Certificate> chain = new ArrayList<>();
            result.getCertPath().getCertificates().forEach(c -> chain.add((X509Certificate) c));
            chain.add(result.getTrustAnchor().getTrustedCert());
            return chain;
        } catch (Exception e) {
            return null;
        }
    }

    /** Every field read once here, inside the callers' try: a damaged field is a FORMAT failure, not a crash. */
    private static X509Certificate certificate(byte[] der) {
        return ReadableCertificate.parse(der);
    }

    private static List<String> with(List<String> reasons, String reason) {
        reasons.add(reason);
        return reasons;
    }

    private static Result fail(SesProblem problem, List<String> reasons, String reason) {
        return new Result(false, problem, with(reasons, reason), null, null, 0);
    }

    private static String standard(int version) {
        return version == SesHeader.VERSION_1 ? "GM/T 0031-2014 v1" : "GB/T 38540 v4";
    }
}
