package cn.yinxin.core.ofd;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pdf.verify.report.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The eleventh hostile read of OFD verification (docs/security.md): what other OFD readers take from the package
 * that our reader reads differently. The attacker holds a genuinely sealed OFD, a zip tool and the public verifier.
 */
class OfdRedTeamEleventhTest {

    private static final String PAGE_1 = "Doc_0/Pages/Page_0/Content.xml";
    private static final String PAGE_2 = "Doc_0/Pages/Page_1/Content.xml";

    private static OfdMaterial material;

    @BeforeAll
    static void setUp() throws Exception {
        material = new OfdMaterial();
    }

    /**
     * An entry's Info-ZIP Unicode Path extra field (0x7075, APPNOTE 4.6.9) names it anew for readers that honour it
     * when the name is not flagged UTF-8: JSZip (ofd.js, the web OFD viewers) takes it from the central directory,
     * Apache Commons Compress's ZipFile by default; java.util.zip (our reader) ignores it. A genuinely sealed
     * two-page payment letter (page 1 "100元" under the seal, page 2 an attachment stating "1,000,000元") whose two
     * page contents carry each other's names in that field: our reader verified the pages as sealed (VALID); ofd.js
     * shows page 1 reading 1,000,000元 under the seal. Both names must be one name, or readers see two documents.
     */
    @Test
    void pagesRenamedForOtherReadersByAUnicodePathFieldAreNotValid() throws Exception {
        OfdWriter writer = new OfdWriter().title("通知").created(LocalDate.of(2026, 12, 6));
        writer.page(210, 297).text(60, 40, 10, "通知").text(20, 70, 4.5, "经审核，同意拨付款项：100元。")
                .text(120, 200, 5, "（盖章）");
        writer.page(210, 297).text(60, 40, 10, "通知").text(20, 70, 4.5, "经审核，同意拨付款项：1,000,000元。")
                .text(120, 200, 5, "（附件，不作付款依据）");
        byte[] sealed = new OfdSealer(material.timeStamper()).seal(writer.write(),
                material.request(new SealPlacement(1, 150, 200)));
        OfdVerifier verifier = material.verifierKnowingTheSeals();
        assertThat(verifier.verify(sealed).verdict()).isEqualTo(Verdict.VALID);

        byte[] attack = renamedForOthers(OfdPackage.read(sealed, OfdLimits.DEFAULT),
                Map.of(PAGE_1, PAGE_2, PAGE_2, PAGE_1));
        assertThat(javaUtilZip(attack, PAGE_1)).as("java.util.zip still reads the sealed page 1 under its name")
                .isEqualTo(OfdPackage.read(sealed, OfdLimits.DEFAULT).get(PAGE_1));
        assertThat(answer(verifier, attack)).isEqualTo("DAMAGED_OFD");
    }

