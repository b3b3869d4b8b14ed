package cn.yinxin.licence.types;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.licence.sealing.SealService;

/**
 * Which seals a licence type may name: the PDF's seal exists; an OFD needs a seal of the same agency with a GB/T
 * 38540 seal (only an SM2 seal has one), because the identifier and the issuer printed on both files come from the
 * PDF's seal; a type that issues no OFD names no OFD seal.
 */
final class TypeSeals {

    private TypeSeals() {
    }

    /** @param seals null: the seals are not asked for (sample types installed before the seal service runs) */
    static void check(LicenceType type, SealService seals) {
        SealService.SealInfo seal = seals == null ? null : seals.seal(type.sealId());
        if (!type.issues(LicenceType.Format.OFD)) {
            if (type.ofdSealId() != null) {
                throw new RejectedException(Problem.INVALID_REQUEST, "ofdSealId is given but the type issues no OFD "
                        + "(formats).");
            }
            return;
        }
        if (type.ofdSealId() == null || type.ofdSealId().isBlank()) {
            throw new RejectedException(Problem.INVALID_REQUEST, "An OFD licence is sealed with a GB/T 38540 "
                    + "seal, which only an SM2 seal has: name it (ofdSealId), or issue PDF only (formats [\"PDF\"]).");
        }
        if (seals == null) {
            return;
        }
        SealService.SealInfo national = seals.seal(type.ofdSealId());
        // the OFD's seal must be the PDF seal's agency's, or the OFD would carry one agency's seal over another's name
        if (!national.agencyCode().equals(seal.agencyCode())) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Seal " + type.ofdSealId() + " belongs to "
                    + national.agencyCode() + ", seal " + type.sealId() + " to " + seal.agencyCode()
                    + ": both files of a licence are sealed by the issuing agency.");
        }
        if (!seals.hasNationalSeal(type.ofdSealId())) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Seal " + type.ofdSealId() + " has no GB/T "
                    + "38540 seal (SESeal): OFD licences need an SM2 seal created by the seal service.");
        }
    }
}
