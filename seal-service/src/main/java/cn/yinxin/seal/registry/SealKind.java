package cn.yinxin.seal.registry;

import cn.yinxin.core.ses.SealMaker;

/** The kinds of seal an agency holds; each governs different acts (seed 003 item 6: one seal for approvals). */
public enum SealKind {
    AGENCY("公章"),
    APPROVAL("行政审批专用章"),
    CONTRACT("合同专用章"),
    FINANCE("财务专用章"),
    INVOICE("发票专用章"),
    LEGAL_REPRESENTATIVE("法定代表人名章"),
    /**
     * The platform's seal on the verification reports the verifier files: it stamps those reports, for the verifier
     * alone, and nothing else ({@link VerificationReportSeals}).
     */
    VERIFICATION_REPORT("核验专用章"),
    OTHER("业务专用章");

    private final String chinese;

    SealKind(String chinese) {
        this.chinese = chinese;
    }

    public String chinese() {
        return chinese;
    }

    /**
     * The seal type written in a GB/T 38540 SESeal (SES_ESPropertyInfo.type): the standard distinguishes only the
     * holder, 1 for an organisation's seal (单位印章) and 2 for a person's (个人印章), as the ofdrw implementation
     * documents it too. The kind of an organisation's seal (finance, contract, ...) is in the seal's name.
     */
    public int sesType() {
        return this == LEGAL_REPRESENTATIVE ? SealMaker.TYPE_PERSONAL : SealMaker.TYPE_ORGANISATION;
    }
}
