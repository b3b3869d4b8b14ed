package cn.yinxin.core.pdf.verify.changes;

/**
 * One named reason why a change after signing may be allowed. A rule looks at one revision, clears the objects it
 * explains (at the level it judges them) and reports what it found; whatever no rule clears is a change nobody
 * allowed. A rule clears an object the revision redefined only when the object played the same part before (a
 * DSS stream stays a DSS stream), so no rule can be used to launder a font, an image or a page.
 */
interface ChangeRule {

    void apply(RevisionDiff diff, Clearance clearance);
}
