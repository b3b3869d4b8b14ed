package cn.yinxin.seal.stamping;

import cn.yinxin.core.pdf.sign.SignatureLevel;

/**
 * What a requested PAdES level becomes on an OFD. A GB/T 38540 seal signature (SES_Signature) has one place for
 * evidence beyond the signature: the optional {@code timeStamp}, an RFC 3161 token over the signature bits. It has no
 * room for the chains and OCSP/CRL answers of PAdES B-LT (a DSS) nor for the archive time-stamp of B-LTA, so:
 * <ul>
 * <li>B-B: no time-stamp: {@value #SES_B_LABEL};</li>
 * <li>B-T: the SES_Signature time-stamp from the configured TSA: {@value #SES_T_LABEL}. An OFD verifier asks
 * revocation online (OfdVerifier), as it would have to for a PDF at B-T.</li>
 * <li>B-LT, B-LTA: asked for by name, refused (400) unless allowLowerLevel, which gives {@value #SES_T_LABEL}; the
 * default level of a seal (no level asked) that is B-LT or B-LTA gives {@value #SES_T_LABEL}.</li>
 * </ul>
 * The level reached is written under its own name, never as a PAdES label: an OFD seal is not a PAdES signature.
 */
enum OfdLevel {
    SES_B,
    SES_T;

    /** The X-Signature-Level and stamp-record names: without, and with the SES_Signature time-stamp. */
    static final String SES_B_LABEL = "OFD-SES-B";
    static final String SES_T_LABEL = "OFD-SES-T";

    static OfdLevel of(SignatureLevel requested) {
        return requested.atLeast(SignatureLevel.B_T) ? SES_T : SES_B;
    }

    String label() {
        return this == SES_T ? SES_T_LABEL : SES_B_LABEL;
    }

    /** The PAdES level a client must be allowed to reach this OFD level (its seal user entry's levels). */
    SignatureLevel padesEquivalent() {
        return this == SES_T ? SignatureLevel.B_T : SignatureLevel.B_B;
    }
}
