package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;

import java.util.Locale;

/** The PAdES baseline levels (ETSI EN 319 142-1) a seal can reach. */
public enum SignatureLevel {
    /** The signature alone. */
    B_B("PAdES-BASELINE-B"),
    /** Plus an RFC 3161 time-stamp over the signature value: proves when it existed. */
    B_T("PAdES-BASELINE-T"),
    /** Plus the chains and OCSP/CRL data of the signer and the TSA in the document's DSS dictionary. */
    B_LT("PAdES-BASELINE-LT"),
    /** Plus a document time-stamp over all of it, so it can be kept valid for decades. */
    B_LTA("PAdES-BASELINE-LTA");

    private final String label;

    SignatureLevel(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean atLeast(SignatureLevel other) {
        return ordinal() >= other.ordinal();
    }

    /** B-B, B-T, B-LT, B-LTA, B_T ... or the full names (PAdES-BASELINE-T); a clear refusal otherwise. */
    public static SignatureLevel parse(String name) {
        String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace("PADES-BASELINE-", "B-").replace('-', '_');
        try {
            return valueOf(key);
        } catch (IllegalArgumentException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Unknown level '" + name
                    + "'; use B-B, B-T, B-LT or B-LTA.");
        }
    }
}
