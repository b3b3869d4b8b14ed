package cn.yinxin.core.ofd;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Paths inside an OFD package (GB/T 33190 section 7.2, ST_Loc): a location is absolute from the package root when it
 * starts with "/", otherwise relative to the folder of the file that names it. Entries are kept under their
 * normalised name without a leading "/" ("Doc_0/Pages/Page_0/Content.xml"); anything that would climb out of the
 * package, name a drive or use a backslash is refused, never "cleaned" into some other entry.
 */
public final class OfdPath {

    private OfdPath() {
    }

    /** A ZIP entry name as stored, checked and normalised; refused when it could escape the package. */
    public static String entry(String raw) {
        if (raw.startsWith("/")) {
            throw unsafe("The entry name \"" + printable(raw) + "\" is absolute.");
        }
        return normalise(raw, raw);
    }

    /**
     * Where {@code loc}, found in the part {@code from} (an entry name, or "" for the root), leads.
     *
     * @throws RejectedException OFD_UNSAFE_PATH when it leads outside the package, DAMAGED_OFD when it is empty
     */
    public static String resolve(String from, String loc) {
        if (loc == null || loc.isBlank()) {
            throw new RejectedException(Problem.DAMAGED_OFD, "An empty location in " + from + ".");
        }
        String trimmed = loc.strip();
        if (trimmed.startsWith("/")) {
            return normalise(trimmed.substring(1), loc);
        }
        int slash = from.lastIndexOf('/');
        String folder = slash < 0 ? "" : from.substring(0, slash + 1);
        return normalise(folder + trimmed, loc);
    }

    /** The folder of an entry, with its trailing "/" ("" at the root). */
    public static String folder(String entry) {
        int slash = entry.lastIndexOf('/');
        return slash < 0 ? "" : entry.substring(0, slash + 1);
    }

    /** How a reference names an entry: absolute from the package root (as FileRef and BaseLoc are written). */
    public static String absolute(String entry) {
        return "/" + entry;
    }

    private static String normalise(String path, String asGiven) {
        if (path.indexOf('\\') >= 0 || path.indexOf(':') >= 0 || path.chars().anyMatch(c -> c < 0x20)) {
            throw unsafe("The path \"" + printable(asGiven) + "\" has a backslash, a drive or a control character.");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw unsafe("The path \"" + printable(asGiven) + "\" climbs out of the package.");
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        if (parts.isEmpty()) {
            throw unsafe("The path \"" + printable(asGiven) + "\" names no file.");
        }
        return String.join("/", parts);
    }

    private static RejectedException unsafe(String detail) {
        return new RejectedException(Problem.OFD_UNSAFE_PATH, detail);
    }

    private static String printable(String s) {
        String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
