package cn.yinxin.seal.seal;

/** The kinds of seal an agency holds; each governs different acts (seed 003 item 6: one seal for approvals). */
public enum SealKind {
    AGENCY("公章"),
    APPROVAL("行政审批专用章"),
    CONTRACT("合同专用章"),
    FINANCE("财务专用章"),
    INVOICE("发票专用章"),
    LEGAL_REPRESENTATIVE("法定代表人名章"),
    OTHER("业务专用章");

    private final String chinese;

    SealKind(String chinese) {
        this.chinese = chinese;
    }

    public String chinese() {
        return chinese;
    }

    /**
     * The seal type written in a GB/T 38540 SESeal (SES_ESPropertyInfo.type). STANDARDS.md does not list the code
     * table; these follow the order vendors commonly use (1 official seal, 2 finance, 3 invoice, 4 contract,
     * 5 legal representative) with 99 for the kinds without a code of their own.
     */
    public int sesType() {
        return switch (this) {
            case AGENCY -> 1;
            case FINANCE -> 2;
            case INVOICE -> 3;
            case CONTRACT -> 4;
            case LEGAL_REPRESENTATIVE -> 5;
            case APPROVAL, OTHER -> 99;
        };
    }
}
