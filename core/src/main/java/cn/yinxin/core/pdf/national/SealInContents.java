package cn.yinxin.core.pdf.national;

import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.ses.SealSignature;
import cn.yinxin.core.ses.SesVerifier;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * A seal signature (GB/T 38540 or GM/T 0031 SES_Signature) that another product wrote straight into a PDF
 * signature's /Contents, with no CMS around it: a layout some e-seal products use, which is not PAdES and which this
 * verifier does not check in full (revocation, the seal's status, what dataHash covers in that product's convention).
 * Such a signature is not called broken: it is answered INDETERMINATE with what could be seen, checked as a seal
 * signature over the signed byte ranges (dataHash = SM3 of them, as Yinxin's national mode has it) for information.
 * Anything else that is not a CMS stays a FORMAT failure. A seal signature that is broken whatever the product's
 * convention (its signer's or its maker's signature does not verify), or a Yinxin seal's (its maker carries our
 * seal-making key purpose, so its dataHash is ours) whose dataHash is not that of the signed bytes, is no other
 * layout but a broken signature: TOTAL_FAILED, as the same damage under a CMS is.
 */
final class SealInContents {

    private SealInContents() {
    }

    /** What the /Contents value is, when it is a seal signature; null when it is not one. */
    static NationalSealCheck.InContents describe(byte[] valueInGap, byte[] signedBytes, SesVerifier verifier) {
        byte[] der;
        try (ASN1InputStream in = new ASN1InputStream(valueInGap)) {
            ASN1Primitive first = in.readObject();
            if (first == null) {
                return null;
            }
            der = first.getEncoded(ASN1Encoding.DER);
            if (!Arrays.equals(der, 0, der.length, valueInGap, 0, Math.min(der.length, valueInGap.length))) {
                return null; // not DER as written: not what a seal signature is
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        String name;
        String esId;
        boolean ours;
        try {
            SealSignature ses = SealSignature.decode(der);
            name = ses.seal().sealInfo().property().name();
            esId = ses.seal().sealInfo().esId();
            ours = madeByUs(ses.seal().makerCertificate());
        } catch (RuntimeException e) {
            return null;
        }
        SesVerifier.Result checked = verifier.verifySignature(der, signedBytes);
        SubIndication broken = checked.valid() ? null : switch (checked.problem()) {
            case SIGNATURE, MAKER_SIGNATURE -> SubIndication.SIG_CRYPTO_FAILURE;
            case DATA_HASH -> ours ? SubIndication.HASH_FAILURE : null;
            default -> null;
        };
        return new NationalSealCheck.InContents(broken, "The signature's /Contents is a seal signature of seal \"" + name + "\" (" + esId + ") itself, not a "
                + "PAdES CMS: "
                + "another product's layout, which this verifier does not check in full. "
                + (checked.valid() ? "Read as a seal signature over the signed bytes it verifies, but its revocation "
                + "and the seal's status are not checked here"
                : "Read as a seal signature over the signed bytes it is not confirmed (" + checked.problem() + ": "
                + checked.reasons().getLast() + ")") + ": ask for a PAdES copy, or verify it with the product that "
                + "made it.");
    }

    /** Whether the seal's maker certificate carries Yinxin's seal-making key purpose (false when unreadable). */
    private static boolean madeByUs(byte[] makerCertificate) {
        try {
            return CertificateMaker.hasSealMakingPurpose((X509Certificate) CertificateFactory.getInstance("X.509", Providers.bouncyCastle())
                    .generateCertificate(new ByteArrayInputStream(makerCertificate)));
        } catch (CertificateException | RuntimeException e) {
            return false;
        }
    }
}
