package cn.yinxin.verifier.trust.seals;

import cn.yinxin.core.qr.QrVerifier.SignerDirectory;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/** The trusted signers for one set of anchors, and their certificates by key id (made once, not per code). */
public record Signers(List<Signer> trusted, List<Rejected> rejected, SignerDirectory directory) {

    /** A seal whose certificate was not accepted, and why. */
    public record Rejected(Seal seal, String kid, String reason) {
    }

    public Signers(List<Signer> trusted, List<Rejected> rejected) {
        this(trusted, rejected, SignerDirectory.of(trusted.stream().map(Signer::certificate).toList()));
    }

    /** The signer whose certificate this is, or null. */
    public Signer of(X509Certificate certificate) {
        for (Signer signer : trusted) {
            if (signer.certificate() == certificate) { // the directory hands out these very objects
                return signer;
            }
        }
        return trusted.stream().filter(s -> s.certificate().equals(certificate)).findFirst().orElse(null);
    }

    public List<Rejected> rejectedWithKid(byte[] kid) {
        String hex = HexFormat.of().formatHex(kid);
        return rejected.stream().filter(r -> hex.equals(r.kid())).toList();
    }
}
