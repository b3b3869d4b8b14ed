package cn.yinxin.core.pki.keys;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.cms.CmsFlavour;
import cn.yinxin.core.pki.Providers;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SM2 seal keys in a real PKCS#11 token: SoftHSM2 built with the SM3withSM2 mechanism of .ci/softhsm-sm2 (Debian's
 * SoftHSM2 has none). The key pair is made in the token and the token signs; Bouncy Castle, which has no part in
 * making the signature, verifies it.
 */
class Pkcs11Sm2Test {

    static final Path SM2_LIBRARY = Path.of("/usr/local/lib/yinxin-softhsm-sm2/libsofthsm2.so");
    private static final char[] PIN = "4321".toCharArray();
    private static long slot;
    private static KeyPair rootKeys;
    private static X509Certificate root;

    @BeforeAll
    static void token() throws Exception {
        assertThat(SM2_LIBRARY).as("the SM2 token must be built: bash .ci/softhsm-sm2/build").exists();
        Pkcs11VaultTest.tokens();
        slot = Pkcs11VaultTest.sm2Slot;
        rootKeys = KeyAlgorithm.SM2.generate(Providers.bouncyCastle());
        root = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("SM2 HSM Test Root"), rootKeys,
                Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
    }

    /** A session of the test's own on the token (the vault's login holds for the whole application). */
    private static Session session() throws Exception {
        return Arrays.stream(PKCS11Module.getInstance(SM2_LIBRARY.toString()).getSlotList(true))
                .filter(s -> s.getSlotID() == slot).findFirst().orElseThrow().getToken().openSession(false);
    }

    private static SealKey makeSeal(Pkcs11Vault vault, String alias) throws Exception {
        SealKey ca = new SealKey(rootKeys.getPrivate(), List.of(root));
        return vault.create(alias, KeyAlgorithm.SM2, key -> List.of(CertificateMaker.issue(
                CertificateMaker.sealSubject("HSM 国密专用章", "测试局", "91350100M000100Y43"), key.publicKey(),
                Profile.AGENCY_SEAL, ca, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(10), null), root));
    }

    @Test
    void theTokenMakesTheSm2KeyAndSignsSm3WithSm2() throws Exception {
        Pkcs11Vault vault = new Pkcs11Vault(SM2_LIBRARY, slot, PIN);
        SealKey seal = makeSeal(vault, "sm2-direct");
        PublicKey publicKey = seal.certificate().getPublicKey();
        assertThat(KeyAlgorithm.of(publicKey)).isEqualTo(KeyAlgorithm.SM2);
        assertThat(seal.privateKey().getEncoded()).as("a handle only").isNull();

        byte[] message = "国密 SM3withSM2 in the token".getBytes(StandardCharsets.UTF_8);
        byte[] signature = Sm2Signatures.sign(seal.privateKey(), message);
        // Bouncy Castle's own SM2 verifier, with the default ID of GB/T 35276
        assertThat(bcVerify(publicKey, message, signature, "1234567812345678")).isTrue();
        assertThat(bcVerify(publicKey, "another message".getBytes(StandardCharsets.UTF_8), signature,
                "1234567812345678")).isFalse();
        assertThat(bcVerify(publicKey, message, signature, "ALICE123@YAHOO.COM")).as("Z binds the ID").isFalse();

        // the same check written out from GB/T 32918.2: Z from ENTL, ID, the curve and the public key; e = SM3(Z || M)
        assertThat(verifyByTheStandard(publicKey, message, signature, "1234567812345678")).isTrue();

        // another signer ID reaches the token as the mechanism parameter
        byte[] alice = "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII);
        byte[] withAlice = Sm2Signatures.sign(seal.privateKey(), message, alice);
        assertThat(bcVerify(publicKey, message, withAlice, "ALICE123@YAHOO.COM")).isTrue();
        assertThat(bcVerify(publicKey, message, withAlice, "1234567812345678")).isFalse();

        // SM2 signatures are randomised: two signatures of one message differ, both verify
        byte[] again = Sm2Signatures.sign(seal.privateKey(), message);
        assertThat(again).isNotEqualTo(signature);
        assertThat(Sm2Signatures.verify(publicKey, message, again)).isTrue();
    }

