package cn.yinxin.core.pki.keys;

import org.bouncycastle.jcajce.spec.SM2ParameterSpec;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.util.List;

/**
 * SM3withSM2 by a key in a PKCS#11 token ({@link Pkcs11Sm2}): the message is collected and given to the token in one
 * C_Sign (the token hashes it with Z).
 */
final class TokenSignature extends SignatureSpi {
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private byte[] userId = Signers.SM2_USER_ID;
    private Pkcs11Sm2.TokenKey key;

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
        if (!(privateKey instanceof Pkcs11Sm2.TokenKey tokenKey)) {
            throw new InvalidKeyException("not an SM2 key of a PKCS#11 token");
        }
        key = tokenKey;
        message.reset();
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
        throw new InvalidKeyException("SM2 signatures are verified with Bouncy Castle, not by the token");
    }

    @Override
    protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
        if (!(params instanceof SM2ParameterSpec sm2)) {
            throw new InvalidAlgorithmParameterException("only an SM2ParameterSpec (the signer ID)");
        }
        userId = sm2.getID().clone();
    }

    @Override
    protected void engineUpdate(byte b) {
        message.write(b);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) {
        message.write(b, off, len);
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        if (key == null) {
            throw new SignatureException("not initialised for signing");
        }
        try {
            return key.token.sign(key.handle, message.toByteArray(), userId);
        } catch (SignatureException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new SignatureException(e.getMessage(), e);
        } finally {
            message.reset();
        }
    }

    @Override
    protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
        throw new SignatureException("SM2 signatures are verified with Bouncy Castle, not by the token");
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
        throw new InvalidParameterException("no such parameter: " + param);
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
        throw new InvalidParameterException("no such parameter: " + param);
    }

    /** A provider of one service, Signature SM3withSM2, for {@link Pkcs11Sm2.TokenKey}s. */
    static final class TokenProvider extends Provider {
        private static final long serialVersionUID = 1L;

        TokenProvider(Pkcs11Sm2 token) {
            super("YinxinPkcs11Sm2", "1.0", "SM3withSM2 in a PKCS#11 token (CKM_VENDOR_SM3_SM2)");
            putService(new Service(this, "Signature", "SM3withSM2", TokenSignature.class.getName(),
                    List.of("1.2.156.10197.1.501"), null) {
                @Override
                public Object newInstance(Object constructorParameter) {
                    return new TokenSignature();
                }

                @Override
                public boolean supportsParameter(Object parameter) {
                    return parameter instanceof Pkcs11Sm2.TokenKey;
                }
            });
        }
    }
}
