package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;

/**
 * Housekeeping of the file's structure: cross-reference streams and object streams are containers (the objects
 * inside are judged one by one), and an object written again exactly as it was changes nothing.
 */
final class ContainerRule implements ChangeRule {

    @Override
    public void apply(RevisionDiff diff, Clearance clearance) {
        for (COSObjectKey key : diff.redefined()) {
            COSBase old = diff.oldObject(key);
            COSBase now = diff.newObject(key);
            if (isContainer(old) && (now == null || isContainer(now))) {
                clearance.clear(key, ModificationLevel.NONE);
            } else if (old != null && now != null && RevisionDiff.sameShallow(old, now)) {
                clearance.clear(key, ModificationLevel.NONE);
            }
        }
    }

    private static boolean isContainer(COSBase object) {
        return object instanceof COSStream stream && (COSName.OBJ_STM.equals(stream.getCOSName(COSName.TYPE))
                || COSName.XREF.equals(stream.getCOSName(COSName.TYPE)));
    }
}
