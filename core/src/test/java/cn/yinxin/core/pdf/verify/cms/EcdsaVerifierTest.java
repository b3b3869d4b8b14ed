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