    @Test
    void theSm2PrivateKeyNeverLeavesTheToken() throws Exception {
        Pkcs11Vault vault = new Pkcs11Vault(SM2_LIBRARY, slot, PIN);
        makeSeal(vault, "sm2-kept");
        Pkcs11Sm2.open(SM2_LIBRARY, slot, PIN); // logged in
        Session session = session();
        long[] keys = session.findObjectsSingle(AttributeVector.newPrivateKey(PKCS11Constants.CKK_EC).label("sm2-kept"), 2);
        assertThat(keys).hasSize(1);
        AttributeVector flags = session.getAttrValues(keys[0], PKCS11Constants.CKA_SENSITIVE,
                PKCS11Constants.CKA_EXTRACTABLE, PKCS11Constants.CKA_LOCAL, PKCS11Constants.CKA_NEVER_EXTRACTABLE,
                PKCS11Constants.CKA_PRIVATE);
        assertThat(flags.private_()).as("only after login").isTrue();
        assertThat(flags.sensitive()).isTrue();
        assertThat(flags.extractable()).isFalse();
        assertThat(flags.local()).as("generated in the token").isTrue();
        assertThat(flags.neverExtractable()).isTrue();
        // the token answers CKR_ATTRIBUTE_SENSITIVE for the private value: nothing comes back
        assertThat(session.getAttrValues(keys[0], PKCS11Constants.CKA_VALUE).value()).isNull();
    }

    @Test
    void aPdfSealedWithTheTokensSm2KeyVerifies() throws Exception {
        Pkcs11Vault vault = new Pkcs11Vault(SM2_LIBRARY, slot, PIN);
        SealKey seal = makeSeal(vault, "sm2-pdf");
        for (CmsFlavour flavour : CmsFlavour.values()) {
            byte[] sealed = new PdfSealer().withCmsFlavour(flavour).seal(Pkcs11VaultTest.onePage(), new SealRequest(seal,
                    new SealAppearance(Pkcs11VaultTest.redPng(), 30, 30), new SealPlacement(1, 100, 100),
                    "HSM 国密专用章", null, Instant.now()));
            var report = new PdfVerifier(List.of(root)).verify(sealed);
            assertThat(report.verdict()).as(flavour + ": " + report.signatures().get(0).reasons()).isEqualTo(Verdict.VALID);
            assertThat(report.signatures().get(0).reasons()).anyMatch(r -> r.contains("CMS flavour: " + flavour.name()));

        }
    }

    @Test
    void theSm2KeyIsATokenObjectFoundByName() throws Exception {
        SealKey seal = makeSeal(new Pkcs11Vault(SM2_LIBRARY, slot, PIN), "sm2-named");
        Pkcs11Vault reopened = new Pkcs11Vault(SM2_LIBRARY, slot, PIN);
        assertThat(reopened.aliases()).contains("sm2-named");
        assertThat(reopened.contains("sm2-named")).isTrue();
        SealKey found = reopened.get("sm2-named");
        assertThat(found.chain()).isEqualTo(seal.chain());
        byte[] message = {1, 2, 3};
        assertThat(Sm2Signatures.verify(found.certificate().getPublicKey(), message,
                Sm2Signatures.sign(found.privateKey(), message))).isTrue();
        assertThatThrownBy(() -> makeSeal(reopened, "sm2-named")).hasMessageContaining("already holds");
        assertThatThrownBy(() -> reopened.get("no-such-key")).hasMessageContaining("no key named");
    }

    @Test
    void aKeyWhoseCertificationFailsLeavesNothingInTheToken() throws Exception {
        Pkcs11Vault vault = new Pkcs11Vault(SM2_LIBRARY, slot, PIN);
        assertThatThrownBy(() -> vault.create("sm2-unfinished", KeyAlgorithm.SM2, key -> {
            throw new java.security.GeneralSecurityException("the CA refused");
        })).hasMessage("the CA refused");
        Pkcs11Sm2.open(SM2_LIBRARY, slot, PIN); // logged in
        Session session = session();
        assertThat(session.findAllObjectsSingle(new AttributeVector().label("sm2-unfinished")))
                .as("no key pair, no chain left behind").isEmpty();
        assertThat(vault.contains("sm2-unfinished")).isFalse();
        // the name is free again: a second attempt makes exactly one key
        makeSeal(vault, "sm2-unfinished");
        assertThat(session.findAllObjectsSingle(AttributeVector.newPrivateKey(PKCS11Constants.CKK_EC)
                .label("sm2-unfinished"))).hasSize(1);
    }

