package cn.yinxin.core.pdf.verify.report;

/** ETSI EN 319 102-1 main status indications. */
public enum Indication { TOTAL_PASSED, TOTAL_FAILED, INDETERMINATE }
