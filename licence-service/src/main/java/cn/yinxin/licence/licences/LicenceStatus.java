package cn.yinxin.licence.licences;

/**
 * A licence's status (the ministry interface's codes in brackets): valid (01), suspended 暂扣 (02), revoked 吊销
 * (07), cancelled 注销 (04), expired 失效 (05), superseded by a renewed or amended version. In the status list a
 * licence is 0 (valid), 1 (invalid) or 2 (suspended).
 */
public enum LicenceStatus {
    VALID(0), SUSPENDED(2), REVOKED(1), CANCELLED(1), EXPIRED(1), SUPERSEDED(1);

    private final int listValue;

    LicenceStatus(int listValue) {
        this.listValue = listValue;
    }

    public int listValue() {
        return listValue;
    }

    public boolean isFinal() {
        return listValue == 1;
    }
}
