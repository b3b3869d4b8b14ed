package cn.yinxin.core.pdf.national;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.ReportMaps;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.Sm2Material;
import cn.yinxin.core.pdf.Sm2PdfTest;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.verify.report.Verdict;

import cn.yinxin.core.pki.cms.CmsFlavour;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import cn.yinxin.core.ses.OfdrwV1;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.core.ses.SealMaker;
import cn.yinxin.core.ses.SesSignature;
import cn.yinxin.core.ses.SesVerifier;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * National mode: a PAdES SM3withSM2 signature that also carries a GB/T 38540 SES_Signature (unsigned attribute
 * {@link PdfSesSignature#ATTRIBUTE}) over the same byte ranges, and the verifier's checks of it.
 */
public class NationalPdfTest {

    private static Sm2Material material;
    private static SESeal seal;

    @BeforeAll
    static void keys() throws Exception {
        material = new Sm2Material();
        seal = seal(List.of(material.sealKey.certificate()));
    }

    static SESeal seal(List<X509Certificate> signers) throws Exception {
        return sealFor(material, signers);
    }

    /** A seal "test-seal-1" of the SM2 test PKI's seal maker, for these signers, valid from yesterday for 300 days. */
    public static SESeal sealFor(Sm2Material material, List<X509Certificate> signers) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SealMaker(material.sealMaker, "TEST").make(new SealMaker.SealSpec("test-seal-1",
                SealMaker.TYPE_ORGANISATION, "测试专用章", TestMaterial.redSquarePng(), 40, 40, signers,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300))), now);
    }

    private static PdfVerifier verifier(String sealStatus) {
        return new PdfVerifier(List.of(material.root), material.revocation()).withSealStatus(id -> sealStatus);
    }

    private static byte[] stamp(CmsFlavour flavour, SESeal withSeal) throws Exception {
        PdfSealer sealer = new PdfSealer(material.timeStamper(), material.revocation()).withCmsFlavour(flavour);
        return sealer.seal(TestMaterial.onePagePdf(0), material.request(SignatureLevel.B_T).withNationalSeal(withSeal));
    }

    @ParameterizedTest
    @EnumSource(CmsFlavour.class)
    void aNationalStampCarriesAValidSealSignatureOverTheSignedBytes(CmsFlavour flavour) throws Exception {
        byte[] sealed = stamp(flavour, seal);

        var report = verifier("ACTIVE").verify(sealed);
        var signature = report.signatures().get(0);
        assertThat(report.verdict()).as(signature.reasons() + " / " + (signature.nationalSeal() == null ? null
                : signature.nationalSeal().reasons())).isEqualTo(Verdict.VALID);
        assertThat(signature.format()).isEqualTo("PAdES-BASELINE-T");
        var national = signature.nationalSeal();
        assertThat(national.valid()).isTrue();
        assertThat(national.esId()).isEqualTo("test-seal-1");
        assertThat(national.timeStamped()).isTrue();
        assertThat(national.sealStatus()).isEqualTo("ACTIVE");
        assertThat(national.reasons()).anyMatch(r -> r.contains("certList"))
                .anyMatch(r -> r.startsWith("dataHash is the SM3 hash"))
                .anyMatch(r -> r.startsWith("Seal maker chain:") && r.contains("was not revoked"))
                .anyMatch(r -> r.contains("SM2 Test TSA"));
        assertThat(ReportMaps.toMap(report).toString()).contains("nationalSeal").contains("GB/T 38540");

        // independently of the verifier: the attribute is a SES_Signature whose dataHash is SM3 of the /ByteRange bytes
        var cms = Sm2PdfTest.cms(sealed);
        assertThat(cms.info().getContentType()).isEqualTo(flavour.signedDataType());
        byte[] der = PdfSesSignature.find(cms.signer());
        SesSignature ses = SesSignature.getInstance(der);
        assertThat(ses.toSign().propertyInfo()).isEqualTo(PdfSesSignature.propertyInfo(cms.byteRange()));
        assertThat(ses.signerCertificate()).isEqualTo(material.sealKey.certificate().getEncoded());
        assertThat(new SesVerifier(List.of(material.root), material.sealKey.chain()).verifySignature(der,
                cms.signedBytes()).valid()).isTrue();
        // and the PDF signature without it is a plain PAdES one: the same CMS signature value verifies
        assertThat(Sm2Signatures.verify(material.sealKey.certificate().getPublicKey(),
                cms.signer().getEncodedSignedAttributes(), cms.signer().getSignature())).isTrue();
    }

    /**
     * A seal made by a maker without our seal-making key purpose (another product's; here a key of the same test PKI
     * that is no maker of ours) is INDETERMINATE, and VALID once the verifier is told that maker is known (what the
     * trust list's SEAL_MAKING entries tell the verifier service).
     */
    @Test
    void aSealOfAnotherProductsMakerCountsOnlyWhenThatMakerIsKnown() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SESeal foreign = new SealMaker(material.tsaKey, "OTHER").make(new SealMaker.SealSpec("test-seal-1",
                SealMaker.TYPE_ORGANISATION, "测试专用章", TestMaterial.redSquarePng(), 40, 40,
                List.of(material.sealKey.certificate()), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300))),
                now);
        byte[] sealed = stamp(CmsFlavour.PKCS7, foreign);

        var unknown = verifier("ACTIVE").verify(sealed);
        assertThat(unknown.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(unknown.signatures().getFirst().nationalSeal().problem()).isEqualTo("MAKER_CERTIFICATE");
        var known = verifier("ACTIVE").withKnownSealMakers(List.of(material.tsaKey.certificate())).verify(sealed);
        assertThat(known.verdict()).as(known.toString()).isEqualTo(Verdict.VALID);
    }

    /**
     * Another product's PDF seal layout: the SES_Signature itself in /Contents (no CMS around it), dataHash SM3 of the
     * signed byte ranges. Not PAdES and not checked in full, but not broken either: INDETERMINATE, saying what it is
     * and that it verifies as a seal signature; one over other bytes says it does not; non-CMS garbage stays FAILED.
     */
    @Test
    void aSealSignatureWrittenStraightIntoContentsIsNotCalledBroken() throws Exception {
        // the seal signature carries no CA certificates: the verifier is given them as anchors here
        List<X509Certificate> anchors = new java.util.ArrayList<>(material.sealKey.chain());
        anchors.addAll(material.sealMaker.chain());
        anchors.add(material.root);
        var report = new PdfVerifier(anchors, material.revocation()).verify(sesInContents(false));
        var signature = report.signatures().getFirst();
        assertThat(report.verdict()).as(signature.reasons().toString()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(signature.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.FORMAT_FAILURE);
        assertThat(signature.reasons().getLast()).contains("another product's layout").contains("测试专用章")
                .contains("it verifies");

        assertThat(verifier("ACTIVE").verify(sesInContents(false)).signatures().getFirst().reasons().getLast())
                .as("without the CAs").contains("not confirmed (MAKER_CERTIFICATE");

        byte[] garbage = sesInContents(false);
        String text = new String(garbage, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("/Contents <") + "/Contents <".length();
        garbage[at] = (byte) (garbage[at] == 'F' ? '0' : 'F'); // the DER tag broken: not a seal signature any more
        assertThat(verifier("ACTIVE").verify(garbage).signatures().getFirst().indication())
                .isEqualTo(Indication.TOTAL_FAILED);
    }

    /**
     * Ninth hostile read: the bare layout must not soften a broken seal signature. A Yinxin seal's SES_Signature (our
     * maker, whose dataHash is SM3 of the signed byte ranges) written bare into /Contents of a PDF whose signed bytes
     * were then changed, or one whose own signature was broken (e.g. its seal's name edited), was INDETERMINATE
     * ("another product's layout") where the same tampering under a CMS is TOTAL_FAILED; now TOTAL_FAILED too.
     */
    @Test
    void aBrokenSealSignatureWrittenStraightIntoContentsIsStillBroken() throws Exception {
        List<X509Certificate> anchors = new java.util.ArrayList<>(material.sealKey.chain());
        anchors.addAll(material.sealMaker.chain());
        anchors.add(material.root);
        byte[] tampered = sesInContents(false);
        int comment = new String(tampered, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf('%', 1);
        tampered[comment + 1] ^= 0x01; // the binary comment after the header: inside the signed bytes, still a PDF
        var changed = new PdfVerifier(anchors, material.revocation()).verify(tampered);
        assertThat(changed.verdict()).as(changed.toString()).isEqualTo(Verdict.INVALID);
        assertThat(changed.signatures().getFirst().subIndication()).isEqualTo(SubIndication.HASH_FAILURE);
        assertThat(changed.signatures().getFirst().reasons().getLast()).contains("DATA_HASH");

        var overOtherBytes = new PdfVerifier(anchors, material.revocation()).verify(sesInContents(true))
                .signatures().getFirst();
        assertThat(overOtherBytes.indication()).isEqualTo(Indication.TOTAL_FAILED);

        byte[] forged = sesInContents(false, der -> {
            byte[] copy = der.clone();
            copy[copy.length - 1] ^= 0x01; // the last byte of the signer's SM2 signature value
            return copy;
        });
        var broken = verifier("ACTIVE").verify(forged);
        assertThat(broken.verdict()).as(broken.toString()).isEqualTo(Verdict.INVALID);
        assertThat(broken.signatures().getFirst().subIndication()).isEqualTo(SubIndication.SIG_CRYPTO_FAILURE);
    }

    /** A one-page PDF whose signature's /Contents is a bare SES_Signature over its byte ranges (or other bytes). */
    private static byte[] sesInContents(boolean otherBytes) throws Exception {
        return sesInContents(otherBytes, der -> der);
    }

    /** As above, the seal signature's DER changed by {@code change} before it is written. */
    private static byte[] sesInContents(boolean otherBytes, java.util.function.UnaryOperator<byte[]> change)
            throws Exception {
        try (var document = org.apache.pdfbox.Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            var signature = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature();
            signature.setFilter(org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(
                    org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED);
            signature.setSignDate(java.util.Calendar.getInstance());
            var options = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions();
            options.setPreferredSignatureSize(16_000);
            document.addSignature(signature, content -> {
                try {
                    byte[] data = otherBytes ? new byte[] {1, 2, 3} : content.readAllBytes();
                    return change.apply(cn.yinxin.core.ses.SesSigner.sign(seal, material.sealKey, data, "PDF",
                            Instant.now(), null).der());
                } catch (java.security.GeneralSecurityException e) {
                    throw new java.io.IOException(e);
                }
            }, options);
            var out = new java.io.ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    @Test
    void aNationalBltStampCarriesTheSealMakersRevocationDataAndVerifiesOffline() throws Exception {
        PdfSealer sealer = new PdfSealer(material.timeStamper(), material.revocation());
        byte[] sealed = sealer.seal(TestMaterial.onePagePdf(0), material.request(SignatureLevel.B_LT)
                .withNationalSeal(seal));

        var offline = new PdfVerifier(List.of(material.root)).verify(sealed);
        var signature = offline.signatures().get(0);
        assertThat(offline.verdict()).as(signature.reasons() + " / " + signature.nationalSeal().reasons())
                .isEqualTo(Verdict.VALID);
        assertThat(signature.format()).isEqualTo("PAdES-BASELINE-LT");
        assertThat(signature.nationalSeal().reasons()).anyMatch(r -> r.startsWith("Seal maker chain:")
                && r.contains("SM2 Test Seal Maker") && r.contains("embedded OCSP"));
    }

    @Test
    void aTamperedSealSignatureFailsWhileThePdfSignatureStaysIntact() throws Exception {
        byte[] sealed = stamp(CmsFlavour.PKCS7, seal);
        var cms = Sm2PdfTest.cms(sealed);
        SesSignature ses = SesSignature.getInstance(PdfSesSignature.find(cms.signer()));
        byte[] value = ses.signature();
        value[value.length - 5] ^= 1;
        byte[] tampered = new SesSignature(ses.toSign(), ses.signerCertificate(), ses.signatureAlgId(), value,
                ses.timeStamp()).der();

        var signature = verifier("ACTIVE").verify(Sm2PdfTest.replaceCms(sealed, withSes(cms, tampered)))
                .signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.SIG_CRYPTO_FAILURE);
        assertThat(signature.nationalSeal().problem()).isEqualTo("SIGNATURE");
        assertThat(signature.reasons().getLast()).contains("GB/T 38540").contains("does not verify");
        // control: the untouched attribute put back the same way verifies
        assertThat(verifier("ACTIVE").verify(Sm2PdfTest.replaceCms(sealed, withSes(cms, ses.der()))).verdict())
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void aSignerNotInTheSealsCertListFails() throws Exception {
        SESeal other = seal(List.of(material.tsaKey.certificate()));
        var signature = verifier("ACTIVE").verify(stamp(CmsFlavour.PKCS7, other)).signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.nationalSeal().problem()).isEqualTo("SIGNER_NOT_IN_CERT_LIST");
        assertThat(signature.reasons().getLast()).contains("is not in the seal's certList");
    }

    @Test
    void aRevokedSealOrARevokedMakerIsNotValid() throws Exception {
        byte[] sealed = stamp(CmsFlavour.PKCS7, seal);
        var revokedSeal = verifier("REVOKED").verify(sealed).signatures().get(0);
        assertThat(revokedSeal.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(revokedSeal.nationalSeal().problem()).isEqualTo("SEAL_STATUS");
        assertThat(revokedSeal.reasons().getLast()).contains("REVOKED at its issuer");

        // the seal's status not asked (offline): reported, not counted against the seal
        var notAsked = new PdfVerifier(List.of(material.root), material.revocation()).verify(sealed);
        assertThat(notAsked.verdict()).isEqualTo(Verdict.VALID);
        assertThat(notAsked.signatures().get(0).nationalSeal().reasons()).anyMatch(r -> r.contains("was not asked"));

        material.revoke(material.sealMaker);
        try {
            // revoked an hour before the stamp: nothing proves the seal was signed before
            var revokedMaker = verifier("ACTIVE").verify(sealed).signatures().get(0);
            assertThat(revokedMaker.indication()).isEqualTo(Indication.TOTAL_FAILED);
            assertThat(revokedMaker.nationalSeal().problem()).isEqualTo("MAKER_REVOKED");
        } finally {
            material.clearRevocations();
        }
    }

    @Test
    void aSealSignatureOverOtherBytesIsRefused() throws Exception {
        byte[] sealed = stamp(CmsFlavour.PKCS7, seal);
        byte[] other = stamp(CmsFlavour.PKCS7, seal);
        // the seal signature of another stamp (other bytes: its /M and /ID differ) moved into this one
        byte[] moved = PdfSesSignature.find(Sm2PdfTest.cms(other).signer());
        var signature = verifier("ACTIVE").verify(Sm2PdfTest.replaceCms(sealed, withSes(Sm2PdfTest.cms(sealed), moved)))
                .signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.nationalSeal().problem()).isIn("DATA_HASH", "PROPERTY_INFO");
    }

    @Test
    void aV1SealSignatureMadeElsewhereIsReadAndCheckedInThePdf() throws Exception {
        byte[] sealed = stamp(CmsFlavour.PKCS7, seal);
        var cms = Sm2PdfTest.cms(sealed);
        Instant now = Instant.now();
        var v1Seal = OfdrwV1.seal(material.sealMaker, "test-seal-v1", "测试专用章 v1",
                List.of(material.sealKey.certificate()), TestMaterial.redSquarePng(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(300)));
        byte[] hash = MessageDigest.getInstance("SM3", Providers.bouncyCastle()).digest(cms.signedBytes());
        String ranges = PdfSesSignature.propertyInfo(cms.byteRange());

        byte[] v1 = OfdrwV1.signature(v1Seal, material.sealKey, hash, ranges, OfdrwV1.chinaText(now));
        var report = verifier("ACTIVE").verify(Sm2PdfTest.replaceCms(sealed, withSes(cms, v1)));
        var national = report.signatures().get(0).nationalSeal();
        assertThat(report.verdict()).as(national.reasons().toString()).isEqualTo(Verdict.VALID);
        assertThat(national.esId()).isEqualTo("test-seal-v1");
        assertThat(national.standard()).isEqualTo("GM/T 0031-2014 SES_Signature");
        assertThat(national.vendor()).isEqualTo("OFDRW");
        assertThat(national.reasons()).anyMatch(r -> r.contains("GM/T 0031-2014 v1 SES_Signature"));

        // a v1 seal signature by someone the v1 seal does not list
        byte[] stranger = OfdrwV1.signature(v1Seal, material.tsaKey, hash, ranges, OfdrwV1.chinaText(now));
        var refused = verifier("ACTIVE").verify(Sm2PdfTest.replaceCms(sealed, withSes(cms, stranger)))
                .signatures().get(0);
        assertThat(refused.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(refused.nationalSeal().problem()).isEqualTo("SIGNER_NOT_IN_CERT_LIST");
        assertThat(verifier("ACTIVE").verify(sealed).signatures().get(0).nationalSeal().standard())
                .isEqualTo("GB/T 38540-2020 SES_Signature");
    }

    /**
     * The SES_Signature's signer certificate with its public key point moved off the curve (Bouncy Castle decodes
     * the point only when the key is read): a failed seal in the report, never an exception out of the verifier.
     */
    @Test
    void aSealSignatureWhoseSignerCertificateIsDamagedIsAReportNotACrash() throws Exception {
        byte[] sealed = stamp(CmsFlavour.PKCS7, seal);
        var cms = Sm2PdfTest.cms(sealed);
        SesSignature ses = SesSignature.getInstance(PdfSesSignature.find(cms.signer()));
        byte[] certificate = ses.signerCertificate().clone();
        byte[] point = org.bouncycastle.asn1.x509.Certificate.getInstance(certificate).getSubjectPublicKeyInfo()
                .getPublicKeyData().getBytes();
        int at = java.util.Collections.indexOfSubList(toList(certificate), toList(point));
        assertThat(at).isPositive();
        certificate[at + 20] ^= 0x55;
        byte[] damaged = new SesSignature(ses.toSign(), certificate, ses.signatureAlgId(), ses.signature(),
                ses.timeStamp()).der();

        var report = verifier("ACTIVE").verify(Sm2PdfTest.replaceCms(sealed, withSes(cms, damaged)));
        var signature = report.signatures().get(0);
        assertThat(report.verdict()).isNotEqualTo(Verdict.VALID);
        assertThat(signature.nationalSeal().valid()).isFalse();
        assertThat(signature.nationalSeal().problem()).isEqualTo("FORMAT");
    }

    private static java.util.List<Byte> toList(byte[] bytes) {
        java.util.List<Byte> list = new java.util.ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    /** The same CMS with another SES_Signature in the unsigned attribute. */
    static byte[] withSes(Sm2PdfTest.Cms cms, byte[] ses) throws Exception {
        SignedData signedData = SignedData.getInstance(cms.info().getContent());
        SignerInfo old = SignerInfo.getInstance(signedData.getSignerInfos().getObjectAt(0));
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        for (var element : old.getUnauthenticatedAttributes()) {
            Attribute attribute = Attribute.getInstance(element);
            attributes.add(attribute.getAttrType().equals(PdfSesSignature.ATTRIBUTE)
                    ? new Attribute(PdfSesSignature.ATTRIBUTE, new DERSet(new DEROctetString(ses))) : attribute);
        }
        SignerInfo replaced = new SignerInfo(old.getSID(), old.getDigestAlgorithm(), old.getAuthenticatedAttributes(),
                old.getDigestEncryptionAlgorithm(), old.getEncryptedDigest(), (ASN1Set) new DERSet(attributes));
        SignedData changed = new SignedData(signedData.getDigestAlgorithms(), signedData.getEncapContentInfo(),
                signedData.getCertificates(), signedData.getCRLs(), new DERSet(replaced));
        return new ContentInfo(cms.info().getContentType(), changed).getEncoded("DER");
    }
}
