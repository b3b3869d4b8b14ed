package cn.yinxin.core.pdf.national;

import cn.yinxin.core.ses.SealSignature;
import cn.yinxin.core.ses.SesVerifier;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;

import java.io.IOException;
import java.util.Arrays;

/**
 * A seal signature (GB/T 38540 or GM/T 0031 SES_Signature) that another product wrote straight into a PDF
 * signature's /Contents, with no CMS around it: a layout some e-seal products use, which is not PAdES and which this
 * verifier does not check in full (revocation, the seal's status, what dataHash covers in that product's convention).
 * Such a signature is not called broken: it is answered INDETERMINATE with what could be seen, checked as a seal
 * signature over the signed byte ranges (dataHash = SM3 of them, as Yinxin's national mode has it) for information.
 * Anything else that is not a CMS stays a FORMAT failure.
 */
final class SealInContents {

    private SealInContents() {
    }

    /** What the /Contents value is, when it is a seal signature; null when it is not one. */
    static String describe(byte[] valueInGap, byte[] signedBytes, SesVerifier verifier) {
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
        try {
            SealSignature ses = SealSignature.decode(der);
            name = ses.seal().sealInfo().property().name();
            esId = ses.seal().sealInfo().esId();
        } catch (RuntimeException e) {
            return null;
        }
        SesVerifier.Result checked = verifier.verifySignature(der, signedBytes);
        return "The signature's /Contents is a seal signature of seal \"" + name + "\" (" + esId + ") itself, not a "
                + "PAdES CMS: "
                + "another product's layout, which this verifier does not check in full. "
                + (checked.valid() ? "Read as a seal signature over the signed bytes it verifies, but its revocation "
                + "and the seal's status are not checked here"
                : "Read as a seal signature over the signed bytes it is not confirmed (" + checked.problem() + ": "
                + checked.reasons().getLast() + ")") + ": ask for a PAdES copy, or verify it with the product that "
                + "made it.";
    }
}
