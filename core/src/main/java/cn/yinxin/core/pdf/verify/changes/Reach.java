package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The indirect objects reachable from one entry point (the DSS, the structure tree), without following the
 * entries named: each visited once, however often it is referenced, and at most {@link RevisionDiff#WALK_LIMIT}.
 */
final class Reach {

    private Reach() {
    }

    static Map<COSObjectKey, COSBase> from(COSBase start, Set<COSName> notFollowed) {
        Map<COSObjectKey, COSBase> reached = new LinkedHashMap<>();
        if (start == null) {
            return reached;
        }
        Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<COSBase> todo = new ArrayDeque<>();
        todo.push(start);
        while (!todo.isEmpty() && reached.size() <= RevisionDiff.WALK_LIMIT) {
            COSBase next = todo.pop();
            if (next instanceof COSObject reference) {
                next = reference.getObject();
                if (next == null) {
                    continue;
                }
                reached.putIfAbsent(reference.getKey(), next);
            }
            if (!seen.add(next)) {
                continue;
            }
            if (next instanceof COSArray array) {
                for (int i = 0; i < array.size(); i++) {
                    if (array.get(i) != null) {
                        todo.push(array.get(i));
                    }
                }
            } else if (next instanceof COSDictionary dictionary) {
                for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
                    if (!notFollowed.contains(entry.getKey()) && entry.getValue() != null) {
                        todo.push(entry.getValue());
                    }
                }
            }
        }
        return reached;
    }
}
