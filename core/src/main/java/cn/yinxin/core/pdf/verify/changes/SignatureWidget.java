package cn.yinxin.core.pdf.verify.changes;

/**
 * Where a signature added after another one shows itself: its page (1-based) and rectangle in user space, and
 * whether its own value verified. The visual comparison leaves the widgets of later, verified signatures out.
 */
public record SignatureWidget(int page, float llx, float lly, float urx, float ury, boolean verified) {
}
