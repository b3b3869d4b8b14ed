package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.longterm.RevocationCheck;
import cn.yinxin.core.pdf.verify.report.SubIndication;

import cn.yinxin.core.pki.cms.CmsFlavour;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
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
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static cn.yinxin.core.pdf.verify.cms.SignerInfos.identifies;
import static cn.yinxin.core.pdf.verify.cms.SignerInfos.identifiesV1;
import static cn.yinxin.core.pdf.verify.cms.SignerInfos.isDocumentData;
import static cn.yinxin.core.pdf.verify.cms.SignerInfos.sha1;
import static cn.yinxin.core.pdf.verify.cms.SignerInfos.signedAttributeProblem;
import static cn.yinxin.core.pdf.verify.cms.SignerInfos.signerWithDigest;
import static cn.yinxin.core.pdf.verify.cms.SignerInfos.sm2Description;
import static cn.yinxin.core.pdf.verify.cms.SignerInfos.sm2SignatureVerifies;
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

    public CmsSignatureCheck(Collection<X509Certificate> trustedRoots) {
        this.anchors = trustedRoots.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet());
    }

    /**
     * Checks one signature in the order of ETSI EN 319 102-1's building blocks: format (a CMS SignedData over
     * document data), identification of the signer, integrity and the signature value (cryptographic
     * verification), the signer's purpose and the signing-certificate reference, then the signer's certificate at
     * the time the signature is proven to exist ({@link SignerCertificateCheck}: validity, chain, revocation) and
     * the strength of the algorithms. The first step that fails decides.
     *
     * @param signedBytes the bytes the PDF's /ByteRange covers
     * @param subFilter   the signature dictionary's /SubFilter: ETSI.CAdES.detached (PAdES) follows ETSI EN 319 142-1
     *                    (signed attributes required); adbe.pkcs7.sha1 signs the SHA-1 digest of the bytes,
     *                    encapsulated; adbe.pkcs7.detached (and anything else) signs the bytes, detached
     */
    public Result check(byte[] cmsValue, byte[] signedBytes, Instant claimedTime, Instant now, RevocationCheck revocation,
                 String subFilter) {
        if (signedBytes.length == 0) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signature covers no bytes of the document: it signs nothing.", null);
        }
        Examined s = new Examined(signedBytes, subFilter);
        Result failure = firstFailure(
                () -> readSignedData(s, cmsValue),
                () -> signsDocumentData(s),
                () -> sha1OfDocument(s),
                () -> oneSigner(s),
                () -> signerCertificate(s),
                () -> signedAttributes(s),
                () -> digestAlgorithm(s),
                () -> messageDigest(s),
                () -> signatureValue(s),
                () -> signerPurpose(s),
                () -> signingCertificateReference(s));
        if (failure != null) {
            return failure;
        }
        Result judged = new SignerCertificateCheck(this).judge(s.signer, s.certificate, s.embedded, claimedTime, now,
                revocation, s.reasons, s.hasV2, s.hasSigningTime);
        return cryptographicConstraints(s, judged);
    }

    @SafeVarargs
    private static Result firstFailure(Supplier<Result>... steps) {
        for (Supplier<Result> step : steps) {
            Result failure = step.get();
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    /** Format: the value is one DER CMS SignedData (padded with zeros up to the reserved size). */
    private static Result readSignedData(Examined s, byte[] cmsValue) {
        try (ASN1InputStream in = new ASN1InputStream(cmsValue)) {
            // the value is padded with zeros up to the reserved size: read the one DER object it starts with
            s.info = ContentInfo.getInstance(in.readObject());
            s.flavour = CmsFlavour.ofSignedDataType(s.info.getContentType());
            if (s.sha1OfDocument) {
                // ISO 32000-1 12.8.3.3.1: the SHA-1 digest of the byte ranges is the encapsulated content
                s.cms = new CMSSignedData(s.info);
                s.content = s.cms.getSignedContent() == null ? null : (byte[]) s.cms.getSignedContent().getContent();
            } else {
                var encapsulated = SignedData.getInstance(s.info.getContent())
                        .getEncapContentInfo().getContent();
                s.ownContent = encapsulated == null ? null
                        : encapsulated instanceof ASN1OctetString octets ? octets.getOctets().length
                        : -1;
                s.cms = new CMSSignedData(new CMSProcessableByteArray(s.signedBytes), s.info);
                s.content = s.signedBytes;
            }
            return null;
        } catch (Exception e) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signature value is not a CMS SignedData structure.", null);
        }
    }

    /** Format: what is signed is document data, and the document's bytes rather than content of its own. */
    private static Result signsDocumentData(Examined s) {
        s.contentType = new ASN1ObjectIdentifier(s.cms.getSignedContentTypeOID());
        if (!isDocumentData(s.contentType)) {
            // a time-stamp token (id-ct-TSTInfo) or any other signed structure is not a signature over a document
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, "The signature signs content of type "
                    + s.contentType.getId() + ", not document data (id-data): it was made for something else.", null);
        }
        if (s.ownContent != null) {
            // a detached PDF signature signs the byte ranges; one that carries content of its own (even empty) signs
            // that content, which is not the document (EU DSS: SIG_CRYPTO_FAILURE)
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, "The signature carries "
                    + (s.ownContent == 0 ? "empty content" : "content") + " of its own instead of signing the "
                    + "document's bytes: what it signs is not this document.", null);
        }
        return null;
    }

    /** Integrity of an adbe.pkcs7.sha1 signature: the encapsulated SHA-1 digest is the bytes' digest. */
    private static Result sha1OfDocument(Examined s) {
        if (!s.sha1OfDocument) {
            return null;
        }
        if (s.content == null || s.content.length == 0) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The adbe.pkcs7.sha1 signature carries no digest of the document.", null);
        }
        if (!MessageDigest.isEqual(s.content, sha1(s.signedBytes))) {
            return failed(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE,
                    "The signed bytes were changed: their SHA-1 digest is not the one the signature carries.", null);
        }
        s.reasons.add("The signed bytes are intact: their SHA-1 digest is the one the signature carries "
                + "(adbe.pkcs7.sha1).");
        return null;
    }

    /** Identification of the signer: exactly one SignerInfo. */
    private static Result oneSigner(Examined s) {
        Collection<SignerInformation> signers = s.cms.getSignerInfos().getSigners();
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
        s.signer = signers.iterator().next();
        return null;
    }

    /** Identification of the signer: the signer's certificate is in the signature, and every certificate reads. */
    private static Result signerCertificate(Examined s) {
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = s.cms.getCertificates().getMatches(s.signer.getSID());
        if (matches.isEmpty()) {
            return failed(Indication.INDETERMINATE, SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
                    "The signer's certificate is not in the signature.", null);
        }
        try {
            s.certificate = Certificates.jdkFirst(matches.iterator().next());
            for (Object holder : s.cms.getCertificates().getMatches(null)) {
                s.embedded.add(Certificates.jdkFirst((X509CertificateHolder) holder));
            }
            return null;
        } catch (Exception e) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "A certificate in the signature cannot be read.", null);
        }
    }

    /** Format: the signed attributes a PDF signature needs (see {@link #signedAttributeProblem}). */
    private static Result signedAttributes(Examined s) {
        s.signedAttributes = s.signer.getSignedAttributes();
        String attributeProblem = signedAttributeProblem(s.signedAttributes, s.pades, s.contentType);
        if (attributeProblem != null) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, attributeProblem, s.certificate);
        }
        return null;
    }

    /** Format: the signer's digest algorithm is declared by the SignedData and known here. */
    private static Result digestAlgorithm(Examined s) {
        s.digestName = new DefaultAlgorithmNameFinder().getAlgorithmName(s.signer.getDigestAlgorithmID());
        if ("1.2.156.10197.1.401".equals(s.digestName)) {
            s.digestName = "SM3";
        }
        s.digestAlgorithm = s.signer.getDigestAlgorithmID().getAlgorithm();
        if (s.cms.getDigestAlgorithmIDs().stream().noneMatch(a -> a.getAlgorithm().equals(s.digestAlgorithm))) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, "The signer's digest algorithm "
                    + s.digestName + " is not among those the signature declares (SignedData digestAlgorithms).",
                    s.certificate);
        }
        try {
            s.digester = Digests.of(s.signer.getDigestAlgOID());
            return null;
        } catch (Exception e) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The digest algorithm " + s.signer.getDigestAlgOID() + " is not supported.", s.certificate);
        }
    }

    /** Integrity: the signed message-digest attribute is the digest of the signed bytes. */
    private static Result messageDigest(Examined s) {
        Attribute messageDigest = s.signedAttributes == null ? null
                : s.signedAttributes.get(CMSAttributes.messageDigest);
        if (messageDigest == null) {
            return null;
        }
        byte[] expected;
        try {
            expected = ASN1OctetString.getInstance(messageDigest.getAttrValues().getObjectAt(0)).getOctets();
        } catch (RuntimeException e) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signed message digest cannot be read.", s.certificate);
        }
        if (expected.length != s.digester.getDigestLength()) {
            return failed(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, "The signed message digest has "
                    + expected.length + " bytes; a " + s.digestName + " digest has " + s.digester.getDigestLength()
                    + ": it was not made with the algorithm the signature names.", s.certificate);
        }
        byte[] computed = s.digester.digest(s.content);
        if (!MessageDigest.isEqual(expected, computed)) {
            return failed(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE,
                    "The signed bytes were changed: their " + s.digestName
                            + " digest no longer matches the one that was signed.", s.certificate);
        }
        s.reasons.add("The signed bytes are intact: their " + s.digestName + " digest matches the signed one.");
        if (!s.sha1OfDocument) {
            // Bouncy Castle would digest the signed bytes again to check the same attribute: hand it this digest
            s.signer = signerWithDigest(s.info, s.digestAlgorithm, computed, s.signer);
        }
        return null;
    }

    /** Cryptographic verification: the signature value matches the signer's public key. */
    private static Result signatureValue(Examined s) {
        boolean sm2 = Sm2Signatures.isSm2(s.certificate.getPublicKey());
        boolean cryptoOk;
        try {
            // SM2: verified here with the explicit user ID, and a raw r||s value accepted as well as DER
            cryptoOk = sm2 ? sm2SignatureVerifies(s.signer, s.certificate) : s.signer.verify(
                    SignerVerifiers.of(s.certificate));
        } catch (Exception e) {
            cryptoOk = false;
        }
        if (!cryptoOk) {
            return failed(Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE, s.signedAttributes == null
                    ? "The signature value does not match the signed bytes and the signer's public key: the bytes "
                            + "were changed, or the value was not made with this key (without signed attributes "
                            + "the two cannot be told apart)."
                    : "The signature value does not match the signer's public key.", s.certificate);
        }
        if (s.signedAttributes == null) {
            s.reasons.add("The signature has no signed attributes: its value signs the " + s.digestName
                    + " digest of the signed " + (s.sha1OfDocument ? "SHA-1 digest" : "bytes")
                    + " directly, and it matches them and the signer's public key.");
        } else {
            s.reasons.add("The signature value matches the signer's public key.");
        }
        if (sm2 || s.flavour == CmsFlavour.GMT_0010) {
            s.reasons.add(sm2Description(s.flavour, s.signer, sm2));
        }
        return null;
    }

    /** The signer's certificate is one for sealing or signing documents ({@link SignerPurpose}). */
    private static Result signerPurpose(Examined s) {
        String refusal = SignerPurpose.refusal(s.certificate);
        if (refusal == null) {
            return null;
        }
        s.reasons.add(refusal);
        return new Result(Indication.INDETERMINATE, SubIndication.CHAIN_CONSTRAINTS_FAILURE, s.reasons, s.certificate,
                false, false, null);
    }

    /** Identification of the signer: signing-certificate(-v2), when present, names the certificate found. */
    private static Result signingCertificateReference(Examined s) {
        Attribute v2 = s.signedAttributes == null ? null
                : s.signedAttributes.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2);
        Attribute v1 = s.signedAttributes == null ? null
                : s.signedAttributes.get(PKCSObjectIdentifiers.id_aa_signingCertificate);
        s.hasV2 = v2 != null;
        if (s.hasV2 && !identifies(v2, s.certificate) || v1 != null && !identifiesV1(v1, s.certificate)) {
            return failed(Indication.INDETERMINATE, SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
                    "The signed reference to the signing certificate (signing-certificate" + (s.hasV2 ? "-v2" : "")
                            + ") names another certificate than the one found.", s.certificate);
        }
        s.hasSigningTime = s.signedAttributes != null && s.signedAttributes.get(CMSAttributes.signingTime) != null;
        return null;
    }

    /** Cryptographic constraints: intact, but on an algorithm a forger may beat, is not confirmed. */
    private static Result cryptographicConstraints(Examined s, Result judged) {
        String weakness = CryptoConstraints.weakness(s.digestAlgorithm,
                new ASN1ObjectIdentifier(s.signer.getEncryptionAlgOID()), s.certificate.getPublicKey(),
                s.sha1OfDocument);
        if (weakness == null || judged.indication() == Indication.TOTAL_FAILED) {
            return judged;
        }
        // intact, but on an algorithm a forger may beat: not confirmed, whatever the chain says
        judged.reasons().add(weakness);
        return new Result(Indication.INDETERMINATE, SubIndication.CRYPTO_CONSTRAINTS_FAILURE, judged.reasons(),
                s.certificate, s.hasV2, s.hasSigningTime, judged.timeStampedAt());
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

    static Result failed(Indication indication, SubIndication sub, String reason, X509Certificate signer) {
        return new Result(indication, sub, new ArrayList<>(List.of(reason)), signer, false, false, null);
    }
}