    /** A Unicode Path field that repeats the entry's own name (as Info-ZIP's zip writes it) is no attack. */
    @Test
    void aUnicodePathFieldGivingTheSameNameIsStillValid() throws Exception {
        byte[] sealed = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                material.request(new SealPlacement(1, 150, 200)));
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        byte[] same = renamedForOthers(pack, Map.of(PAGE_1, PAGE_1, OfdPackage.ENTRY, OfdPackage.ENTRY));
        assertThat(material.verifierKnowingTheSeals().verify(same).verdict()).isEqualTo(Verdict.VALID);
    }

    /**
     * A ZIP's end record may carry a comment, up to 64 KB after it, which java.util.zip and our check read as a
     * comment. JSZip (ofd.js, the web OFD viewers) and Python's zipfile take the last end-record signature in the
     * file as the end record, whatever the comment length says. So the genuine sealed letter given a comment holding a
     * forged page 1 ("1000000元"), a central directory naming it with the genuine other entries, and an end record
     * pointing there (its comment length one byte short, so that our search passes it by) verified VALID while
     * ofd.js showed the forged page under the seal.
     */
    @Test
    void aSecondPackageInTheEndRecordsCommentIsNotValid() throws Exception {
        byte[] sealed = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                material.request(new SealPlacement(1, 150, 200)));
        byte[] forged = new String(OfdPackage.read(sealed, OfdLimits.DEFAULT).get(PAGE_1), StandardCharsets.UTF_8)
                .replace(">100<", ">1000000<").getBytes(StandardCharsets.UTF_8);
        assertThat(forged).isNotEqualTo(OfdPackage.read(sealed, OfdLimits.DEFAULT).get(PAGE_1));
        OfdVerifier verifier = material.verifierKnowingTheSeals();
        assertThat(answer(verifier, sealed)).isEqualTo("VALID");

        byte[] attack = secondPackageInComment(sealed, PAGE_1, forged);
        assertThat(answer(verifier, attack)).isEqualTo("DAMAGED_OFD");
    }

    /** A comment on a genuine OFD with no ZIP record in it is still read and VALID. */
    @Test
    void aPlainCommentIsStillValid() throws Exception {
        byte[] sealed = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                material.request(new SealPlacement(1, 150, 200)));
        byte[] comment = "made by our seal service".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer end = ByteBuffer.wrap(sealed, sealed.length - 22, 22).order(ByteOrder.LITTLE_ENDIAN);
        byte[] commented = Arrays.copyOf(sealed, sealed.length + comment.length);
        ByteBuffer.wrap(commented).order(ByteOrder.LITTLE_ENDIAN).putShort(sealed.length - 2, (short) comment.length);
        System.arraycopy(comment, 0, commented, sealed.length, comment.length);
        assertThat(end.getInt(sealed.length - 22)).isEqualTo(0x06054b50);
        assertThat(answer(material.verifierKnowingTheSeals(), commented)).isEqualTo("VALID");
    }

    /**
     * The genuine package, its end record's comment holding: a stored local header of {@code name} with
     * {@code shown}, a central directory of every genuine entry but that one pointing at it, an end record for that
     * directory whose comment length (0) leaves one byte over, and that byte.
     */
    static byte[] secondPackageInComment(byte[] zip, String name, byte[] shown) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        assertThat(b.getInt(end)).isEqualTo(0x06054b50);
        int count = b.getShort(end + 10) & 0xffff;
        int cdOffset = b.getInt(end + 16);
        CRC32 crc = new CRC32();
        crc.update(shown);
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer comment = ByteBuffer.allocate(65_535).order(ByteOrder.LITTLE_ENDIAN);
        int commentStart = zip.length;
        int local = commentStart;
        comment.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 0).putInt(0)
                .putInt((int) crc.getValue()).putInt(shown.length).putInt(shown.length)
                .putShort((short) nameBytes.length).putShort((short) 0).put(nameBytes).put(shown);
        int cd = commentStart + comment.position();
        int at = cdOffset;
        for (int n = 0; n < count; n++) {
            int length = 46 + (b.getShort(at + 28) & 0xffff) + (b.getShort(at + 30) & 0xffff)
                    + (b.getShort(at + 32) & 0xffff);
            ByteBuffer record = ByteBuffer.wrap(Arrays.copyOfRange(zip, at, at + length)).order(ByteOrder.LITTLE_ENDIAN);
            if (new String(zip, at + 46, b.getShort(at + 28) & 0xffff, StandardCharsets.UTF_8).equals(name)) {
                record.putShort(8, (short) 0).putShort(10, (short) 0).putInt(16, (int) crc.getValue())
                        .putInt(20, shown.length).putInt(24, shown.length).putInt(42, local);
            }
            comment.put(record.array());
            at += length;
        }
        int cdSize = commentStart + comment.position() - cd;
        comment.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count)
                .putShort((short) count).putInt(cdSize).putInt(cd).putShort((short) 0).put((byte) 0);
        byte[] attack = Arrays.copyOf(zip, zip.length + comment.position());
        System.arraycopy(comment.array(), 0, attack, zip.length, comment.position());
        ByteBuffer.wrap(attack).order(ByteOrder.LITTLE_ENDIAN).putShort(end + 20, (short) comment.position());
        return attack;
    }

    /**
     * The central directory's external attributes, which java.util.zip's stream never reads: JSZip (ofd.js) takes an
     * entry whose DOS attributes say "directory" (0x10) for a folder, and its bytes are gone. A genuine sealed
     * letter whose page content is so marked was VALID here while ofd.js had no page content to draw.
     */
    @Test
    void aSealedFileMarkedAsAFolderInTheCentralDirectoryIsNotValid() throws Exception {
        byte[] sealed = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                material.request(new SealPlacement(1, 150, 200)));
        byte[] attack = sealed.clone();
        ByteBuffer b = ByteBuffer.wrap(attack).order(ByteOrder.LITTLE_ENDIAN);
        int end = attack.length - 22;
        int at = b.getInt(end + 16);
        for (int n = 0; n < (b.getShort(end + 10) & 0xffff); n++) {
            int nameLength = b.getShort(at + 28) & 0xffff;
            if (new String(attack, at + 46, nameLength, StandardCharsets.UTF_8).equals(PAGE_1)) {
                b.putInt(at + 38, 0x10);
            }
            at += 46 + nameLength + (b.getShort(at + 30) & 0xffff) + (b.getShort(at + 32) & 0xffff);
        }
        assertThat(attack).isNotEqualTo(sealed);
        assertThat(answer(material.verifierKnowingTheSeals(), attack)).isEqualTo("DAMAGED_OFD");
    }

    /**
     * An entry name with an overlong UTF-8 form of "/" ({@code C0 AF}, in the local header and the central directory
     * alike), which a lax decoder would take for "/": java.util.zip refuses it (JSZip 3 reads two U+FFFD). Held.
     */
    @Test
    void anOverlongSlashInANameIsRefused() throws Exception {
        byte[] attack = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                material.request(new SealPlacement(1, 150, 200)));
        byte[] stored = "Pages/Page_0".getBytes(StandardCharsets.US_ASCII);
        int patched = 0;
        for (int at = indexOf(attack, stored, 0); at >= 0; at = indexOf(attack, stored, at + 1)) {
            attack[at + 4] = (byte) 0xC0; // "Page" + C0 AF + "Page_0": one "s" and the "/" become an overlong "/"
            attack[at + 5] = (byte) 0xAF;
            patched++;
        }
        assertThat(patched).isGreaterThanOrEqualTo(2);
        assertThat(answer(material.verifierKnowingTheSeals(), attack)).isIn("NOT_AN_OFD", "DAMAGED_OFD");
    }

    private static int indexOf(byte[] in, byte[] what, int from) {
        outer:
        for (int i = from; i <= in.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * A StampAnnot names its page by ID (PageRef). A document prepared with two pages of one ID (GB/T 33190 makes
     * IDs unique) sealed "on page 2": the StampAnnot says PageRef = that ID, which readers that take the first page
     * of an ID draw on page 1, over other text than the approval system placed the seal on; the seal was made and
     * VALID. A page ID given twice is refused, by the sealer and by the verifier alike.
     */
    @Test
    void twoPagesOfOneIdAreNeitherSealedNorValid() throws Exception {
        OfdWriter writer = new OfdWriter().title("通知").created(LocalDate.of(2026, 12, 6));
        writer.page(210, 297).text(20, 70, 4.5, "经审核，同意拨付款项：1000000元。");
        writer.page(210, 297).text(20, 70, 4.5, "经审核，同意拨付款项：100元。").text(120, 200, 5, "（盖章）");
        OfdPackage pack = OfdPackage.read(writer.write(), OfdLimits.DEFAULT);
        String document = new String(pack.get("Doc_0/Document.xml"), StandardCharsets.UTF_8);
        java.util.regex.Matcher ids = java.util.regex.Pattern.compile("<ofd:Page BaseLoc=\"[^\"]*\" ID=\"(\\d+)\"")
                .matcher(document);
        assertThat(ids.find()).isTrue();
        String first = ids.group(1);
        assertThat(ids.find()).isTrue();
        String twice = document.substring(0, ids.start(1)) + first + document.substring(ids.end(1));
        byte[] prepared = pack.with("Doc_0/Document.xml", twice.getBytes(StandardCharsets.UTF_8)).toZip();

        String sealedAs;
        try {
            byte[] sealed = new OfdSealer(material.timeStamper()).seal(prepared,
                    material.request(new SealPlacement(2, 150, 200)));
            sealedAs = "sealed, verified " + answer(material.verifierKnowingTheSeals(), sealed);
        } catch (RejectedException e) {
            sealedAs = e.problem().name();
        }
        assertThat(sealedAs).isEqualTo("DAMAGED_OFD");
        assertThat(answer(material.verifierKnowingTheSeals(), prepared)).isEqualTo("DAMAGED_OFD");
    }

    private static String answer(OfdVerifier verifier, byte[] ofd) {
        try {
            VerificationReport report = verifier.verify(ofd);
            return report.verdict().name();
        } catch (RejectedException e) {
            return e.problem().name();
        }
    }

    private static byte[] javaUtilZip(byte[] zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return in.readAllBytes();
                }
            }
        }
        return null;
    }

    /**
     * The package again, names not flagged UTF-8 (so readers look for the Unicode Path field), the entries named in
     * {@code others} given that field with the other name (its CRC over the stored name, as APPNOTE asks).
     */
    static byte[] renamedForOthers(OfdPackage pack, Map<String, String> others) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.US_ASCII)) {
            for (String name : pack.names()) {
                ZipEntry entry = new ZipEntry(name);
                entry.setTimeLocal(LocalDateTime.of(2000, 1, 1, 0, 0));
                String other = others.get(name);
                if (other != null) {
                    entry.setExtra(unicodePath(name, other));
                }
                zip.putNextEntry(entry);
                zip.write(pack.get(name));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] unicodePath(String stored, String shown) {
        byte[] name = shown.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(stored.getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        int size = 5 + name.length;
        long c = crc.getValue();
        field.writeBytes(new byte[] {0x75, 0x70, (byte) size, (byte) (size >> 8), 1,
                (byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24)});
        field.writeBytes(name);
        return field.toByteArray();
    }
}
