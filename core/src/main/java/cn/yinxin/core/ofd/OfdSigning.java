package cn.yinxin.core.ofd;

import cn.yinxin.core.pki.Providers;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/** What the sealer writes and the verifier reads in Signature.xml (GB/T 33190 section 18.2, GB/T 38540 section 7). */
public final class OfdSigning {

    /** SM3 (GM/T 0006), the References CheckMethod written. */
    public static final String SM3 = "1.2.156.10197.1.401";
    /** SM3withSM2, the SignatureMethod written. */
    public static final String SM3_WITH_SM2 = "1.2.156.10197.1.501";
    /** Signatures.xml Type of a GB/T 38540 electronic seal (the other type, Sign, is a GB/T 35275 signature). */
    public static final String TYPE_SEAL = "Seal";

    /**
     * SignatureDateTime as written: UTC, yyyyMMddHHmmss'Z' (GeneralizedTime, as TBS_Sign's timeInfo). GB/T 33190
     * types it as a string; producers also write "yyyy-MM-dd HH:mm:ss": this field is information only, the time
     * that counts is timeInfo / the time-stamp.
     */
    public static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private OfdSigning() {
    }

    public static String dateTime(Instant time) {
        return DATE_TIME.format(time);
    }

    public static byte[] sm3(byte[] data) {
        try {
            return MessageDigest.getInstance("SM3", Providers.bouncyCastle()).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SM3 is not available", e);
        }
    }

    /** A CheckValue: base64 of the SM3 digest. */
    public static String checkValue(byte[] data) {
        return Base64.getEncoder().encodeToString(sm3(data));
    }
}
