package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.Providers;
import org.junit.jupiter.api.Test;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/** One kept key object per exact key encoding; never another key's object, and signatures still verified each time. */
class PublicKeysTest {

    @Test
    void theSameKeyReadTwiceGivesOneObjectAnotherKeyItsOwn() throws Exception {
        KeyPair one = ecKeyPair();
        KeyPair two = ecKeyPair();
        PublicKey first = PublicKeys.kept(reread(one.getPublic()));
        assertThat(PublicKeys.kept(reread(one.getPublic()))).isSameAs(first);
        assertThat(first.getEncoded()).isEqualTo(one.getPublic().getEncoded());

        PublicKey other = PublicKeys.kept(reread(two.getPublic()));
        assertThat(other).isNotSameAs(first);
        assertThat(other.getEncoded()).isEqualTo(two.getPublic().getEncoded());
    }

    @Test
    void aKeptKeyStillTellsItsOwnSignaturesFromOthers() throws Exception {
        KeyPair signer = ecKeyPair();
        KeyPair stranger = ecKeyPair();
        byte[] data = "the signed bytes".getBytes();
        PublicKey kept = PublicKeys.kept(reread(signer.getPublic()));
        for (int i = 0; i < 8; i++) { // past the uses after which Bouncy Castle builds the point's comb
            assertThat(verifies(PublicKeys.kept(reread(signer.getPublic())), data, sign(signer, data))).isTrue();
            assertThat(verifies(kept, data, sign(stranger, data))).isFalse();
            assertThat(verifies(kept, "other bytes".getBytes(), sign(signer, data))).isFalse();
        }
    }

    private static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.bouncyCastle());
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** The key as a certificate gives it: a new object each time. */
    private static PublicKey reread(PublicKey key) throws Exception {
        return KeyFactory.getInstance("EC", Providers.bouncyCastle()).generatePublic(
                new X509EncodedKeySpec(key.getEncoded()));
    }

    private static byte[] sign(KeyPair pair, byte[] data) throws Exception {
        Signature signature = Signature.getInstance("SHA256withECDSA", Providers.bouncyCastle());
        signature.initSign(pair.getPrivate());
        signature.update(data);
        return signature.sign();
    }

    private static boolean verifies(PublicKey key, byte[] data, byte[] value) throws Exception {
        Signature signature = Signature.getInstance("SHA256withECDSA", Providers.bouncyCastle());
        signature.initVerify(key);
        signature.update(data);
        return signature.verify(value);
    }
}
