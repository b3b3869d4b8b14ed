package cn.yinxin.seal.registry;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.Roles;

/**
 * Least privilege for the verifier, which faces the internet: it holds no seal key and asks this service to seal its
 * verification reports, with the {@link Roles#REPORT_SEALER} role as its only right. A caller with that role and no
 * other stamping role (approval system, the licence service) stamps with a {@link SealKind#VERIFICATION_REPORT} seal
 * only, and without a QR code or token signed by it; and such a seal stamps for that role only. So a stolen verifier
 * credential seals nothing but a report under the report seal, and the report seal cannot be borrowed by an approval
 * system, even when a seal's user list says otherwise by mistake. Refusals are 403 {@code seal-not-permitted}.
 */
public final class VerificationReportSeals {

    private VerificationReportSeals() {
    }

    static void check(Seal seal, Caller caller, SealRegistry.Use use) {
        boolean reportSeal = seal.kind() == SealKind.VERIFICATION_REPORT;
        if (reportsOnly(caller) && !reportSeal) {
            throw new RejectedException(Problem.SEAL_NOT_PERMITTED, "Client '" + caller.client() + "' seals "
                    + "verification reports only, with a verification-report seal; seal '" + seal.id() + "' is a "
                    + seal.kind() + " seal.");
        }
        if (reportSeal && !caller.has(Roles.REPORT_SEALER)) {
            throw new RejectedException(Problem.SEAL_NOT_PERMITTED, "Seal '" + seal.id() + "' seals the verifier's "
                    + "verification reports only (role " + Roles.REPORT_SEALER + "); client '" + caller.client()
                    + "' does not have that role.");
        }
        if (reportSeal && use.signsCode()) {
            // a code signed by the report seal would be a credential the verifier believes; reports carry none
            throw new RejectedException(Problem.SEAL_NOT_PERMITTED, "Seal '" + seal.id() + "' seals verification "
                    + "reports; it signs no QR codes or tokens.");
        }
    }

    /** The caller may stamp only because it seals reports: the verifier's service account. */
    static boolean reportsOnly(Caller caller) {
        return caller.has(Roles.REPORT_SEALER) && !caller.has(Roles.APPROVAL_SYSTEM) && !caller.has(Roles.LICENCE_SERVICE_CLIENT);
    }
}
