package cn.yinxin.core.pki.keys;

import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.SignatureException;

/**
 * SM3withSM2 with the signer ID set explicitly to 1234567812345678. Bouncy Castle's JcaContentSignerBuilder does
 * not take an SM2ParameterSpec, so the signature is driven here directly.
 */
final class Sm2ContentSigner implements ContentSigner {

    private static final AlgorithmIdentifier SM3_WITH_SM2 = new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3);

    private final Signature signature;

    Sm2ContentSigner(PrivateKey key, Provider provider) throws GeneralSecurityException {
        signature = Signature.getInstance("SM3withSM2", provider);
        signature.setParameter(new SM2ParameterSpec(Signers.SM2_USER_ID));
        signature.initSign(key);
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return SM3_WITH_SM2;
    }

    @Override
    public OutputStream getOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                try {
                    signature.update(bytes, offset, length);
                } catch (SignatureException e) {
                    throw new RuntimeOperatorException("SM2 signing failed", e);
                }
            }
        };
    }

    @Override
    public byte[] getSignature() {
        try {
            return signature.sign();
        } catch (SignatureException e) {
            throw new RuntimeOperatorException("SM2 signing failed", e);
        }
    }
}
