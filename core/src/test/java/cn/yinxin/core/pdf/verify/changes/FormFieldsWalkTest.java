package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The form-tree walk the change rules share ({@link FormFields#anyNode}): it finds a node at any depth, says no for
 * a tree it walked whole, and says "cannot tell" (true) for a tree beyond {@link RevisionDiff#WALK_LIMIT} nodes,
 * since every rule refuses to clear a change when it is true (a form with a widget the walk never reached was
 * cleared by FormRule before this walk was shared: it answered no at the limit).
 */
class FormFieldsWalkTest {

    @Test
    void findsADeepNodeAndSaysNoForATreeWalkedWhole() {
        COSDictionary leaf = new COSDictionary();
        leaf.setString(COSName.DA, "/Helv 0 Tf");
        COSDictionary form = form(parentOf(parentOf(leaf)));
        assertThat(FormFields.anyNode(form, node -> node.getItem(COSName.DA) != null)).isTrue();
        assertThat(FormFields.anyNode(form, node -> node.getItem(COSName.AP) != null)).isFalse();
    }

    @Test
    void aTreeTooLargeToWalkCannotBeCleared() {
        COSArray kids = new COSArray();
        for (int i = 0; i <= RevisionDiff.WALK_LIMIT; i++) {
            kids.add(new COSDictionary());
        }
        COSDictionary parent = new COSDictionary();
        parent.setItem(COSName.KIDS, kids);
        assertThat(FormFields.anyNode(form(parent), node -> false)).isTrue();
    }

    private static COSDictionary parentOf(COSDictionary kid) {
        COSDictionary parent = new COSDictionary();
        COSArray kids = new COSArray();
        kids.add(kid);
        parent.setItem(COSName.KIDS, kids);
        return parent;
    }

    private static COSDictionary form(COSDictionary field) {
        COSDictionary form = new COSDictionary();
        COSArray fields = new COSArray();
        fields.add(field);
        form.setItem(COSName.FIELDS, fields);
        return form;
    }
}
