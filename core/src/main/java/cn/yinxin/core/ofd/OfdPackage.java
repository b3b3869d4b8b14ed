package cn.yinxin.core.ofd;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The ZIP container of an OFD (GB/T 33190 section 7.2): its entries by normalised name, in package order. Reading
 * is where hostile input is stopped: entry names that escape the package, duplicate names, and zip bombs (too many
 * entries, too many inflated bytes, too high a ratio) are refused while inflating, within {@link OfdLimits}.
 * Immutable: {@link #with} gives a new package (how a seal adds its files).
 */
public final class OfdPackage {

    /** The package's entry file; the only fixed name in an OFD. */
    public static final String ENTRY = "OFD.xml";

    private final Map<String, byte[]> entries;
    /** The names of the local headers as read (raw), for the check against the central directory. */
    private List<String> localNames = List.of();

    private OfdPackage(Map<String, byte[]> entries) {
        this.entries = entries;
    }

    /** An empty package, to write into. */
    public static OfdPackage empty() {
        return new OfdPackage(new LinkedHashMap<>());
    }

    public static OfdPackage read(byte[] zip, OfdLimits limits) {
        if (zip == null || zip.length == 0) {
            throw new RejectedException(Problem.EMPTY_BODY, "The document is empty.");
        }
        if (zip.length < 4 || zip[0] != 'P' || zip[1] != 'K') {
            throw new RejectedException(Problem.NOT_AN_OFD, "The document is not a ZIP package.");
        }
        OfdPackage pack = inflateAll(new ByteArrayInputStream(zip), limits);
        List<String> central = CentralDirectory.entries(zip).stream().map(CentralDirectory.Entry::name).toList();
        Set<String> seen = new HashSet<>();
        for (String name : central) {
            if (!seen.add(name)) {
                throw new RejectedException(Problem.OFD_DUPLICATE_ENTRY, "The central directory lists \""
                        + name + "\" twice.");
            }
        }
        // CentralDirectory proved each central entry points at the next local header from byte 0; the same names
        // in the same order proves ZipInputStream walked that very chain and stopped at none of it
        if (!central.equals(pack.localNames)) {
            throw new RejectedException(Problem.DAMAGED_OFD, "The ZIP's central directory and its local headers "
                    + "list different entries: readers would see different documents.");
        }
        return pack;
    }

    /**
     * Reads a package from a stream (read to its end, at most maxTotalBytes compressed bytes; the caller closes
     * it): the bytes are held so that the central directory can be checked against the local headers.
     */
    public static OfdPackage read(InputStream in, OfdLimits limits) {
        try {
            byte[] zip = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxTotalBytes() + 1));
            if (zip.length > limits.maxTotalBytes()) {
                throw tooLarge("The package has more than " + limits.maxTotalBytes() + " bytes.");
            }
            return read(zip, limits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OfdPackage inflateAll(InputStream in, OfdLimits limits) {
        Counting counted = new Counting(in);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        List<String> localNames = new ArrayList<>();
        Set<String> folded = new HashSet<>();
        Set<String> folders = new HashSet<>();
        long total = 0;
        int count = 0;
        try (ZipInputStream zip = new ZipInputStream(counted)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (++count > limits.maxEntries()) {
                    throw tooLarge("The package has more than " + limits.maxEntries() + " entries.");
                }
                localNames.add(entry.getName());
                if (entry.isDirectory()) {
                    // a folder named "../x/" is refused all the same
                    folders.add(OfdPath.entry(entry.getName()).toLowerCase(Locale.ROOT));
                    // a folder holds no bytes: data under a folder name is content no check would look at
                    if (zip.read() >= 0) {
                        throw new RejectedException(Problem.DAMAGED_OFD, "The folder entry \"" + entry.getName()
                                + "\" carries data.");
                    }
                    continue;
                }
                String name = OfdPath.entry(entry.getName());
                // names equal but for case count as the same entry: a reader on a case-insensitive file system
                // (or one that looks names up so) would take either
                if (!folded.add(name.toLowerCase(Locale.ROOT))) {
                    throw new RejectedException(Problem.OFD_DUPLICATE_ENTRY, "The entry \"" + name
                            + "\" is in the package twice: readers would disagree on which one counts.");
                }
                byte[] bytes = inflate(zip, name, counted, total, limits);
                total += bytes.length;
                entries.put(name, bytes);
            }
        } catch (ZipException e) {
            throw new RejectedException(Problem.NOT_AN_OFD, "The ZIP package cannot be read: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // "a/b.xml/" as a folder beside the file "a/b.xml": a reader that strips the slash sees two files
        for (String folder : folders) {
            if (folded.contains(folder)) {
                throw new RejectedException(Problem.DAMAGED_OFD, "The package has a folder and a file both named \""
                        + folder + "\".");
            }
        }
        if (entries.isEmpty()) {
            throw new RejectedException(Problem.NOT_AN_OFD, "The document is not a ZIP package with entries.");
        }
        if (!entries.containsKey(ENTRY)) {
            throw new RejectedException(Problem.NOT_AN_OFD, "The package has no " + ENTRY + " (GB/T 33190 7.2).");
        }
        OfdPackage pack = new OfdPackage(entries);
        pack.localNames = localNames;
        return pack;
    }

    /** One entry, inflated within the limits (checked as the bytes come, not after). */
    private static byte[] inflate(ZipInputStream zip, String name, Counting counted, long totalSoFar,
                                  OfdLimits limits) throws IOException {
        long compressedStart = counted.count;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long size = 0;
        int n;
        while ((n = zip.read(buffer)) > 0) {
            size += n;
            if (size > limits.maxEntryBytes()) {
                throw tooLarge("The entry \"" + name + "\" inflates to more than " + limits.maxEntryBytes() + " bytes.");
            }
            if (totalSoFar + size > limits.maxTotalBytes()) {
                throw tooLarge("The package inflates to more than " + limits.maxTotalBytes() + " bytes.");
            }
            long compressed = Math.max(1, counted.count - compressedStart);
            if (size > OfdLimits.RATIO_FREE_BYTES && size > compressed * limits.maxRatio()) {
                throw tooLarge("The entry \"" + name + "\" inflates more than " + limits.maxRatio()
                        + " times its compressed size (a zip bomb).");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static RejectedException tooLarge(String detail) {
        return new RejectedException(Problem.OFD_TOO_LARGE, detail);
    }

    /** Entry names, in package order. */
    public SequencedSet<String> names() {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(entries.keySet()));
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** The entry's bytes; DAMAGED_OFD when the package does not hold it (a path in the XML led nowhere). */
    public byte[] get(String name) {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new RejectedException(Problem.DAMAGED_OFD, "The package has no entry \"" + name
                    + "\", which its XML names.");
        }
        return bytes.clone();
    }

    /** This package with {@code name} added or replaced (a new entry goes last). */
    public OfdPackage with(String name, byte[] bytes) {
        Map<String, byte[]> copy = new LinkedHashMap<>(entries);
        copy.put(OfdPath.entry(name), bytes.clone());
        return new OfdPackage(copy);
    }

    /** This package without {@code name} (tests that remove a file). */
    public OfdPackage without(String name) {
        Map<String, byte[]> copy = new LinkedHashMap<>(entries);
        copy.remove(name);
        return new OfdPackage(copy);
    }

    /** The ZIP bytes: entries in package order, deflated, OFD.xml first when it is new. */
    public byte[] toZip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                ZipEntry e = new ZipEntry(entry.getKey());
                e.setTimeLocal(LocalDateTime.of(2000, 1, 1, 0, 0)); // same content, same bytes
                zip.putNextEntry(e);
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Counts the compressed bytes read, for the ratio check. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