    @Test
    void aDestroyedSm2KeyLeavesNothingInTheToken() throws Exception {
        Pkcs11Vault vault = new Pkcs11Vault(SM2_LIBRARY, slot, PIN);
        makeSeal(vault, "sm2-renewed-old");
        makeSeal(vault, "sm2-renewed-new");
        vault.destroy("sm2-renewed-old");
        Pkcs11Sm2.open(SM2_LIBRARY, slot, PIN); // logged in
        Session session = session();
        assertThat(session.findAllObjectsSingle(new AttributeVector().label("sm2-renewed-old")))
                .as("no private key, public key or chain left").isEmpty();
        Pkcs11Vault reopened = new Pkcs11Vault(SM2_LIBRARY, slot, PIN);
        assertThat(reopened.aliases()).doesNotContain("sm2-renewed-old").contains("sm2-renewed-new");
        byte[] message = {4, 5, 6};
        SealKey kept = reopened.get("sm2-renewed-new");
        assertThat(Sm2Signatures.verify(kept.certificate().getPublicKey(), message,
                Sm2Signatures.sign(kept.privateKey(), message))).isTrue();
    }

    @Test
    void debiansSoftHsmHasNoSm2AndSaysSo() throws Exception {
        Pkcs11Vault vault = new Pkcs11Vault(Pkcs11VaultTest.LIBRARY, Pkcs11VaultTest.plainSlot, PIN);
        assertThatThrownBy(() -> makeSeal(vault, "sm2-nowhere")).hasMessageContaining("SM2 mechanisms");
    }

    // --- verification without the token

    private static boolean bcVerify(PublicKey key, byte[] data, byte[] signature, String id) throws Exception {
        SM2Signer signer = new SM2Signer();
        signer.init(false, new ParametersWithID((ECPublicKeyParameters) ECUtil.generatePublicKeyParameter(key),
                id.getBytes(StandardCharsets.US_ASCII)));
        signer.update(data, 0, data.length);
        return signer.verifySignature(signature);
    }

    /** GB/T 32918.2 section 7: t = (r + s) mod n, (x1, y1) = [s]G + [t]P, R = (e + x1) mod n must equal r. */
    private static boolean verifyByTheStandard(PublicKey key, byte[] message, byte[] der, String id) throws Exception {
        ECPublicKeyParameters publicKey = (ECPublicKeyParameters) ECUtil.generatePublicKeyParameter(key);
        ECDomainParameters curve = publicKey.getParameters();
        // the certificate's curve is the SM2 curve of GB/T 32918.5
        assertThat(curve.getCurve().getField().getCharacteristic())
                .isEqualTo(GMNamedCurves.getByName("sm2p256v1").getCurve().getField().getCharacteristic());
        ECPoint p = publicKey.getQ().normalize();
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        MessageDigest sm3 = MessageDigest.getInstance("SM3", Providers.bouncyCastle());
        int entl = idBytes.length * 8;
        sm3.update(new byte[] {(byte) (entl >> 8), (byte) entl});
        sm3.update(idBytes);
        for (BigInteger v : List.of(curve.getCurve().getA().toBigInteger(), curve.getCurve().getB().toBigInteger(),
                curve.getG().getAffineXCoord().toBigInteger(), curve.getG().getAffineYCoord().toBigInteger(),
                p.getAffineXCoord().toBigInteger(), p.getAffineYCoord().toBigInteger())) {
            sm3.update(fixed32(v));
        }
        byte[] z = sm3.digest();
        sm3.update(z);
        BigInteger e = new BigInteger(1, sm3.digest(message));
        ASN1Sequence pair = ASN1Sequence.getInstance(der);
        BigInteger r = ASN1Integer.getInstance(pair.getObjectAt(0)).getPositiveValue();
        BigInteger s = ASN1Integer.getInstance(pair.getObjectAt(1)).getPositiveValue();
        BigInteger n = curve.getN();
        BigInteger t = r.add(s).mod(n);
        if (t.signum() == 0) {
            return false;
        }
        ECPoint xy = curve.getG().multiply(s).add(p.multiply(t)).normalize();
        return e.add(xy.getAffineXCoord().toBigInteger()).mod(n).equals(r);
    }

    private static byte[] fixed32(BigInteger v) {
        byte[] bytes = v.toByteArray();
        byte[] out = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
        return out;
    }
}
