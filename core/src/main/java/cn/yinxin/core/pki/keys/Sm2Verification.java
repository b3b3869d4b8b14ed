package cn.yinxin.core.pki.keys;

import cn.yinxin.core.pki.Providers;

import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.security.PublicKey;
import java.security.Signature;

/** SM3withSM2 verification with the explicit signer ID (see Sm2ContentSigner). */
public final class Sm2Verification {

    private Sm2Verification() {
    }

    public static boolean verifies(PKCS10CertificationRequest csr, PublicKey key) throws Exception {
        Signature signature = Signature.getInstance("SM3withSM2", Providers.bouncyCastle());
        signature.setParameter(new SM2ParameterSpec(Signers.SM2_USER_ID));
        signature.initVerify(key);
        signature.update(csr.toASN1Structure().getCertificationRequestInfo().getEncoded());
        return signature.verify(csr.getSignature());
    }
}
