package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;

/**
 * Housekeeping of the file's structure: cross-reference streams and object streams are containers (the objects
 * inside are judged one by one), and an object written again exactly as it was changes nothing. A "container" a page
 * or the catalog reaches is not one: a stream marked /Type /ObjStm named in a page's /Contents draws what its bytes
 * say (operators between the objects included), so defining it anew is judged as the content it is.
 */
final class ContainerRule implements ChangeRule {

    @Override
    public void apply(RevisionDiff diff, Clearance clearance) {
        for (COSObjectKey key : diff.redefined()) {
            COSBase old = diff.oldObject(key);
            COSBase now = diff.newObject(key);
            if (isContainer(old) && (now == null || isContainer(now)) && !diff.isShown(key)) {
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
