package cn.yinxin.core.ofd;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The names a ZIP's central directory lists (APPNOTE 4.3.12, 4.3.16). A ZIP holds its entries twice: local
 * headers (what {@link OfdPackage} inflates, in order) and the central directory at the end (what most readers,
 * Java's ZipFile among them, trust). A package whose two lists differ shows one document to us and another to an
 * OFD reader, so {@link OfdPackage} refuses it. ZIP64 is refused: no package within {@link OfdLimits} needs it.
 */
final class CentralDirectory {

    private static final int END = 0x06054b50;
    private static final int HEADER = 0x02014b50;

    private CentralDirectory() {
    }

    static List<String> names(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = -1;
        // the end record is 22 bytes plus a comment of at most 65,535
        for (int i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
            if (b.getInt(i) == END && i + 22 + (b.getShort(i + 20) & 0xffff) == zip.length) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw damaged("The ZIP package has no end of central directory.");
        }
        int count = b.getShort(end + 10) & 0xffff;
        long size = b.getInt(end + 12) & 0xffffffffL;
        long offset = b.getInt(end + 16) & 0xffffffffL;
        if (count == 0xffff || offset == 0xffffffffL || size == 0xffffffffL) {
            throw damaged("ZIP64 packages are not accepted (an OFD within the limits never needs one).");
        }
        if (offset + size > end) {
            throw damaged("The ZIP central directory lies outside the package.");
        }
        List<String> names = new ArrayList<>();
        int at = (int) offset;
        for (int n = 0; n < count; n++) {
            if (at + 46 > end || b.getInt(at) != HEADER) {
                throw damaged("The ZIP central directory is damaged.");
            }
            int nameLength = b.getShort(at + 28) & 0xffff;
            int extra = b.getShort(at + 30) & 0xffff;
            int comment = b.getShort(at + 32) & 0xffff;
            if (at + 46 + nameLength > end) {
                throw damaged("The ZIP central directory is damaged.");
            }
            // read as ZipInputStream reads local names (UTF-8 whatever flag bit 11 says), so the two compare
            names.add(new String(zip, at + 46, nameLength, StandardCharsets.UTF_8));
            at += 46 + nameLength + extra + comment;
        }
        return names;
    }

    private static RejectedException damaged(String detail) {
        return new RejectedException(Problem.DAMAGED_OFD, detail);
    }
}
