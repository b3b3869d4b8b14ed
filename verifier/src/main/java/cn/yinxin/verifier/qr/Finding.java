package cn.yinxin.verifier.qr;



/**
 * One finding about a QR code: what it means for the verdict, its problem slug (or null) and the sentence shown.
 * The verdict is the worst finding's; its problem and summary are those of the first finding of that level.
 */
public record Finding(Verdict verdict, String slug, String reason) {

    public enum Verdict { VALID, INVALID, INDETERMINATE }
}
