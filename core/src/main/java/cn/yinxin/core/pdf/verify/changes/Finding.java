package cn.yinxin.core.pdf.verify.changes;

/**
 * One change a later revision made, as a rule (or the lack of one) judged it.
 *
 * @param kind        a stable name (PAGE_CONTENT, ANNOTATION_ADDED, SIGNATURE_ADDED, DSS_ADDED, OBJECT_REDEFINED...)
 * @param page        the page (1-based) it shows on, or null
 * @param level       how far it reaches; {@link ModificationLevel#OTHER} when no rule allows it
 * @param field       the fully qualified form field it fills, for FieldMDP locks; null otherwise
 * @param description what changed, in words a clerk reads
 * @param revision    the revision (1-based, as the file's %%EOF markers count them) that made it
 */
public record Finding(String kind, Integer page, ModificationLevel level, String field, String description,
                      int revision) {

    static Finding of(String kind, Integer page, ModificationLevel level, String description) {
        return new Finding(kind, page, level, null, description, 0);
    }

    Finding inRevision(int number) {
        return new Finding(kind, page, level, field, description, number);
    }
}
