package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;

import java.util.HashSet;
import java.util.Set;

/**
 * The fields a signature locks (FieldMDP, ISO 32000-1 12.8.2.4 and 12.7.4.5): from the transform parameters of its
 * signature dictionary's /Reference, or the signature field's /Lock. A locked field may not be filled in or signed
 * after this signature, whatever the DocMDP level allows.
 */
public final class FieldLock {

    public static final FieldLock NONE = new FieldLock("None", Set.of());
    private static final COSName FIELD_MDP = COSName.getPDFName("FieldMDP");
    private static final COSName ACTION = COSName.getPDFName("Action");

    private final String action;
    private final Set<String> fields;

    private FieldLock(String action, Set<String> fields) {
        this.action = action;
        this.fields = fields;
    }

    public static FieldLock of(COSDictionary signatureField, COSDictionary signature) {
        COSArray references = signature == null ? null : signature.getCOSArray(COSName.getPDFName("Reference"));
        for (int i = 0; references != null && i < references.size(); i++) {
            if (references.getObject(i) instanceof COSDictionary reference
                    && FIELD_MDP.equals(reference.getCOSName(COSName.getPDFName("TransformMethod")))
                    && reference.getCOSDictionary(COSName.getPDFName("TransformParams")) instanceof COSDictionary params) {
                return from(params);
            }
        }
        COSDictionary lock = signatureField == null ? null : signatureField.getCOSDictionary(COSName.getPDFName("Lock"));
        return lock == null ? NONE : from(lock);
    }

    private static FieldLock from(COSDictionary params) {
        COSName action = params.getCOSName(ACTION);
        Set<String> names = new HashSet<>();
        COSArray fields = params.getCOSArray(COSName.FIELDS);
        for (int i = 0; fields != null && i < fields.size(); i++) {
            if (fields.getObject(i) instanceof COSString name) {
                names.add(name.getString());
            }
        }
        // an unknown action locks everything: the signer meant to lock something, and we cannot tell what
        return new FieldLock(action == null ? "All" : action.getName(), names);
    }

    /** Whether a change to the field named (fully qualified) breaks this lock. */
    public boolean locks(String field) {
        return switch (action) {
            case "None" -> false;
            case "Include" -> fields.contains(field);
            case "Exclude" -> !fields.contains(field);
            default -> true;
        };
    }
}
