package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pdf.Dss;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.PdfCrafting;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.longterm.RevocationCheck;
import cn.yinxin.core.pdf.Sm2PdfTest;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.verify.longterm.ValidationData;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.pki.cms.CadesSigner;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.cms.TimeStampAuthority;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the CMS of a PDF signature must be before it proves anything: signed attributes with content type and
 * signing certificate for PAdES (ETSI EN 319 142-1), one signer, the signer's digest algorithm declared and its
 * digest of the right size, content signed at all, document data (not a time-stamp token's), a signer whose
 * certificate is for signing documents, algorithms a forger cannot beat; and unsigned attributes that count only
 * when they verify.
 */
class CmsDetailsTest {

    private static final String PADES = "ETSI.CAdES.detached";
    private static final String PKCS7 = "adbe.pkcs7.detached";

    private final TestMaterial material = new TestMaterial();
    private final PdfVerifier verifier = new PdfVerifier(List.of(material.root));

    CmsDetailsTest() throws Exception {
    }

    // ---- B: TSA, OCSP certificates never count as signers ---------------------------------------------------------

    @Test
    void aDocumentSealedWithTheTsaKeyIsNeverValid() throws Exception {
        SealKey tsa = underTestCa(CertificateMaker.caSubject("Test TSA"), Profile.TIME_STAMPING);
        byte[] signed = PdfCrafting.signLeniently(TestMaterial.onePagePdf(0), tsa);

        VerificationReport report = verifier.verify(signed);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INDETERMINATE);
        var signature = report.signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.CHAIN_CONSTRAINTS_FAILURE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("a time-stamping authority's certificate cannot seal"));
    }

    @Test
    void aDocumentSignedWithTheOcspResponderKeyIsNeverValid() throws Exception {
        SealKey responder = underTestCa(CertificateMaker.caSubject("Test OCSP"), Profile.OCSP_SIGNING);
        var signature = verifier.verify(PdfCrafting.signLeniently(TestMaterial.onePagePdf(0), responder))
                .signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.CHAIN_CONSTRAINTS_FAILURE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("an OCSP responder's certificate cannot seal"));
    }

    @Test
    void aDocumentSignedWithTheTrustListSignersKeyIsNeverValid() throws Exception {
        SealKey lists = underTestCa(CertificateMaker.caSubject("Test Trust List Signer"), Profile.TRUST_LIST_SIGNING);
        var signature = verifier.verify(PdfCrafting.signLeniently(TestMaterial.onePagePdf(0), lists))
                .signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.CHAIN_CONSTRAINTS_FAILURE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("the trust-list signer's certificate cannot seal"));
    }

    /** The seal maker's key makes GB/T 38540 seals for the seal service; a document signed with it is no one's seal. */
    @Test
    void aDocumentSignedWithTheSealMakersKeyIsNeverValid() throws Exception {
        SealKey maker = underTestCa(CertificateMaker.caSubject("Test Seal Maker"), Profile.SEAL_MAKING);
        var signature = verifier.verify(PdfCrafting.signLeniently(TestMaterial.onePagePdf(0), maker))
                .signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.CHAIN_CONSTRAINTS_FAILURE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("a seal maker's certificate cannot seal"));
    }

    // ---- C: signed attributes and content type -------------------------------------------------------------------

    @Test
    void aPadesSignatureWithoutSignedAttributesIsNotASignatureButPkcs7MayDoWithout() throws Exception {
        byte[] pdf = TestMaterial.onePagePdf(0);
        CmsMaker direct = content -> cms(content, "SHA256withECDSA", material.sealKey, true, null, false);

        byte[] signed = sign(pdf, PADES, direct);
        var pades = verifier.verify(signed).signatures().get(0);
        assertThat(pades.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(pades.subIndication()).isEqualTo(SubIndication.FORMAT_FAILURE);
        assertThat(pades.reasons()).anyMatch(r -> r.contains("must carry signed attributes"));
        // EU DSS: not an ETSI signature at all
        assertThat(Dss.validate(signed, material.root)).singleElement()
                .satisfies(v -> assertThat(v.level()).isEqualTo("PDF_NOT_ETSI"));
        assertThat(verifier.verify(sign(pdf, PKCS7, direct)).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aPadesSignatureMustNameItsSigningCertificate() throws Exception {
        byte[] pdf = TestMaterial.onePagePdf(0);
        // Bouncy Castle's defaults: content type, message digest, signing time, algorithm protection; no signing-certificate
        CmsMaker plain = content -> cms(content, "SHA256withECDSA", material.sealKey, false, null, false);

        byte[] signed = sign(pdf, PADES, plain);
        var pades = verifier.verify(signed).signatures().get(0);
        assertThat(pades.subIndication()).as(pades.reasons().toString()).isEqualTo(SubIndication.FORMAT_FAILURE);
        assertThat(pades.reasons()).anyMatch(r -> r.contains("signing-certificate-v2"));
        assertThat(Dss.validate(signed, material.root)).singleElement()
                .satisfies(v -> assertThat(v.level()).isEqualTo("PDF_NOT_ETSI"));
        assertThat(verifier.verify(sign(pdf, PKCS7, plain)).verdict()).isEqualTo(Verdict.VALID);
        assertThat(verifier.verify(sign(pdf, PADES, content -> cms(content, "SHA256withECDSA", material.sealKey,
                false, withSigningCertificate(material.sealKey.certificate()), false))).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aSignedContentTypeOtherThanDocumentDataIsRefused() throws Exception {
        // signed attributes that say they sign a time-stamp token's TSTInfo, over the document's bytes
        CmsMaker tstInfo = content -> cms(content, "SHA256withECDSA", material.sealKey, false,
                attributes -> attributes.add(CMSAttributes.contentType, PKCSObjectIdentifiers.id_ct_TSTInfo)
                        .add(PKCSObjectIdentifiers.id_aa_signingCertificateV2, v2(material.sealKey.certificate())),
                false);
        var signature = verifier.verify(sign(TestMaterial.onePagePdf(0), PADES, tstInfo)).signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.subIndication()).as(signature.reasons().toString()).isEqualTo(SubIndication.FORMAT_FAILURE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("signed content type"));
    }

    @Test
    void aSigningCertificateReferenceToAnotherCertificateIsNotTheSigners() throws Exception {
        // ETSI EN 319 122-1 5.2.2: signing-certificate-v2 binds the signature to one certificate; this one names
        // the root's, so the certificate found in the signature may have been swapped in
        CmsMaker otherReference = content -> cms(content, "SHA256withECDSA", material.sealKey, false,
                withSigningCertificate(material.root), false);
        var signature = verifier.verify(sign(TestMaterial.onePagePdf(0), PADES, otherReference)).signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(signature.subIndication()).as(signature.reasons().toString())
                .isEqualTo(SubIndication.NO_SIGNING_CERTIFICATE_FOUND);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("names another certificate than the one found"));
    }

    @Test
    void aSignedContentTypeWithoutValueIsRefusedNotThrown() throws Exception {
        CmsMaker empty = content -> cms(content, "SHA256withECDSA", material.sealKey, false,
                attributes -> new AttributeTable(new Attribute(CMSAttributes.contentType, new DERSet()))
                        .add(PKCSObjectIdentifiers.id_aa_signingCertificateV2, v2(material.sealKey.certificate())),
                false);
        var signature = verifier.verify(sign(TestMaterial.onePagePdf(0), PADES, empty)).signatures().get(0);
        assertThat(signature.subIndication()).as(signature.reasons().toString()).isEqualTo(SubIndication.FORMAT_FAILURE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("must appear once with one value"));
    }

    @Test
    void aTimeStampTokenPutInPlaceOfASignatureIsNotOne() throws Exception {
        SealKey tsaKey = underTestCa(CertificateMaker.caSubject("Test TSA"), Profile.TIME_STAMPING);
        byte[] pdf = TestMaterial.onePagePdf(0);
        // a genuine token of our TSA, over the very bytes the signature covers
        CmsMaker token = content -> stamp(tsaKey, Clock.systemUTC(), content);
        var signature = verifier.verify(sign(pdf, PADES, token)).signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.FORMAT_FAILURE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("not document data"));
    }

    // ---- C: digest algorithm consistency, empty content, one signer ---------------------------------------------

    @Test
    void theSignersDigestAlgorithmMustBeDeclaredInTheSignedData() throws Exception {
        CmsMaker undeclared = content -> {
            SignedData data = SignedData.getInstance(ContentInfo.getInstance(
                    new CadesSigner(material.sealKey).sign(content)).getContent());
            SignedData declaringSha512 = new SignedData(new DERSet(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha512)),
                    data.getEncapContentInfo(), data.getCertificates(), data.getCRLs(), data.getSignerInfos());
            return new ContentInfo(CMSObjectIdentifiers.signedData, declaringSha512).getEncoded(ASN1Encoding.DER);
        };
        byte[] signed = sign(TestMaterial.onePagePdf(0), PADES, undeclared);
        var signature = verifier.verify(signed).signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.FORMAT_FAILURE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("not among those the signature declares"));
        // EU DSS agrees that it is not a valid signature
        assertThat(Dss.validate(signed, material.root)).singleElement()
                .satisfies(v -> assertThat(v.indication()).isEqualTo("TOTAL_FAILED"));
    }

    @Test
    void aMessageDigestOfTheWrongSizeForItsAlgorithmIsRefused() throws Exception {
        // SHA-256 named, 20 bytes signed: the signed attributes verify, the digest cannot be a SHA-256 one
        CmsMaker truncated = content -> cms(content, "SHA256withECDSA", material.sealKey, false,
                attributes -> attributes.add(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                        v2(material.sealKey.certificate())), true);
        var signature = verifier.verify(sign(TestMaterial.onePagePdf(0), PADES, truncated)).signatures().get(0);
        assertThat(signature.subIndication()).as(signature.reasons().toString()).isEqualTo(SubIndication.FORMAT_FAILURE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("has 20 bytes"));
    }

    @Test
    void aSignatureOverNoBytesSignsNothing() throws Exception {
        byte[] overNothing = new CadesSigner(material.sealKey).sign(new byte[0]);
        var result = new CmsSignatureCheck(List.of(material.root)).check(overNothing, new byte[0], null, Instant.now(),
                new RevocationCheck(ValidationData.NONE, null), PADES);
        assertThat(result.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(result.subIndication()).isEqualTo(SubIndication.FORMAT_FAILURE);
        assertThat(result.reasons()).anyMatch(r -> r.contains("signs nothing"));
    }

    @Test
    void twoSignerInfosAreNotConfirmedNorFailed() throws Exception {
        CmsMaker twice = content -> {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            for (int i = 0; i < 2; i++) {
                generator.addSignerInfoGenerator(signerInfo("SHA256withECDSA", material.sealKey,
                        withSigningCertificate(material.sealKey.certificate()), false));
            }
            generator.addCertificates(new JcaCertStore(material.sealKey.chain()));
            return generator.generate(new CMSProcessableByteArray(content), false).getEncoded();
        };
        var report = verifier.verify(sign(TestMaterial.onePagePdf(0), PADES, twice));
        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.signatures().get(0).subIndication()).isEqualTo(SubIndication.SIG_CONSTRAINTS_FAILURE);
    }

    // ---- C: weak algorithms ---------------------------------------------------------------------------------------

    @Test
    void anIntactSha1SignatureIsIndeterminateNotBroken() throws Exception {
        byte[] signed = sign(TestMaterial.onePagePdf(0), PADES, content -> cms(content, "SHA1withECDSA",
                material.sealKey, false, withSigningCertificate(material.sealKey.certificate()), false));

        var report = verifier.verify(signed);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INDETERMINATE);
        var signature = report.signatures().get(0);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.CRYPTO_CONSTRAINTS_FAILURE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("SHA-1")).anyMatch(r -> r.contains("intact"));

        byte[] changed = signed.clone();
        changed["%PDF-1.".length()] ^= 0x01;
        assertThat(verifier.verify(changed).signatures().get(0).subIndication()).isEqualTo(SubIndication.HASH_FAILURE);
    }

    @Test
    void anAdbePkcs7Sha1SignatureIsReadAsSuchAndJudgedWeak() throws Exception {
        // ISO 32000-1 12.8.3.3.1: the CMS encapsulates the SHA-1 digest of the byte ranges (pkcs7_sha1.pdf of EU DSS)
        CmsMaker sha1 = content -> {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signerInfo("SHA256withECDSA", material.sealKey, null, false));
            generator.addCertificates(new JcaCertStore(material.sealKey.chain()));
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(content);
            return generator.generate(new CMSProcessableByteArray(digest), true).getEncoded();
        };
        byte[] signed = sign(TestMaterial.onePagePdf(0), "adbe.pkcs7.sha1", sha1);

        var signature = verifier.verify(signed).signatures().get(0);
        assertThat(signature.indication()).as(signature.reasons().toString()).isEqualTo(Indication.INDETERMINATE);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.CRYPTO_CONSTRAINTS_FAILURE);
        byte[] changed = signed.clone();
        changed["%PDF-1.".length()] ^= 0x01;
        var broken = verifier.verify(changed).signatures().get(0);
        assertThat(broken.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(broken.subIndication()).isEqualTo(SubIndication.HASH_FAILURE);
    }

    @Test
    void anRsaKeyUnder2048BitsIsTooWeakToConfirm() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair small = generator.generateKeyPair();
        X509Certificate certificate = CertificateMaker.issue(CertificateMaker.sealSubject("小钥匙章", "测试局",
                        "91350100M000100Y43"), small.getPublic(), Profile.AGENCY_SEAL, material.ca, material.caKey,
                Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
        SealKey key = new SealKey(small.getPrivate(), List.of(certificate, material.ca, material.root));
        var signature = verifier.verify(sign(TestMaterial.onePagePdf(0), PADES, content -> cms(content,
                "SHA256withRSA", key, false, withSigningCertificate(certificate), false))).signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.CRYPTO_CONSTRAINTS_FAILURE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("1024 bits"));
    }

    // ---- C: unsigned attributes raise nothing unless they verify --------------------------------------------------

    @Test
    void aSignatureTimeStampThatDoesNotVerifyRaisesNothing() throws Exception {
        // a seal whose certificate ended 35 days ago: without proof of when it was made, not confirmed
        TestMaterial ended = new TestMaterial(Instant.now().minus(Duration.ofDays(400)), Duration.ofDays(365));
        PdfVerifier judge = new PdfVerifier(List.of(ended.root));
        byte[] sealed = PdfCrafting.signLeniently(TestMaterial.onePagePdf(0), ended.sealKey);
        assertThat(judge.verify(sealed).signatures().get(0).subIndication()).isEqualTo(SubIndication.OUT_OF_BOUNDS_NO_POE);
        Clock whileValid = Clock.fixed(Instant.now().minus(Duration.ofDays(100)), ZoneOffset.UTC);
        SealKey trustedTsa = issue(CertificateMaker.caSubject("Test TSA"), Profile.TIME_STAMPING, ended.ca, ended.caKey,
                ended.root, Instant.now().minus(Duration.ofDays(400)));

        // a TSA of another root, claiming the signature existed while the certificate was valid
        TestMaterial stranger = new TestMaterial(Instant.now().minus(Duration.ofDays(400)), Duration.ofDays(365));
        SealKey strangeTsa = issue(CertificateMaker.caSubject("Stranger TSA"), Profile.TIME_STAMPING, stranger.ca,
                stranger.caKey, stranger.root, Instant.now().minus(Duration.ofDays(400)));
        var untrusted = judge.verify(withSignatureTimeStamp(sealed, value -> stamp(strangeTsa, whileValid, value)))
                .signatures().get(0);
        assertThat(untrusted.subIndication()).isEqualTo(SubIndication.OUT_OF_BOUNDS_NO_POE);
        assertThat(untrusted.reasons()).anyMatch(r -> r.contains("does not chain to a trusted root; it is ignored"));

        // our own TSA, but over other bytes than this signature value
        var elsewhere = judge.verify(withSignatureTimeStamp(sealed, value -> stamp(trustedTsa, whileValid,
                "other bytes".getBytes()))).signatures().get(0);
        assertThat(elsewhere.subIndication()).isEqualTo(SubIndication.OUT_OF_BOUNDS_NO_POE);
        assertThat(elsewhere.reasons()).anyMatch(r -> r.contains("is not valid") && r.contains("ignored"));

        // the same TSA over this value: now it proves, and only now the signature is confirmed
        var proven = judge.verify(withSignatureTimeStamp(sealed, value -> stamp(trustedTsa, whileValid, value)));
        assertThat(proven.verdict()).as(proven.toString()).isEqualTo(Verdict.VALID);
    }

    // ---- how these signatures are made ---------------------------------------------------------------------------

    @FunctionalInterface
    interface CmsMaker {
        byte[] make(byte[] content) throws Exception;
    }

    @FunctionalInterface
    interface Stamp {
        byte[] over(byte[] signatureValue) throws Exception;
    }

    /** {@code pdf} signed in an invisible field with the CMS {@code maker} makes of the byte ranges. */
    static byte[] sign(byte[] pdf, String subFilter, CmsMaker maker) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf); SignatureOptions options = new SignatureOptions()) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(COSName.getPDFName(subFilter));
            signature.setSignDate(Calendar.getInstance());
            options.setPreferredSignatureSize(16_000);
            document.addSignature(signature, options);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ExternalSigningSupport external = document.saveIncrementalForExternalSigning(out);
            external.setSignature(maker.make(external.getContent().readAllBytes()));
            return out.toByteArray();
        }
    }

    /**
     * A detached CMS by Bouncy Castle. {@code direct}: no signed attributes; {@code attributes}: what to add to (or
     * put in place of) its default signed attributes; {@code truncateDigest}: a message digest cut to 20 bytes.
     */
    private static byte[] cms(byte[] content, String algorithm, SealKey key, boolean direct,
                              UnaryOperator<AttributeTable> attributes, boolean truncateDigest) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(direct ? signerInfo(algorithm, key, null, true)
                : signerInfo(algorithm, key, attributes, false, truncateDigest));
        generator.addCertificates(new JcaCertStore(key.chain()));
        return generator.generate(new CMSProcessableByteArray(content), false).getEncoded();
    }

    private static org.bouncycastle.cms.SignerInfoGenerator signerInfo(String algorithm, SealKey key,
            UnaryOperator<AttributeTable> attributes, boolean direct) throws Exception {
        return signerInfo(algorithm, key, attributes, direct, false);
    }

    private static org.bouncycastle.cms.SignerInfoGenerator signerInfo(String algorithm, SealKey key,
            UnaryOperator<AttributeTable> attributes, boolean direct, boolean truncateDigest) throws Exception {
        PrivateKey privateKey = key.privateKey();
        var builder = new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bouncyCastle()).build())
                .setDirectSignature(direct);
        if (!direct) {
            var standard = new DefaultSignedAttributeTableGenerator(
                    attributes == null ? new AttributeTable(new ASN1EncodableVector())
                            : attributes.apply(new AttributeTable(new ASN1EncodableVector())));
            builder.setSignedAttributeGenerator(new CMSAttributeTableGenerator() {
                @Override
                public AttributeTable getAttributes(@SuppressWarnings("rawtypes") Map parameters) {
                    AttributeTable table = standard.getAttributes(parameters);
                    if (!truncateDigest) {
                        return table;
                    }
                    byte[] digest = ((DEROctetString) table.get(CMSAttributes.messageDigest).getAttrValues()
                            .getObjectAt(0)).getOctets();
                    return table.remove(CMSAttributes.messageDigest)
                            .add(CMSAttributes.messageDigest, new DEROctetString(Arrays.copyOf(digest, 20)));
                }
            });
        }
        return builder.build(new JcaContentSignerBuilder(algorithm).setProvider(Providers.bouncyCastle())
                .build(privateKey), key.certificate());
    }

    private static UnaryOperator<AttributeTable> withSigningCertificate(X509Certificate certificate) {
        return attributes -> attributes.add(PKCSObjectIdentifiers.id_aa_signingCertificateV2, v2(certificate));
    }

    private static SigningCertificateV2 v2(X509Certificate certificate) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new SigningCertificateV2(new ESSCertIDv2[] {new ESSCertIDv2(
                    new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256), hash)});
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The last signature of {@code pdf} with a signature time-stamp (unsigned attribute) from {@code stamp}. */
    private static byte[] withSignatureTimeStamp(byte[] pdf, Stamp stamp) throws Exception {
        CMSSignedData cms = new CMSSignedData(Sm2PdfTest.cms(pdf).info());
        SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
        var attributes = new ASN1EncodableVector();
        attributes.add(new Attribute(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken,
                new DERSet(ASN1Primitive.fromByteArray(stamp.over(signer.getSignature())))));
        SignerInformation stamped = SignerInformation.replaceUnsignedAttributes(signer, new AttributeTable(attributes));
        return Sm2PdfTest.replaceCms(pdf, CMSSignedData.replaceSigners(cms, new SignerInformationStore(stamped))
                .getEncoded());
    }

    /** An RFC 3161 token of {@code tsa}, its clock at {@code clock}, over {@code data}. */
    private static byte[] stamp(SealKey tsa, Clock clock, byte[] data) throws Exception {
        TimeStampAuthority authority = new TimeStampAuthority(tsa, new org.bouncycastle.asn1.ASN1ObjectIdentifier(
                "2.25.99"), () -> BigInteger.ONE, clock);
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        var request = generator.generate(TSPAlgorithms.SHA256, MessageDigest.getInstance("SHA-256").digest(data),
                BigInteger.valueOf(System.nanoTime()));
        return new TimeStampResponse(authority.respond(request.getEncoded()).der()).getTimeStampToken().getEncoded();
    }

    private SealKey underTestCa(org.bouncycastle.asn1.x500.X500Name subject, Profile profile) throws Exception {
        return issue(subject, profile, material.ca, material.caKey, material.root, Instant.now().minus(Duration.ofDays(1)));
    }

    private static SealKey issue(org.bouncycastle.asn1.x500.X500Name subject, Profile profile, X509Certificate ca,
                                 PrivateKey caKey, X509Certificate root, Instant notBefore) throws Exception {
        KeyPair keys = CertificateMaker.newEcKeyPair();
        X509Certificate certificate = CertificateMaker.issue(subject, keys.getPublic(), profile, ca, caKey, notBefore,
                Duration.ofDays(1000));
        return new SealKey(keys.getPrivate(), List.of(certificate, ca, root));
    }
}
