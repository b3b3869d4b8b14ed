package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.longterm.RevocationCheck;
import cn.yinxin.core.pdf.verify.report.SubIndication;

import cn.yinxin.core.pki.cms.CmsFlavour;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificate;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;

import java.security.MessageDigest;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
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
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks one CMS signature over given bytes: integrity, the signature value, the signing certificate, its chain. */
public final class CmsSignatureCheck {

    public record Result(Indication indication, SubIndication subIndication, List<String> reasons,
                  X509Certificate signer, boolean signingCertificateV2, boolean signingTimeAttribute,
                  Instant timeStampedAt) {
    }

    /** The /SubFilter of a PKCS#7 signature over the SHA-1 digest of the byte ranges (ISO 32000-1 12.8.3.3.1). */
    static final String ADBE_PKCS7_SHA1 = "adbe.pkcs7.sha1";

    private final Set<TrustAnchor> anchors;
    private final ChainCache chains = new ChainCache(ChainCache.DEFAULT_SIZE);

  public   CmsSignatureCheck(Collection<X509Certificate> trustedRoots) {
        this.anchors = trustedRoots.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet());
    }

    /**
     * @param signedBytes the bytes the PDF's /ByteRange covers
     * @param subFilter   the signature dictionary's /SubFilter: ETSI.CAdES.detached (PAdES) follows ETSI EN 319 142-1
     *                    (signed attributes required); adbe.pkcs7.sha1 signs the SHA-1 digest of the bytes,
     *                    encapsulated; adbe.pkcs7.detached (and anything else) signs the bytes, detached
     */
    public Result check(byte[] cmsValue, byte[] signedBytes, Instant claimedTime, Instant now, RevocationCheck revocation,
                 String subFilter) {
        boolean pades = PdfSealer.ETSI_CADES_DETACHED.getName().equals(subFilter);
        boolean sha1OfDocument = ADBE_PKCS7_SHA1.equals(subFilter);
        if (signedBytes.length == 0) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signature covers no bytes of the document: it signs nothing.", null);
        }
        List<String> reasons = new ArrayList<>();
        CMSSignedData cms;
        CmsFlavour flavour;
        byte[] content;
        Integer ownContent = null;
        ContentInfo info;
        try (ASN1InputStream in = new ASN1InputStream(cmsValue)) {
            // the value is padded with zeros up to the reserved size: read the one DER object it starts with
            info = ContentInfo.getInstance(in.readObject());
            flavour = CmsFlavour.ofSignedDataType(info.getContentType());
            if (sha1OfDocument) {
                // ISO 32000-1 12.8.3.3.1: the SHA-1 digest of the byte ranges is the encapsulated content
                cms = new CMSSignedData(info);
                content = cms.getSignedContent() == null ? null : (byte[]) cms.getSignedContent().getContent();
            } else {
                var encapsulated = org.bouncycastle.asn1.cms.SignedData.getInstance(info.getContent())
                        .getEncapContentInfo().getContent();
                ownContent = encapsulated == null ? null
                        : encapsulated instanceof org.bouncycastle.asn1.ASN1OctetString octets ? octets.getOctets().length
                        : -1;
                cms = new CMSSignedData(new CMSProcessableByteArray(signedBytes), info);
                content = signedBytes;
            }
        } catch (Exception e) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signature value is not a CMS SignedData structure.", null);
        }
        ASN1ObjectIdentifier contentType = new ASN1ObjectIdentifier(cms.getSignedContentTypeOID());
        if (!isDocumentData(contentType)) {
            // a time-stamp token (id-ct-TSTInfo) or any other signed structure is not a signature over a document
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, "The signature signs content of type "
                    + contentType.getId() + ", not document data (id-data): it was made for something else.", null);
        }
        if (ownContent != null) {
            // a detached PDF signature signs the byte ranges; one that carries content of its own (even empty) signs
            // that content, which is not the document (EU DSS: SIG_CRYPTO_FAILURE)
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, "The signature carries "
                    + (ownContent == 0 ? "empty content" : "content") + " of its own instead of signing the "
                    + "document's bytes: what it signs is not this document.", null);
        }
        if (sha1OfDocument) {
            if (content == null || content.length == 0) {
                return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                        "The adbe.pkcs7.sha1 signature carries no digest of the document.", null);
            }
            if (!MessageDigest.isEqual(content, sha1(signedBytes))) {
                return failed(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE,
                        "The signed bytes were changed: their SHA-1 digest is not the one the signature carries.", null);
            }
            reasons.add("The signed bytes are intact: their SHA-1 digest is the one the signature carries "
                    + "(adbe.pkcs7.sha1).");
        }
        Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signature has no signer (no SignerInfo).", null);
        }
        if (signers.size() > 1) {
            // ISO 32000-1 12.8.3.3.1 and ETSI EN 319 142-1: one SignerInfo. Nothing is broken, but which of them
            // the signer meant (and whether the others are the signer's at all) cannot be told.
            return failed(Indication.INDETERMINATE, SubIndication.SIG_CONSTRAINTS_FAILURE, "A PDF signature has "
                    + "exactly one signer; this one has " + signers.size() + " (SignerInfos), so what it proves "
                    + "cannot be told.", null);
        }
        SignerInformation signer = signers.iterator().next();
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = cms.getCertificates().getMatches(signer.getSID());
        if (matches.isEmpty()) {
            return failed(Indication.INDETERMINATE, SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
                    "The signer's certificate is not in the signature.", null);
        }
        X509Certificate certificate;
        List<X509Certificate> embedded = new ArrayList<>();
        try {
            var converter = new JcaX509CertificateConverter();
            var bouncyCastle = new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle());
            certificate = convert(converter, bouncyCastle, matches.iterator().next());
            for (Object holder : cms.getCertificates().getMatches(null)) {
                embedded.add(convert(converter, bouncyCastle, (X509CertificateHolder) holder));
            }
        } catch (Exception e) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "A certificate in the signature cannot be read.", null);
        }

        AttributeTable signedAttributes = signer.getSignedAttributes();
        String attributeProblem = signedAttributeProblem(signedAttributes, pades, contentType);
        if (attributeProblem != null) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, attributeProblem, certificate);
        }
        Attribute messageDigest = signedAttributes == null ? null : signedAttributes.get(CMSAttributes.messageDigest);
        String digestName = new DefaultAlgorithmNameFinder().getAlgorithmName(signer.getDigestAlgorithmID());
        if ("1.2.156.10197.1.401".equals(digestName)) {
            digestName = "SM3";
        }
        ASN1ObjectIdentifier digestAlgorithm = signer.getDigestAlgorithmID().getAlgorithm();
        if (cms.getDigestAlgorithmIDs().stream().noneMatch(a -> a.getAlgorithm().equals(digestAlgorithm))) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, "The signer's digest algorithm "
                    + digestName + " is not among those the signature declares (SignedData digestAlgorithms).",
                    certificate);
        }
        MessageDigest digester;
        try {
            digester = MessageDigest.getInstance(signer.getDigestAlgOID(), Providers.bouncyCastle());
        } catch (Exception e) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The digest algorithm " + signer.getDigestAlgOID() + " is not supported.", certificate);
        }
        if (messageDigest != null) {
            byte[] expected;
            try {
                expected = ASN1OctetString.getInstance(messageDigest.getAttrValues().getObjectAt(0)).getOctets();
            } catch (RuntimeException e) {
                return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                        "The signed message digest cannot be read.", certificate);
            }
            if (expected.length != digester.getDigestLength()) {
                return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, "The signed message digest has "
                        + expected.length + " bytes; a " + digestName + " digest has " + digester.getDigestLength()
                        + ": it was not made with the algorithm the signature names.", certificate);
            }
            byte[] computed = digester.digest(content);
            if (!MessageDigest.isEqual(expected, computed)) {
                return failed(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE,
                        "The signed bytes were changed: their " + digestName
                                + " digest no longer matches the one that was signed.", certificate);
            }
            reasons.add("The signed bytes are intact: their " + digestName + " digest matches the signed one.");
            if (!sha1OfDocument) {
                // Bouncy Castle would digest the signed bytes again to check the same attribute: hand it this digest
                signer = signerWithDigest(info, digestAlgorithm, computed, signer);
            }
        }

        boolean sm2 = Sm2Signatures.isSm2(certificate.getPublicKey());
        boolean cryptoOk;
        try {
            // SM2: verified here with the explicit user ID, and a raw r||s value accepted as well as DER
            cryptoOk = sm2 ? sm2SignatureVerifies(signer, certificate) : signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(Providers.bouncyCastle()).build(certificate));
        } catch (Exception e) {
            cryptoOk = false;
        }
        if (!cryptoOk) {
            return failed(Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE, signedAttributes == null
                    ? "The signature value does not match the signed bytes and the signer's public key: the bytes "
                            + "were changed, or the value was not made with this key (without signed attributes "
                            + "the two cannot be told apart)."
                    : "The signature value does not match the signer's public key.", certificate);
        }
        if (signedAttributes == null) {
            reasons.add("The signature has no signed attributes: its value signs the " + digestName
                    + " digest of the signed " + (sha1OfDocument ? "SHA-1 digest" : "bytes")
                    + " directly, and it matches them and the signer's public key.");
        } else {
            reasons.add("The signature value matches the signer's public key.");
        }
        if (sm2 || flavour == CmsFlavour.GMT_0010) {
            reasons.add(sm2Description(flavour, signer, sm2));
        }
        String refusal = SignerPurpose.refusal(certificate);
        if (refusal != null) {
            reasons.add(refusal);
            return new Result(Indication.INDETERMINATE, SubIndication.CHAIN_CONSTRAINTS_FAILURE, reasons, certificate,
                    false, false, null);
        }

        Attribute v2 = signedAttributes == null ? null
                : signedAttributes.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2);
        Attribute v1 = signedAttributes == null ? null
                : signedAttributes.get(PKCSObjectIdentifiers.id_aa_signingCertificate);
        boolean hasV2 = v2 != null;
        if (hasV2 && !identifies(v2, certificate) || v1 != null && !identifiesV1(v1, certificate)) {
            return failed(Indication.INDETERMINATE, SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
                    "The signed reference to the signing certificate (signing-certificate" + (hasV2 ? "-v2" : "")
                            + ") names another certificate than the one found.", certificate);
        }
        boolean hasSigningTime = signedAttributes != null && signedAttributes.get(CMSAttributes.signingTime) != null;

        Result judged = judgeSigner(signer, certificate, embedded, claimedTime, now, revocation, reasons, hasV2,
                hasSigningTime);
        String weakness = CryptoConstraints.weakness(digestAlgorithm,
                new ASN1ObjectIdentifier(signer.getEncryptionAlgOID()), certificate.getPublicKey(), sha1OfDocument);
        if (weakness == null || judged.indication() == Indication.TOTAL_FAILED) {
            return judged;
        }
        // intact, but on an algorithm a forger may beat: not confirmed, whatever the chain says
        judged.reasons().add(weakness);
        return new Result(Indication.INDETERMINATE, SubIndication.CRYPTO_CONSTRAINTS_FAILURE, judged.reasons(),
                certificate, hasV2, hasSigningTime, judged.timeStampedAt());
    }

    /**
     * Why the signed attributes do not make a PDF signature, or null. RFC 5652 5.3: when present they carry
     * content-type (the signed content's type) and message-digest. ETSI EN 319 142-1 (ETSI.CAdES.detached, PAdES)
     * also asks for them to be present at all, and for signing-certificate-v2 (or signing-certificate): without
     * them a PAdES signature is not one.
     */
    private static String signedAttributeProblem(AttributeTable attributes, boolean pades,
                                                 ASN1ObjectIdentifier contentType) {
        if (attributes == null) {
            // PKCS#7 as ISO 32000-1 12.8.3.3 allows for adbe.pkcs7.detached (openssl cms -noattr): the signature
            // value signs the digest of the bytes directly, and the value check covers it
            return pades ? "A PAdES signature (ETSI.CAdES.detached) must carry signed attributes (content type, "
                    + "message digest, signing certificate); this one has none." : null;
        }
        if (attributes.get(CMSAttributes.messageDigest) == null) {
            return "The signature has no signed message digest.";
        }
        Attribute type = attributes.get(CMSAttributes.contentType);
        if (type == null) {
            return "The signature has no signed content type: its signed attributes could be meant for other content.";
        }
        // RFC 5652 11.1, 11.2: one attribute with one value each; with more, which one was meant cannot be told
        for (var single : List.of(CMSAttributes.messageDigest, CMSAttributes.contentType)) {
            var all = attributes.getAll(single);
            if (all.size() != 1 || ((Attribute) all.get(0)).getAttrValues().size() != 1) {
                return "The signed attribute " + single.getId() + " must appear once with one value.";
            }
        }
        if (!contentType.equals(type.getAttrValues().getObjectAt(0))) {
            return "The signed content type " + type.getAttrValues().getObjectAt(0) + " is not the type of the signed "
                    + "content (" + contentType.getId() + ").";
        }
        if (pades && attributes.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2) == null
                && attributes.get(PKCSObjectIdentifiers.id_aa_signingCertificate) == null) {
            return "A PAdES signature (ETSI.CAdES.detached) must name its signing certificate in a signed attribute "
                    + "(signing-certificate-v2); this one does not, so the certificate could be swapped.";
        }
        return null;
    }

    private static boolean isDocumentData(ASN1ObjectIdentifier type) {
        return CmsFlavour.PKCS7.dataType().equals(type) || CmsFlavour.GMT_0010.dataType().equals(type);
    }

    private static byte[] sha1(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is always available", e);
        }
    }

    /** The signer's certificate, at the time the signature is proven to exist: validity, chain, revocation. */
    private Result judgeSigner(SignerInformation signer, X509Certificate certificate, List<X509Certificate> embedded,
                               Instant claimedTime, Instant now, RevocationCheck revocation, List<String> reasons,
                               boolean hasV2, boolean hasSigningTime) {
        Instant timeStampedAt = signatureTimeStamp(signer, embedded, now, reasons);
        // a valid signature time-stamp proves the signature existed then (its POE): the certificate is judged at
        // that time, so that a time-stamped signature outlives its certificate
        Instant at = timeStampedAt != null ? timeStampedAt : now;
        if (timeStampedAt != null && certificate.getNotAfter().toInstant().isBefore(timeStampedAt)) {
            reasons.add("The signature was time-stamped on " + timeStampedAt + ", after the signer's certificate "
                    + "expired on " + certificate.getNotAfter().toInstant() + ".");
            return new Result(Indication.TOTAL_FAILED, SubIndication.EXPIRED, reasons, certificate,
                    hasV2, hasSigningTime, timeStampedAt);
        }
        if (certificate.getNotAfter().toInstant().isBefore(at)) {
            reasons.add("The signer's certificate expired on " + certificate.getNotAfter().toInstant()
                    + " and nothing (no time-stamp) proves the signature existed before.");
            return new Result(Indication.INDETERMINATE, SubIndication.OUT_OF_BOUNDS_NO_POE, reasons, certificate,
                    hasV2, hasSigningTime, timeStampedAt);
        }
        if (certificate.getNotBefore().toInstant().isAfter(at)
                || claimedTime != null && certificate.getNotBefore().toInstant().isAfter(claimedTime)) {
            reasons.add("The signer's certificate was not yet valid at the claimed signing time.");
            return new Result(Indication.TOTAL_FAILED, SubIndication.NOT_YET_VALID, reasons, certificate,
                    hasV2, hasSigningTime, timeStampedAt);
        }
        List<X509Certificate> chain = chain(certificate, embedded, at);
        if (chain == null) {
            reasons.add("The signer's certificate does not chain to any trusted root (issuer: "
                    + certificate.getIssuerX500Principal().getName() + ").");
            return new Result(Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND, reasons, certificate,
                    hasV2, hasSigningTime, timeStampedAt);
        }
        reasons.add("The signer's certificate chains to the trusted root \""
                + chain.get(chain.size() - 1).getSubjectX500Principal().getName() + "\".");
        Indication indication = Indication.TOTAL_PASSED;
        SubIndication sub = null;
        // revocation data count from the signature's best-signature-time on (RevocationFreshness)
        for (RevocationCheck.Status status : revocation.check(chain, at)) {
            reasons.add(status.describe());
            SubIndication found = switch (status.state()) {
                case REVOKED -> {
                    if (timeStampedAt != null && timeStampedAt.isBefore(status.revokedAt())) {
                        reasons.add("The time-stamp proves the signature was made before that revocation.");
                        yield null;
                    }
                    yield timeStampedAt != null ? SubIndication.REVOKED : SubIndication.REVOKED_NO_POE;
                }
                case UNKNOWN, UNAVAILABLE -> SubIndication.TRY_LATER;
                case GOOD, NOT_CHECKABLE -> null;
            };
            if (found != null && (sub == null || found.ordinal() < sub.ordinal())) {
                sub = found;
                indication = found == SubIndication.REVOKED ? Indication.TOTAL_FAILED : Indication.INDETERMINATE;
            }
        }
        if (sub == SubIndication.REVOKED) {
            reasons.add("The time-stamp proves the signature was made after the revocation: it is not valid.");
        } else if (sub == SubIndication.REVOKED_NO_POE) {
            reasons.add("Nothing proves the signature was made before the revocation.");
        } else if (sub == SubIndication.TRY_LATER) {
            reasons.add("Without revocation information the signature cannot be confirmed; try again when the "
                    + "OCSP responder or CRL can be reached, or ask for a PAdES-BASELINE-LT document.");
        }
        return new Result(indication, sub, reasons, certificate, hasV2, hasSigningTime, timeStampedAt);
    }

    /** The time a valid signature time-stamp proves, or null; says what it found among the reasons. */
    private Instant signatureTimeStamp(SignerInformation signer, List<X509Certificate> embedded, Instant now,
                                       List<String> reasons) {
        AttributeTable unsigned = signer.getUnsignedAttributes();
        Attribute attribute = unsigned == null ? null
                : unsigned.get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
        if (attribute == null) {
            return null;
        }
        TimeStampCheck.Result token;
        try {
            token = TimeStampCheck.check(attribute.getAttrValues().getObjectAt(0).toASN1Primitive().getEncoded(),
                    signer.getSignature());
        } catch (java.io.IOException e) {
            reasons.add("The signature time-stamp cannot be read; it is ignored.");
            return null;
        }
        if (!token.valid()) {
            reasons.add("The signature time-stamp is not valid (" + token.problem() + "); it is ignored.");
            return null;
        }
        List<X509Certificate> pool = new ArrayList<>(embedded);
        pool.addAll(token.embedded());
        X509Certificate root = chainToTrustedRoot(token.tsa(), pool, token.time());
        if (root == null) {
            reasons.add("The signature time-stamp of " + token.time() + " comes from a TSA that does not chain to a "
                    + "trusted root; it is ignored.");
            return null;
        }
        reasons.add("A time-stamp from \"" + token.tsa().getSubjectX500Principal().getName() + "\" proves the signature "
                + "existed on " + token.time() + ".");
        return token.time();
    }

    /**
     * The same SignerInfo, with the content digest already computed (a document of 100 MB is digested once, not
     * twice); Bouncy Castle still compares it with the signed message-digest attribute before it verifies.
     */
    private static SignerInformation signerWithDigest(ContentInfo info, ASN1ObjectIdentifier digestAlgorithm,
                                                      byte[] digest, SignerInformation fallback) {
        try {
            var signers = new CMSSignedData(java.util.Map.of(digestAlgorithm, digest), info).getSignerInfos()
                    .getSigners();
            return signers.size() == 1 ? signers.iterator().next() : fallback;
        } catch (org.bouncycastle.cms.CMSException | RuntimeException e) {
            return fallback;
        }
    }

    /** The trusted root that {@code certificate} chains to at {@code at}, or null. */
    public X509Certificate chainToTrustedRoot(X509Certificate certificate, List<X509Certificate> intermediates,
                                       Instant at) {
        List<X509Certificate> chain = chain(certificate, intermediates, at);
        return chain == null ? null : chain.get(chain.size() - 1);
    }

    /** The chain from {@code certificate} (first) to a trusted root (last) valid at {@code at}, or null. */
    public List<X509Certificate> chain(X509Certificate certificate, List<X509Certificate> intermediates, Instant at) {
        if (anchors.isEmpty()) {
            return null;
        }
        return chains.chain(certificate, intermediates, at, () -> buildChain(certificate, intermediates, at));
    }

    private List<X509Certificate> buildChain(X509Certificate certificate, List<X509Certificate> intermediates,
                                             Instant at) {
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(intermediates)));
            var result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX", Providers.bouncyCastle()).build(parameters);
            List<X509Certificate> chain = new ArrayList<>();
            result.getCertPath().getCertificates().forEach(c -> chain.add((X509Certificate) c));
            chain.add(result.getTrustAnchor().getTrustedCert());
            return chain;
        } catch (Exception e) {
            return null;
        }
    }

    /** The JDK's certificate, or Bouncy Castle's for what the JDK cannot read (an SM2 key: its curve is unknown there). */
    private static X509Certificate convert(JcaX509CertificateConverter jdk, JcaX509CertificateConverter bouncyCastle,
                                           X509CertificateHolder holder) throws java.security.cert.CertificateException {
        try {
            return jdk.getCertificate(holder);
        } catch (java.security.cert.CertificateException e) {
            return bouncyCastle.getCertificate(holder);
        }
    }

    /**
     * An SM2 SignerInfo: an SM2 signature algorithm identifier, the content-type attribute naming the signed
     * content's type, and SM3withSM2 with user ID 1234567812345678 over the DER of the signed attributes.
     */
    private static boolean sm2SignatureVerifies(SignerInformation signer, X509Certificate certificate) {
        if (!Sm2Signatures.ALGORITHM_IDS.contains(new ASN1ObjectIdentifier(signer.getEncryptionAlgOID()))) {
            return false;
        }
        Attribute contentType = signer.getSignedAttributes().get(CMSAttributes.contentType);
        if (contentType == null || !contentType.getAttrValues().getObjectAt(0).equals(signer.getContentType())) {
            return false;
        }
        try {
            return Sm2Signatures.verify(certificate.getPublicKey(), signer.getEncodedSignedAttributes(),
                    signer.getSignature());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The reason line that says which CMS flavour and which SM algorithms were found. */
    private static String sm2Description(CmsFlavour flavour, SignerInformation signer, boolean sm2) {
        String written = flavour == null ? "an unusual SignedData content type" : "the " + flavour.describe();
        String value = Sm2Signatures.isRaw(signer.getSignature())
                ? " (signature value as raw r||s, 64 bytes)" : "";
        return "CMS flavour: " + (flavour == null ? "other" : flavour.name()) + ". The CMS is written with " + written
                + "; digest " + signer.getDigestAlgOID() + ", signature " + signer.getEncryptionAlgOID()
                + (sm2 ? " (SM3withSM2, user ID 1234567812345678)" : "") + value + ".";
    }

    private static boolean identifies(Attribute attribute, X509Certificate certificate) {
        try {
            SigningCertificateV2 value = SigningCertificateV2.getInstance(attribute.getAttrValues().getObjectAt(0));
            ESSCertIDv2 id = value.getCerts()[0];
            String algorithm = id.getHashAlgorithm().getAlgorithm().getId();
            byte[] hash = MessageDigest.getInstance(algorithm, Providers.bouncyCastle()).digest(certificate.getEncoded());
            return Arrays.equals(hash, id.getCertHash());
        } catch (Exception e) {
            return false;
        }
    }

    /** signing-certificate (RFC 2634 5.4, ESSCertID): the SHA-1 hash of the signer's certificate. */
    private static boolean identifiesV1(Attribute attribute, X509Certificate certificate) {
        try {
            SigningCertificate value = SigningCertificate.getInstance(attribute.getAttrValues().getObjectAt(0));
            return Arrays.equals(sha1(certificate.getEncoded()), value.getCerts()[0].getCertHash());
        } catch (Exception e) {
            return false;
        }
    }

    private static Result failed(Indication indication, SubIndication sub, String reason, X509Certificate signer) {
        return new Result(indication, sub, new ArrayList<>(List.of(reason)), signer, false, false, null);
    }
}
