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
}
