package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.Providers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.RawContentVerifier;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ECDSA verifier {@link SignerVerifiers} hands to Bouncy Castle's CMS code answers as Bouncy Castle's own for
 * every SHA-2 variant: a good signature, the same signature over changed bytes, a changed signature, a signature by
 * another key, a value that is no DER signature, and the digest-only check of a signature without signed
 * attributes.
 */
class EcdsaVerifierTest {

    private static final Map<ASN1ObjectIdentifier, String> SIGNING = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA224, "SHA224withECDSA", X9ObjectIdentifiers.ecdsa_with_SHA256,
            "SHA256withECDSA", X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA");

    @Test
    void answersAsBouncyCastlesOwnVerifier() throws Exception {
        KeyPair keys = keys();
        KeyPair other = keys();
        X509Certificate certificate = certificate(keys);
        Random random = new Random(3);
        for (Map.Entry<ASN1ObjectIdentifier, String> algorithm : SIGNING.entrySet()) {
            AlgorithmIdentifier id = new AlgorithmIdentifier(algorithm.getKey());
            assertThat(SignerVerifiers.contentVerifiers(certificate).get(id)).isInstanceOf(EcdsaVerifier.class);
            for (int n = 0; n < 20; n++) {
                byte[] data = new byte[1 + random.nextInt(300)];
                random.nextBytes(data);
                byte[] good = sign(algorithm.getValue(), keys, data);
                byte[] changedData = data.clone();
                changedData[random.nextInt(data.length)] ^= 1;
                byte[] changedValue = good.clone();
                changedValue[good.length - 1 - random.nextInt(8)] ^= 4;
                byte[] garbage = new byte[good.length];
                random.nextBytes(garbage);
                List<byte[][]> cases = List.of(new byte[][]{data, good}, new byte[][]{changedData, good},
                        new byte[][]{data, changedValue}, new byte[][]{data, sign(algorithm.getValue(), other, data)},
                        new byte[][]{data, garbage});
                for (byte[][] one : cases) {
                    String what = algorithm.getValue() + " case " + cases.indexOf(one);
                    assertThat(answer(SignerVerifiers.contentVerifiers(certificate).get(id), one[0], one[1]))
                            .as(what).isEqualTo(answer(bouncyCastle(certificate, id), one[0], one[1]));
                    byte[] digest = MessageDigest.getInstance(algorithm.getValue().replace("withECDSA", "")
                            .replace("SHA", "SHA-")).digest(one[0]);
                    assertThat(rawAnswer(SignerVerifiers.contentVerifiers(certificate).get(id), digest, one[1]))
                            .as("digest only, " + what)
                            .isEqualTo(rawAnswer(bouncyCastle(certificate, id), digest, one[1]));
                }
                assertThat(answer(SignerVerifiers.contentVerifiers(certificate).get(id), data, good)).isEqualTo("true");
            }
        }
    }

