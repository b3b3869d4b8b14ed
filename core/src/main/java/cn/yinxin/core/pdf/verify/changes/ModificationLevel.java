package cn.yinxin.core.pdf.verify.changes;

/**
 * How far a change after signing reaches, from harmless to anything (after pyHanko's {@code ModificationLevel}).
 * A signature allows changes up to a level: an uncertified seal and a certification with DocMDP P=2 allow
 * {@link #FORM_FILLING} (which includes signing), P=3 also {@link #ANNOTATIONS}, P=1 only {@link #LTA_UPDATES}.
 * {@link #OTHER} is never allowed.
 */
public enum ModificationLevel {
    /** Rewritten without a difference (an object copied as it was, an object stream repacked). */
    NONE,
    /** Validation data, document time-stamps, metadata and housekeeping that cannot change what is shown. */
    LTA_UPDATES,
    /** Filling in form fields and adding signatures. */
    FORM_FILLING,
    /** Creating, changing or removing annotations (comments). */
    ANNOTATIONS,
    /** A change no rule explains. */
    OTHER;

    /** The level a signature allows: from its certification's DocMDP P, or null for a plain (approval) signature. */
    public static ModificationLevel allowedBy(Integer docMdp) {
        if (docMdp == null) {
            return FORM_FILLING;
        }
        return switch (docMdp) {
            case 1 -> LTA_UPDATES;
            case 3 -> ANNOTATIONS;
            default -> FORM_FILLING;
        };
    }
}
