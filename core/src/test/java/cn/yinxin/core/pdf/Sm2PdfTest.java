package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.pki.cms.CmsFlavour;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static cn.yinxin.core.ByteSearch.indexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** SM2 seals in PDF (SM3withSM2 CMS in both flavours, B-B and B-T with an SM2 TSA and SM3 imprints). */
public class Sm2PdfTest {

    private static Sm2Material material;
    private static PdfVerifier verifier;

    @BeforeAll
    static void keys() throws Exception {
        material = new Sm2Material();
        verifier = new PdfVerifier(List.of(material.root), material.revocation());
    }

    static Stream<Arguments> flavoursAndLevels() {
        return Stream.of(Arguments.of(CmsFlavour.PKCS7, SignatureLevel.B_B),
                Arguments.of(CmsFlavour.PKCS7, SignatureLevel.B_T),
                Arguments.of(CmsFlavour.GMT_0010, SignatureLevel.B_B),
                Arguments.of(CmsFlavour.GMT_0010, SignatureLevel.B_T));
    }

    @ParameterizedTest
    @MethodSource("flavoursAndLevels")
    void sealedWithSm2AndVerifiedValid(CmsFlavour flavour, SignatureLevel level) throws Exception {
        byte[] sealed = seal(flavour, level);

        VerificationReport report = verifier.verify(sealed);
        var signature = report.signatures().get(0);
        assertThat(report.verdict()).as(signature.reasons().toString()).isEqualTo(Verdict.VALID);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_PASSED);
        assertThat(signature.format()).isEqualTo(level == SignatureLevel.B_B ? "PAdES-BASELINE-B" : "PAdES-BASELINE-T");
        assertThat(signature.reasons()).anyMatch(r -> r.startsWith("CMS flavour: " + flavour.name() + "."));
        assertThat(signature.reasons()).anyMatch(r -> r.contains("chains to the trusted root") && r.contains("SM2 Test Root"));
        assertThat(signature.seal().name()).isEqualTo("测试专用章");

        // the structure: the flavour's two content types, SM3 digest, SM3withSM2 signature
        Cms cms = cms(sealed);
        assertThat(cms.info.getContentType()).isEqualTo(flavour.signedDataType());
        SignedData signedData = SignedData.getInstance(cms.info.getContent());
        assertThat(signedData.getEncapContentInfo().getContentType()).isEqualTo(flavour.dataType());
        assertThat(signedData.getEncapContentInfo().getContent()).as("detached").isNull();
        SignerInformation signer = cms.signer();
        assertThat(signer.getDigestAlgOID()).isEqualTo("1.2.156.10197.1.401");
        assertThat(signer.getEncryptionAlgOID()).isEqualTo("1.2.156.10197.1.501");
        assertThat(signer.getSignedAttributes().get(CMSAttributes.contentType).getAttrValues().getObjectAt(0))
                .isEqualTo(flavour.dataType());
        assertThat(signer.getSignedAttributes().get(CMSAttributes.signingTime)).isNull();