    /**
     * A whole CMS signer info whose algorithms and value were tampered with answers through {@link SignerVerifiers}
     * exactly as through Bouncy Castle's {@code JcaSimpleSignerInfoVerifierBuilder}: every digest algorithm against
     * every signature algorithm OID (ECDSA with SHA-1/2/3, the bare EC key OID, RSA, PSS, DSA, SM2), with and
     * without signed attributes, and the value as signed, BER-framed, high-S, zero, with trailing bytes.
     */
    @Test
    void tamperedSignerInfosAnswerAsBouncyCastlesBuilder() throws Exception {
        byte[] content = "the signed revision".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<ASN1ObjectIdentifier> digests = List.of(org.bouncycastle.asn1.oiw.OIWObjectIdentifiers.idSHA1,
                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha224,
                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256,
                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha384,
                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha512,
                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha3_256,
                org.bouncycastle.asn1.gm.GMObjectIdentifiers.sm3);
        List<ASN1ObjectIdentifier> signatures = List.of(X9ObjectIdentifiers.id_ecPublicKey,
                X9ObjectIdentifiers.ecdsa_with_SHA1, X9ObjectIdentifiers.ecdsa_with_SHA224,
                X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
                X9ObjectIdentifiers.ecdsa_with_SHA512,
                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_ecdsa_with_sha3_256,
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption,
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.sha256WithRSAEncryption,
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_RSASSA_PSS,
                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.dsa_with_sha256,
                org.bouncycastle.asn1.gm.GMObjectIdentifiers.sm2sign_with_sm3);
        int compared = 0;
        int valid = 0;
        // keys of the usual curve, of unusual ones, with explicit curve parameters, RSA and SM2, each with what
        // it signs with
        var explicit = org.bouncycastle.asn1.x9.ECNamedCurveTable.getByName("secp256r1");
        Map<KeyPair, List<String>> keyKinds = Map.of(keys(), List.copyOf(SIGNING.values()),
                keys(new ECGenParameterSpec("secp256k1")), List.of("SHA256withECDSA"),
                keys(new ECGenParameterSpec("brainpoolP256r1")), List.of("SHA384withECDSA"),
                keys(new org.bouncycastle.jce.spec.ECParameterSpec(explicit.getCurve(), explicit.getG(),
                        explicit.getN(), explicit.getH())), List.of("SHA256withECDSA"),
                keys(new ECGenParameterSpec("sm2p256v1")), List.of("SM3withSM2", "SHA256withECDSA"),
                rsaKeys(), List.of("SHA256withRSA"));
        for (boolean attributes : List.of(true, false)) {
          for (Map.Entry<KeyPair, List<String>> kind : keyKinds.entrySet()) {
            KeyPair keys = kind.getKey();
            X509Certificate certificate = certificate(keys, kind.getValue().getFirst());
            for (String signing : kind.getValue()) {
                org.bouncycastle.cms.SignerInformation signed = signerInfo(keys, certificate, content, signing,
                        attributes);
                for (ASN1ObjectIdentifier digest : digests) {
                    for (ASN1ObjectIdentifier signature : signatures) {
                        List<byte[]> values = values(signed.getSignature());
                        for (int v = 0; v < values.size() + PARAMETERS.size(); v++) {
                            // the value as signed also under an algorithm carrying parameters (passed on by CMS)
                            byte[] value = values.get(Math.max(0, v - PARAMETERS.size()));
                            var parameters = v < PARAMETERS.size() ? PARAMETERS.get(v) : null;
                            org.bouncycastle.cms.SignerInformation one = tampered(signed, digest,
                                    new AlgorithmIdentifier(signature, parameters), value);
                            String ours = cmsAnswer(one, content, SignerVerifiers.of(certificate));
                            String theirs = cmsAnswer(one, content, new org.bouncycastle.cms.jcajce
                                    .JcaSimpleSignerInfoVerifierBuilder().setProvider(Providers.bouncyCastle())
                                    .build(certificate));
                            assertThat(ours).as(signing + " as " + digest + "/" + signature + " attributes "
                                    + attributes).isEqualTo(theirs);
                            compared++;
                            valid += "true".equals(ours) ? 1 : 0;
                        }
                    }
                }
            }
          }
        }
        assertThat(compared).isGreaterThan(2 * 10 * 7 * 12 * 2);
        assertThat(valid).isGreaterThan(20);
    }

    /** Parameters a signature algorithm identifier should not carry: NULL, a digest, an OID, an empty sequence. */
    private static final List<org.bouncycastle.asn1.ASN1Encodable> PARAMETERS = List.of(
            org.bouncycastle.asn1.DERNull.INSTANCE,
            new AlgorithmIdentifier(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha512),
            X9ObjectIdentifiers.prime256v1, new org.bouncycastle.asn1.DERSequence());

    /** The value as signed, BER-framed, high-S (n - s), r = 0, s = 0, with a trailing zero byte. */
    private static List<byte[]> values(byte[] der) throws Exception {
        if (der[0] != 0x30) {
            return List.of(der, java.util.Arrays.copyOf(der, der.length + 1)); // RSA
        }
        var sequence = org.bouncycastle.asn1.ASN1Sequence.getInstance(der);
        BigInteger r = org.bouncycastle.asn1.ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue();
        BigInteger s = org.bouncycastle.asn1.ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue();
        BigInteger n = org.bouncycastle.asn1.x9.ECNamedCurveTable.getByName("secp256r1").getN();
        byte[] ber = new byte[der.length + 1];
        ber[0] = 0x30;
        ber[1] = (byte) 0x81;
        System.arraycopy(der, 1, ber, 2, der.length - 1);
        byte[] trailing = java.util.Arrays.copyOf(der, der.length + 1);
        return List.of(der, ber, ecdsa(r, n.subtract(s)), ecdsa(BigInteger.ZERO, s), ecdsa(r, BigInteger.ZERO),
                trailing);
    }

