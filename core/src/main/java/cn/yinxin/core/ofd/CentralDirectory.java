package cn.yinxin.core.ofd;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A ZIP's central directory (APPNOTE 4.3.12, 4.3.16), checked against its local headers. A ZIP holds its entries
 * twice: local headers (what {@link OfdPackage} inflates, in order, with ZipInputStream) and the central directory
 * at the end (what most readers, Java's ZipFile, libzip and every OFD viewer among them, trust). Comparing names is
 * not enough: a central directory may point to a forged local header hidden after bytes that stop ZipInputStream,
 * or give other sizes. So {@link #entries} walks the local headers from the first byte: each central entry must
 * point at exactly the next local header, with the same name, method, CRC and sizes, and the last entry's data must
 * end where the central directory starts. Then both kinds of reader read the same bytes. ZIP64 is refused: no
 * package within {@link OfdLimits} needs it.
 */
final class CentralDirectory {

    private static final int END = 0x06054b50;
    private static final int HEADER = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int DESCRIPTOR = 0x08074b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int FLAG_DESCRIPTOR = 1 << 3;
    /** Info-ZIP's Unicode Path extra field (APPNOTE 4.6.9): another name for the entry, for some readers. */
    private static final int UNICODE_PATH = 0x7075;

    /** One central entry, as the central directory gives it. */
    record Entry(String name, int method, long crc, long compressedSize, long size, long localOffset) {
        boolean isFolder() {
            return name.endsWith("/");
        }
    }

    private CentralDirectory() {
    }

    static List<String> names(byte[] zip) {
        return entries(zip).stream().map(Entry::name).toList();
    }

    /** The central entries, in order, each proven to match the local header it points to (see the class comment). */
    static List<Entry> entries(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = endRecord(zip, b);
        if (end >= 20 && b.getInt(end - 20) == ZIP64_LOCATOR) {
            throw damaged("ZIP64 packages are not accepted (an OFD within the limits never needs one).");
        }
        int disk = b.getShort(end + 4) & 0xffff;
        int cdDisk = b.getShort(end + 6) & 0xffff;
        int countHere = b.getShort(end + 8) & 0xffff;
        int count = b.getShort(end + 10) & 0xffff;
        long size = b.getInt(end + 12) & 0xffffffffL;
        long offset = b.getInt(end + 16) & 0xffffffffL;
        if (count == 0xffff || offset == 0xffffffffL || size == 0xffffffffL) {
            throw damaged("ZIP64 packages are not accepted (an OFD within the limits never needs one).");
        }
        if (disk != 0 || cdDisk != 0 || countHere != count) {
            throw damaged("Split ZIP packages are not accepted.");
        }
        // nothing may hide between the central directory and its end record
        if (offset + size != end) {
            throw damaged("The ZIP central directory does not end where its end record starts.");
        }
        List<Entry> entries = new ArrayList<>();
        int at = (int) offset;
        for (int n = 0; n < count; n++) {
            if (at + 46 > end || b.getInt(at) != HEADER) {
                throw damaged("The ZIP central directory is damaged.");
            }
            int nameLength = b.getShort(at + 28) & 0xffff;
            int extra = b.getShort(at + 30) & 0xffff;
            int comment = b.getShort(at + 32) & 0xffff;
            if (at + 46 + nameLength + extra + comment > end) {
                throw damaged("The ZIP central directory is damaged.");
            }
            // read as ZipInputStream reads local names (UTF-8 whatever flag bit 11 says), so the two compare
            Entry entry = new Entry(new String(zip, at + 46, nameLength, StandardCharsets.UTF_8),
                    b.getShort(at + 10) & 0xffff, b.getInt(at + 16) & 0xffffffffL, b.getInt(at + 20) & 0xffffffffL,
                    b.getInt(at + 24) & 0xffffffffL, b.getInt(at + 42) & 0xffffffffL);
            if (entry.compressedSize() == 0xffffffffL || entry.size() == 0xffffffffL
                    || entry.localOffset() == 0xffffffffL) {
                throw damaged("ZIP64 packages are not accepted (an OFD within the limits never needs one).");
            }
            sameNameInExtra(zip, b, at + 46 + nameLength, extra, entry);
            folderOnlyByName(entry, b.get(at + 5) & 0xff, b.getInt(at + 38));
            entries.add(entry);
            at += 46 + nameLength + extra + comment;
        }
        if (at != end) {
            throw damaged("The ZIP central directory holds more than its entries.");
        }
        checkLocalHeaders(zip, b, entries, offset);
        return entries;
    }

    private static int endRecord(byte[] zip, ByteBuffer b) {
        // the end record is 22 bytes plus a comment of at most 65,535
        for (int i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
            if (b.getInt(i) == END && i + 22 + (b.getShort(i + 20) & 0xffff) == zip.length) {
                commentHoldsNoRecord(b, i + 22, zip.length);
                return i;
            }
        }
        throw damaged("The ZIP package has no end of central directory.");
    }

    /**
     * JSZip (ofd.js) and Python's zipfile take the last end-record signature in the file for the end record, whatever
     * its comment length says: one inside the comment points them at a second package hidden there (a forged page
     * beside the genuine entries) while java.util.zip and this check read the first. A comment may hold no ZIP record.
     */
    private static void commentHoldsNoRecord(ByteBuffer b, int from, int to) {
        for (int i = from; i + 4 <= to; i++) {
            int signature = b.getInt(i);
            if (signature == END || signature == HEADER || signature == LOCAL || signature == ZIP64_LOCATOR
                    || signature == ZIP64_END) {
                throw damaged("The ZIP package's comment holds ZIP records: readers would see different documents.");
            }
        }
    }

    /**
     * Walks the local headers from byte 0 as ZipInputStream does: each central entry must point at the next one,
     * agree with it, and the last one's data (and data descriptor) must end at the central directory.
     */
    private static void checkLocalHeaders(byte[] zip, ByteBuffer b, List<Entry> entries, long centralStart) {
        long at = 0;
        for (Entry entry : entries) {
            if (entry.localOffset() != at) {
                throw disagree(entry, "its central record points elsewhere than its local header");
            }
            int p = (int) at;
            if (p + 30 > centralStart || b.getInt(p) != LOCAL) {
                throw disagree(entry, "no local header where the central directory points");
            }
            int flags = b.getShort(p + 6) & 0xffff;
            int method = b.getShort(p + 8) & 0xffff;
            int nameLength = b.getShort(p + 26) & 0xffff;
            int extra = b.getShort(p + 28) & 0xffff;
            long data = (long) p + 30 + nameLength + extra;
            if (data > centralStart
                    || !new String(zip, p + 30, nameLength, StandardCharsets.UTF_8).equals(entry.name())) {
                throw disagree(entry, "the local header names another entry");
            }
            sameNameInExtra(zip, b, p + 30 + nameLength, extra, entry);
            if (method != entry.method()) {
                throw disagree(entry, "the methods differ");
            }
            long next = data + entry.compressedSize();
            if (next > centralStart) {
                throw disagree(entry, "its data runs into the central directory");
            }
            if ((flags & FLAG_DESCRIPTOR) == 0) {
                same(entry, b.getInt(p + 14) & 0xffffffffL, b.getInt(p + 18) & 0xffffffffL,
                        b.getInt(p + 22) & 0xffffffffL);
            } else {
                // the sizes follow the data (APPNOTE 4.3.9), with or without a signature
                int d = (int) next;
                if (d + 4 <= centralStart && b.getInt(d) == DESCRIPTOR) {
                    d += 4;
                    next += 4;
                }
                if (d + 12 > centralStart) {
                    throw disagree(entry, "its data descriptor is missing");
                }
                same(entry, b.getInt(d) & 0xffffffffL, b.getInt(d + 4) & 0xffffffffL, b.getInt(d + 8) & 0xffffffffL);
                next += 12;
            }
            at = next;
        }
        if (at != centralStart) {
            throw damaged("The ZIP package holds bytes between its last entry and its central directory: readers "
                    + "would see different documents.");
        }
    }

    /**
     * A Unicode Path extra field names the entry anew for JSZip (ofd.js), Info-ZIP's unzip and Commons Compress when
     * the name is not flagged UTF-8; java.util.zip ignores it. It may only repeat the entry's name: two pages each
     * given the other's name are verified as sealed here and shown swapped there.
     */
    private static void sameNameInExtra(byte[] zip, ByteBuffer b, int start, int length, Entry entry) {
        int at = start;
        int end = start + length;
        while (at + 4 <= end) {
            int id = b.getShort(at) & 0xffff;
            int size = b.getShort(at + 2) & 0xffff;
            if (at + 4 + size > end && id != UNICODE_PATH) {
                return; // a malformed tail: readers stop reading fields there (JSZip reads a field past it)
            }
            if (id == UNICODE_PATH && (size < 5 || at + 4 + size > end
                    || !new String(zip, at + 9, size - 5, StandardCharsets.UTF_8).equals(entry.name()))) {
                throw disagree(entry, "a Unicode Path extra field gives it another name");
            }
            at += 4 + size;
        }
    }

    /**
     * JSZip (ofd.js) takes an entry whose DOS attributes say "directory" for a folder and drops its bytes; unzip does
     * so for a Unix directory mode. java.util.zip's stream goes by the name alone (a trailing "/"), so must they.
     */
    private static void folderOnlyByName(Entry entry, int madeBy, int attributes) {
        boolean unixFolder = madeBy == 3 && ((attributes >>> 16) & 0xf000) == 0x4000;
        if (!entry.isFolder() && ((attributes & 0x10) != 0 || unixFolder)) {
            throw damaged("The ZIP's central directory marks the file \"" + entry.name() + "\" as a folder: readers "
                    + "would see different documents.");
        }
    }

    private static void same(Entry entry, long crc, long compressedSize, long size) {
        if (crc != entry.crc() || compressedSize != entry.compressedSize() || size != entry.size()) {
            throw disagree(entry, "the CRC or sizes differ");
        }
    }

    private static RejectedException disagree(Entry entry, String why) {
        return damaged("The ZIP's central directory and local header of \"" + entry.name() + "\" disagree (" + why
                + "): readers would see different documents.");
    }

    private static RejectedException damaged(String detail) {
        return new RejectedException(Problem.DAMAGED_OFD, detail);
    }
}
