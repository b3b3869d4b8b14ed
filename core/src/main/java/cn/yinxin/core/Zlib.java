package cn.yinxin.core;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * zlib data (RFC 1950) of some bytes at a level: what signed QR codes (their payload), status lists (their
 * {@code lst}) and seal pictures (their Flate samples) are written with. The JDK's Deflater, ended when done (its
 * native memory is not left to the garbage collector).
 */
public final class Zlib {

    private Zlib() {
    }

    /** @param level a {@link Deflater} level, 0-9 or {@link Deflater#DEFAULT_COMPRESSION} */
    public static byte[] compress(byte[] data, int level) {
        Deflater deflater = new Deflater(level);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 16));
            byte[] buffer = new byte[64 * 1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