    private static byte[] ecdsa(BigInteger r, BigInteger s) throws Exception {
        return new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[]{
                new org.bouncycastle.asn1.ASN1Integer(r), new org.bouncycastle.asn1.ASN1Integer(s)}).getEncoded();
    }

    private static org.bouncycastle.cms.SignerInformation signerInfo(KeyPair keys, X509Certificate certificate,
                                                                     byte[] content, String algorithm,
                                                                     boolean attributes) throws Exception {
        var generator = new org.bouncycastle.cms.CMSSignedDataGenerator();
        var builder = new org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder(
                new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder()
                        .setProvider(Providers.bouncyCastle()).build());
        builder.setDirectSignature(!attributes);
        generator.addSignerInfoGenerator(builder.build(new JcaContentSignerBuilder(algorithm)
                .setProvider(Providers.bouncyCastle()).build(keys.getPrivate()), certificate));
        var cms = generator.generate(new org.bouncycastle.cms.CMSProcessableByteArray(content), false);
        return cms.getSignerInfos().getSigners().iterator().next();
    }

    private static org.bouncycastle.cms.SignerInformation tampered(org.bouncycastle.cms.SignerInformation signed,
                                                                   ASN1ObjectIdentifier digest,
                                                                   AlgorithmIdentifier signature, byte[] value)
            throws Exception {
        var info = signed.toASN1Structure();
        var changed = new org.bouncycastle.asn1.cms.SignerInfo(info.getSID(),
                new AlgorithmIdentifier(digest), info.getAuthenticatedAttributes(), signature,
                new org.bouncycastle.asn1.DEROctetString(value), info.getUnauthenticatedAttributes());
        var data = new org.bouncycastle.asn1.cms.SignedData(new org.bouncycastle.asn1.DERSet(
                new AlgorithmIdentifier(digest)), new org.bouncycastle.asn1.cms.ContentInfo(
                org.bouncycastle.asn1.cms.CMSObjectIdentifiers.data, null), null, null,
                new org.bouncycastle.asn1.DERSet(changed));
        return new org.bouncycastle.cms.CMSSignedData(new org.bouncycastle.asn1.cms.ContentInfo(
                org.bouncycastle.asn1.cms.CMSObjectIdentifiers.signedData, data)).getSignerInfos().getSigners()
                .iterator().next();
    }

    private static String cmsAnswer(org.bouncycastle.cms.SignerInformation detached, byte[] content,
                                    org.bouncycastle.cms.SignerInformationVerifier verifier) {
        try {
            // detached: the content given again, as the verifier gives the signed byte ranges
            var cms = new org.bouncycastle.cms.CMSSignedData(new org.bouncycastle.cms.CMSProcessableByteArray(content),
                    new org.bouncycastle.asn1.cms.ContentInfo(org.bouncycastle.asn1.cms.CMSObjectIdentifiers.signedData,
                            new org.bouncycastle.asn1.cms.SignedData(new org.bouncycastle.asn1.DERSet(
                                    detached.getDigestAlgorithmID()), new org.bouncycastle.asn1.cms.ContentInfo(
                                    org.bouncycastle.asn1.cms.CMSObjectIdentifiers.data, null), null, null,
                                    new org.bouncycastle.asn1.DERSet(detached.toASN1Structure()))));
            return String.valueOf(cms.getSignerInfos().getSigners().iterator().next().verify(verifier));
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static ContentVerifier bouncyCastle(X509Certificate certificate, AlgorithmIdentifier id) throws Exception {
        return new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle()).build(certificate).get(id);
    }

    private static String answer(ContentVerifier verifier, byte[] data, byte[] value) {
        try {
            verifier.getOutputStream().write(data);
            return String.valueOf(verifier.verify(value));
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    private static String rawAnswer(ContentVerifier verifier, byte[] digest, byte[] value) {
        try {
            return String.valueOf(((RawContentVerifier) verifier).verify(digest, value));
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    private static byte[] sign(String algorithm, KeyPair keys, byte[] data) throws Exception {
        Signature signature = Signature.getInstance(algorithm, Providers.bouncyCastle());
        signature.initSign(keys.getPrivate());
        signature.update(data);
        return signature.sign();
    }

    private static KeyPair keys(java.security.spec.AlgorithmParameterSpec curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.bouncyCastle());
        generator.initialize(curve);
        return generator.generateKeyPair();
    }

    private static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(KeyPair keys, String algorithm) throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Seal"), BigInteger.ONE,
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=Seal"), keys.getPublic());
        return new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle()).getCertificate(builder.build(
                new JcaContentSignerBuilder(algorithm).setProvider(Providers.bouncyCastle()).build(keys.getPrivate())));
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(KeyPair keys) throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Seal"), BigInteger.ONE,
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=Seal"), keys.getPublic());
        return new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle()).getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