        if (level == SignatureLevel.B_T) {
            assertThat(signature.timeStampedAt()).isNotNull();
            var attribute = signer.getUnsignedAttributes().get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
            TimeStampToken token = new TimeStampToken(ContentInfo.getInstance(attribute.getAttrValues().getObjectAt(0)));
            assertThat(token.getTimeStampInfo().getMessageImprintAlgOID()).isEqualTo(GMObjectIdentifiers.sm3);
            assertThat(token.getTimeStampInfo().getMessageImprintDigest()).isEqualTo(sm3(signer.getSignature()));
            assertThat(token.getSID().getSerialNumber()).isEqualTo(material.tsaKey.certificate().getSerialNumber());
            assertThat(Sm2Signatures.isSm2(material.tsaKey.certificate().getPublicKey())).isTrue();
            assertThat(signature.reasons()).anyMatch(r -> r.contains("SM2 Test TSA"));
        }
    }

    @ParameterizedTest
    @EnumSource(CmsFlavour.class)
    void oneChangedByteGivesHashFailure(CmsFlavour flavour) throws Exception {
        byte[] sealed = seal(flavour, SignatureLevel.B_B);
        int at = indexOf(sealed, "841.8") + 4;
        sealed[at] = (byte) (sealed[at] == '9' ? '8' : sealed[at] + 1);

        var signature = verifier.verify(sealed).signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.HASH_FAILURE);
        assertThat(signature.reasons().get(0)).contains("SM3");
    }

    @ParameterizedTest
    @EnumSource(CmsFlavour.class)
    void aSignatureMadeWithAnotherUserIdFails(CmsFlavour flavour) throws Exception {
        byte[] sealed = seal(flavour, SignatureLevel.B_B);
        Cms cms = cms(sealed);
        // the same signed attributes, signed by the right key but with another SM2 user ID
        byte[] wrong = Sm2Signatures.sign(material.sealKey.privateKey(), cms.signer().getEncodedSignedAttributes(),
                "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII));
        byte[] forged = replaceCms(sealed, cms.withSignatureValue(wrong));

        var signature = verifier.verify(forged).signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.SIG_CRYPTO_FAILURE);

        // control: the same surgery with the right user ID verifies, so the failure is the user ID's
        byte[] right = Sm2Signatures.sign(material.sealKey.privateKey(), cms.signer().getEncodedSignedAttributes());
        assertThat(verifier.verify(replaceCms(sealed, cms.withSignatureValue(right))).verdict()).isEqualTo(Verdict.VALID);
    }

    @ParameterizedTest
    @EnumSource(CmsFlavour.class)
    void aRawRsSignatureValueIsAccepted(CmsFlavour flavour) throws Exception {
        byte[] sealed = seal(flavour, SignatureLevel.B_B);
        Cms cms = cms(sealed);
        byte[] raw = Sm2Signatures.toRaw(cms.signer().getSignature());
        assertThat(raw).hasSize(64);

        var report = verifier.verify(replaceCms(sealed, cms.withSignatureValue(raw)));
        assertThat(report.verdict()).as(report.signatures().get(0).reasons().toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures().get(0).reasons()).anyMatch(r -> r.contains("raw r||s"));

        // and a raw value that is wrong still fails
        raw[40] ^= 1;
        assertThat(verifier.verify(replaceCms(sealed, cms.withSignatureValue(raw))).signatures().get(0).subIndication())
                .isEqualTo(SubIndication.SIG_CRYPTO_FAILURE);
    }

    @Test
    void gmtFlavourIsRefusedForAnotherKeyAlgorithm() throws Exception {
        TestMaterial p256 = new TestMaterial();
        PdfSealer sealer = new PdfSealer().withCmsFlavour(CmsFlavour.GMT_0010);
        assertThatThrownBy(() -> sealer.seal(TestMaterial.onePagePdf(0), p256.request(1, 100, 100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SM2");
    }

    /**
     * Outside our code: Bouncy Castle's low-level SM2Signer (not the JCA path the verifier uses) with the user ID as
     * ParametersWithID, over the DER of the signed attributes; the message digest recomputed with the low-level
     * SM3Digest over the /ByteRange bytes.
     */
    @ParameterizedTest
    @EnumSource(CmsFlavour.class)
    void lowLevelSm2SignerVerifiesTheSignatureValue(CmsFlavour flavour) throws Exception {
        byte[] sealed = seal(flavour, SignatureLevel.B_B);
        Cms cms = cms(sealed);
        SignerInformation signer = cms.signer();
        byte[] attributes = signer.getEncodedSignedAttributes();
        PublicKey key = material.sealKey.certificate().getPublicKey();

        assertThat(lowLevelVerify(key, attributes, signer.getSignature(), "1234567812345678")).isTrue();
        assertThat(lowLevelVerify(key, attributes, signer.getSignature(), "")).isFalse();

        byte[] expected = ASN1OctetString.getInstance(signer.getSignedAttributes().get(CMSAttributes.messageDigest)
                .getAttrValues().getObjectAt(0)).getOctets();
        SM3Digest sm3 = new SM3Digest();
        sm3.update(cms.signedBytes, 0, cms.signedBytes.length);
        byte[] actual = new byte[32];
        sm3.doFinal(actual, 0);
        assertThat(actual).isEqualTo(expected);
    }

    /**
     * Outside our code and outside Java: OpenSSL 3 (when installed with SM2) verifies the signature value over the
     * signed attributes with distid 1234567812345678, and refuses it with another distid.
     */
    @Test
    void opensslVerifiesTheSignatureValue() throws Exception {
        assumeTrue(run(List.of("openssl", "version")) != null, "openssl not installed");
        byte[] sealed = seal(CmsFlavour.GMT_0010, SignatureLevel.B_B);
        Cms cms = cms(sealed);
        Path dir = Files.createDirectories(Path.of("target", "sm2-openssl"));
        Path attributes = Files.write(dir.resolve("signed-attributes.der"), cms.signer().getEncodedSignedAttributes());
        Path signature = Files.write(dir.resolve("signature.der"), cms.signer().getSignature());
        Path key = Files.writeString(dir.resolve("seal-key.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
                        material.sealKey.certificate().getPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Path content = Files.write(dir.resolve("signed-bytes.bin"), cms.signedBytes);

        String right = run(List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key.toString(), "-rawin",
                "-digest", "sm3", "-pkeyopt", "distid:1234567812345678", "-in", attributes.toString(),
                "-sigfile", signature.toString()));
        assumeTrue(right != null && !right.contains("unsupported") && !right.contains("Unknown"),
                "this openssl cannot verify SM2: " + right);
        System.out.println("openssl (distid 1234567812345678): " + right.strip());
        assertThat(right).contains("Signature Verified Successfully");

        String wrong = run(List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key.toString(), "-rawin",
                "-digest", "sm3", "-pkeyopt", "distid:ALICE123@YAHOO.COM", "-in", attributes.toString(),
                "-sigfile", signature.toString()));
        System.out.println("openssl (distid ALICE123@YAHOO.COM): " + wrong.strip());
        assertThat(wrong).doesNotContain("Signature Verified Successfully");

        String digest = run(List.of("openssl", "dgst", "-sm3", "-r", content.toString()));
        byte[] expected = ASN1OctetString.getInstance(cms.signer().getSignedAttributes().get(CMSAttributes.messageDigest)
                .getAttrValues().getObjectAt(0)).getOctets();
        assertThat(digest).startsWith(Hex.toHexString(expected));
    }

    /** poppler's pdfsig, for the record only: it is not asked to judge SM2. */
    @Test
    void popplerSaysWhatItSays() throws Exception {
        assumeTrue(run(List.of("pdfsig", "-v")) != null, "pdfsig not installed");
        Path dir = Files.createDirectories(Path.of("target", "sm2-pdfsig"));
        for (CmsFlavour flavour : CmsFlavour.values()) {
            Path file = Files.write(dir.resolve("sm2-" + flavour + ".pdf"), seal(flavour, SignatureLevel.B_T));
            System.out.println("pdfsig on the " + flavour + " SM2 seal:\n" + run(List.of("pdfsig", file.toString())));
        }
    }

    // --- helpers

    private static byte[] seal(CmsFlavour flavour, SignatureLevel level) throws Exception {
        PdfSealer sealer = new PdfSealer(material.timeStamper(), material.revocation()).withCmsFlavour(flavour);
        return sealer.seal(TestMaterial.onePagePdf(0), material.request(level));
    }

    static boolean lowLevelVerify(PublicKey key, byte[] data, byte[] signature, String userId) throws Exception {
        SM2Signer signer = new SM2Signer();
        signer.init(false, new ParametersWithID((ECPublicKeyParameters) ECUtil.generatePublicKeyParameter(key),
                userId.getBytes(StandardCharsets.US_ASCII)));
        signer.update(data, 0, data.length);
        return signer.verifySignature(signature);
    }

    static byte[] sm3(byte[] data) throws Exception {
        return java.security.MessageDigest.getInstance("SM3", Providers.bouncyCastle()).digest(data);
    }

    /** The CMS of the document's last signature, with the bytes its /ByteRange covers. */
    public record Cms(ContentInfo info, byte[] signedBytes, long[] byteRange) {
        public SignerInformation signer() throws Exception {
            CMSSignedData data = new CMSSignedData(new CMSProcessableByteArray(signedBytes), info);
            return data.getSignerInfos().getSigners().iterator().next();
        }

        /** The same CMS with another signature value in its one SignerInfo. */
        byte[] withSignatureValue(byte[] value) throws IOException {
            SignedData signedData = SignedData.getInstance(info.getContent());
            SignerInfo old = SignerInfo.getInstance(signedData.getSignerInfos().getObjectAt(0));
            SignerInfo replaced = new SignerInfo(old.getSID(), old.getDigestAlgorithm(), old.getAuthenticatedAttributes(),
                    old.getDigestEncryptionAlgorithm(), new DEROctetString(value), old.getUnauthenticatedAttributes());
            SignedData changed = new SignedData(signedData.getDigestAlgorithms(), signedData.getEncapContentInfo(),
                    signedData.getCertificates(), signedData.getCRLs(), new DERSet(replaced));
            return new ContentInfo(info.getContentType(), changed).getEncoded("DER");
        }
    }

    public static Cms cms(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDSignature signature = document.getLastSignatureDictionary();
            try (ASN1InputStream in = new ASN1InputStream(signature.getContents())) {
                return new Cms(ContentInfo.getInstance(in.readObject()), signature.getSignedContent(pdf),
                        toLong(signature.getByteRange()));
            }
        }
    }

    private static long[] toLong(int[] range) {
        return new long[] {range[0], range[1], range[2], range[3]};
    }

    /** Writes another CMS into the /Contents hex string of the last signature, padded with zeros as before. */
    public static byte[] replaceCms(byte[] pdf, byte[] cms) throws Exception {
        long[] range = cms(pdf).byteRange();
        int start = (int) (range[0] + range[1]);
        int end = (int) range[2];
        assertThat(pdf[start]).isEqualTo((byte) '<');
        assertThat(pdf[end - 1]).isEqualTo((byte) '>');
        int room = end - start - 2;
        String hex = Hex.toHexString(cms).toUpperCase();
        assertThat(hex.length()).isLessThanOrEqualTo(room);
        byte[] copy = pdf.clone();
        byte[] padded = (hex + "0".repeat(room - hex.length())).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(padded, 0, copy, start + 1, room);
        return copy;
    }


    /** Output (stdout and stderr) of a command, or null when it cannot be started. */
    static String run(List<String> command) throws Exception {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    @SuppressWarnings("unused")
    private static final ASN1ObjectIdentifier UNUSED = GMObjectIdentifiers.sm3;
}
