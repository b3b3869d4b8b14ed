package cn.yinxin.core.pdf.verify;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSBoolean;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A fingerprint of a PDF object that two revisions can be compared by: either of the object alone (references
 * stay references, "12 0 R") or of everything it reaches (references followed, streams by their bytes), so that a
 * font or an image redefined under the same name changes the fingerprint of every page that draws with it.
 * Back-links (/Parent, /P) are not followed: they lead to the whole document, not to what the object shows.
 */
public final class CosDigest {

    private static final Set<COSName> BACK_LINKS = Set.of(COSName.PARENT, COSName.P);

    private final Map<COSBase, byte[]> done = new IdentityHashMap<>();
    /** Whose time the digests take (null: no deadline); streams are digested raw, so nothing is decoded here. */
    private final DecodeBudget budget;
    private int containers;

    CosDigest() {
        this(null);
    }

    /**
     * Digests that stop when {@code budget}'s time is up ({@link LimitExceededException}): a deep digest walks
     * everything an object reaches, which a crafted document can make very large.
     */
    CosDigest(DecodeBudget budget) {
        this.budget = budget;
    }

    /** The fingerprint of {@code object} alone: what its own definition says. */
    public static byte[] shallow(COSBase object) {
        MessageDigest digest = sha256();
        new CosDigest().write(object, digest, false, Set.of(), null);
        return digest.digest();
    }

    /** The fingerprint of {@code object} and all it reaches, leaving out the entries named in {@code skip} at its top. */
    byte[] deep(COSBase object, Set<COSName> skip) {
        MessageDigest digest = sha256();
        write(object, digest, true, skip, Collections.newSetFromMap(new IdentityHashMap<>()));
        return digest.digest();
    }

    public static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }

    private void write(COSBase base, MessageDigest digest, boolean deep, Set<COSName> skip, Set<COSBase> path) {
        if (base instanceof COSObject reference) {
            if (!deep) {
                text(digest, "R" + reference.getKey());
                return;
            }
            base = reference.getObject();
        }
        if (base == null || base instanceof COSNull) {
            text(digest, "null");
        } else if (base instanceof COSBoolean b) {
            text(digest, b.getValue() ? "true" : "false");
        } else if (base instanceof COSNumber n) {
            text(digest, "n" + number(n));
        } else if (base instanceof COSString s) {
            text(digest, "s" + s.getBytes().length);
            digest.update(s.getBytes());
        } else if (base instanceof COSName name) {
            text(digest, "/" + name.getName());
        } else if (base instanceof COSArray || base instanceof COSDictionary) {
            container(base, digest, deep, skip, path);
        } else {
            text(digest, base.getClass().getSimpleName());
        }
    }

    private void container(COSBase base, MessageDigest digest, boolean deep, Set<COSName> skip, Set<COSBase> path) {
        if (budget != null && ++containers % 1024 == 0) {
            budget.checkTime();
        }
        if (deep) {
            byte[] known = skip.isEmpty() ? done.get(base) : null;
            if (known != null) {
                digest.update(known);
                return;
            }
            if (!path.add(base)) {
                text(digest, "cycle");
                return;
            }
            MessageDigest own = sha256();
            contents(base, own, true, skip, path);
            byte[] result = own.digest();
            path.remove(base);
            if (skip.isEmpty()) {
                done.put(base, result);
            }
            digest.update(result);
        } else {
            contents(base, digest, false, skip, path);
        }
    }

    private void contents(COSBase base, MessageDigest digest, boolean deep, Set<COSName> skip, Set<COSBase> path) {
        if (base instanceof COSArray array) {
            text(digest, "[" + array.size());
            for (int i = 0; i < array.size(); i++) {
                write(array.get(i), digest, deep, Set.of(), path);
            }
            text(digest, "]");
            return;
        }
        COSDictionary dictionary = (COSDictionary) base;
        Map<String, COSBase> sorted = new TreeMap<>();
        for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
            COSName key = entry.getKey();
            if (skip.contains(key) || deep && BACK_LINKS.contains(key)
                    || dictionary instanceof COSStream && COSName.LENGTH.equals(key)) {
                continue;
            }
            sorted.put(key.getName(), entry.getValue());
        }
        text(digest, "<<" + sorted.size());
        for (Map.Entry<String, COSBase> entry : sorted.entrySet()) {
            text(digest, "/" + entry.getKey());
            write(entry.getValue(), digest, deep, Set.of(), path);
        }
        text(digest, ">>");
        if (dictionary instanceof COSStream stream) {
            text(digest, "stream");
            // the raw (encoded) bytes, in pieces: no copy of a large stream is made, and nothing is inflated
            try (InputStream in = stream.createRawInputStream()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
                if (budget != null) {
                    budget.checkTime();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("a stream of the document cannot be read", e);
            }
        }
    }

    /** 1 and 1.0 are the same number: a writer may spell a value either way when it copies an object. */
    private static String number(COSNumber n) {
        if (n instanceof COSInteger i) {
            return Long.toString(i.longValue());
        }
        float f = n.floatValue();
        return f == Math.rint(f) && Math.abs(f) < 1e7 ? Long.toString((long) f) : Float.toString(f);
    }

    private static void text(MessageDigest digest, String token) {
        digest.update(token.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
