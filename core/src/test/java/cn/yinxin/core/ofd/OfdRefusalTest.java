package cn.yinxin.core.ofd;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile or broken packages are refused with a stable problem type, before they cost memory or leak files. */
class OfdRefusalTest {

    private static OfdPackage good;

    @BeforeAll
    static void setUp() throws Exception {
        good = OfdPackage.read(OfdMaterial.licenceOfd(), OfdLimits.DEFAULT);
    }

    @Test
    void notAZipIsNotAnOfd() {
        assertRefused("%PDF-1.7 not a zip".getBytes(StandardCharsets.US_ASCII), Problem.NOT_AN_OFD);
        assertRefused(new byte[0], Problem.EMPTY_BODY);
    }

    @Test
    void aZipWithoutOfdXmlIsNotAnOfd() {
        assertRefused(zip("Doc_0/Document.xml", "<x/>"), Problem.NOT_AN_OFD);
    }

    @Test
    void entryNamesThatClimbOutOrAreAbsoluteAreRefused() {
        assertRefused(zip("OFD.xml", "<x/>", "../../etc/cron.d/evil", "x"), Problem.OFD_UNSAFE_PATH);
        assertRefused(zip("OFD.xml", "<x/>", "Doc_0/../../evil", "x"), Problem.OFD_UNSAFE_PATH);
        assertRefused(zip("OFD.xml", "<x/>", "/etc/passwd", "x"), Problem.OFD_UNSAFE_PATH);
        assertRefused(zip("OFD.xml", "<x/>", "C:/evil", "x"), Problem.OFD_UNSAFE_PATH);
        assertRefused(zip("OFD.xml", "<x/>", "Doc_0\\..\\..\\evil", "x"), Problem.OFD_UNSAFE_PATH);
    }

    @Test
    void aDuplicateEntryIsRefused() {
        // ZipOutputStream will not write the same name twice: write OFD.xmX and rename it in the bytes
        byte[] zip = zip("OFD.xml", "<x/>", "OFD.xmX", "<y/>");
        String text = new String(zip, StandardCharsets.ISO_8859_1).replace("OFD.xmX", "OFD.xml");
        assertRefused(text.getBytes(StandardCharsets.ISO_8859_1), Problem.OFD_DUPLICATE_ENTRY);
        assertRefused(zip("OFD.xml", "<x/>", "Doc_0/Page.xml", "a", "doc_0/page.XML", "b"),
                Problem.OFD_DUPLICATE_ENTRY);
    }

    @Test
    void aCentralDirectoryThatListsOtherEntriesThanTheLocalHeadersIsRefused() {
        byte[] zip = zip("OFD.xml", "<x/>", "Doc_0/aaaa.xml", "<y/>");
        String text = new String(zip, StandardCharsets.ISO_8859_1);
        int last = text.lastIndexOf("Doc_0/aaaa.xml");
        String swapped = text.substring(0, last) + "Doc_0/bbbb.xml" + text.substring(last + 14);
        assertRefused(swapped.getBytes(StandardCharsets.ISO_8859_1), Problem.DAMAGED_OFD, "central directory");
        assertRefused(java.util.Arrays.copyOf(zip, zip.length - 30), Problem.DAMAGED_OFD, "central directory");
    }

    @Test
    void zipBombsAreStoppedWhileInflating() {
        byte[] zeros = new byte[20 * 1024 * 1024];
        byte[] bomb = zip("OFD.xml", "<x/>", "Doc_0/bomb.bin", new String(zeros, StandardCharsets.ISO_8859_1));
        assertThat(bomb.length).as("20 MiB of zeros deflates to little").isLessThan(100_000);
        assertRefused(bomb, Problem.OFD_TOO_LARGE, "times its compressed size");

        OfdLimits small = new OfdLimits(3, 1024, 4096, 1000, 1024, 10, 1000, 10);
        assertRefused(zip("OFD.xml", "<x/>", "a", "x", "b", "x", "c", "x"), small, Problem.OFD_TOO_LARGE,
                "entries");
        assertRefused(zip("OFD.xml", "<x/>", "a", "y".repeat(2000)), small, Problem.OFD_TOO_LARGE, "entry \"a\"");
        assertRefused(zip("OFD.xml", "<x/>", "a", "y".repeat(1000), "b", "y".repeat(1000), "c", "y".repeat(1000)),
                new OfdLimits(10, 1024, 2500, 1000, 1024, 10, 1000, 10), Problem.OFD_TOO_LARGE, "package inflates");
    }

    @Test
    void aDoctypeIsRefusedSoNoEntityIsEverRead() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE ofd:OFD [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:DocBody><ofd:DocRoot>&x;</ofd:DocRoot>"
                + "</ofd:DocBody></ofd:OFD>";
        assertRefused(zip("OFD.xml", xxe), Problem.OFD_XML_DOCTYPE);
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                + "<a>&b;</a>";
        assertRefused(good.with("Doc_0/Document.xml", laughs.getBytes(StandardCharsets.UTF_8)).toZip(),
                Problem.OFD_XML_DOCTYPE);
    }

    @Test
    void brokenXmlIsDamaged() {
        assertRefused(good.with("Doc_0/Pages/Page_1/Content.xml", "<ofd:Page".getBytes(StandardCharsets.UTF_8))
                .toZip(), Problem.DAMAGED_OFD);
    }

    @Test
    void pathsInTheXmlThatLeaveThePackageOrLeadNowhereAreRefused() {
        assertRefused(ofdXmlWithDocRoot("../outside/Document.xml"), Problem.OFD_UNSAFE_PATH);
        assertRefused(ofdXmlWithDocRoot("Doc_9/Document.xml"), Problem.DAMAGED_OFD, "does not hold");
        String document = new String(good.get("Doc_0/Document.xml"), StandardCharsets.UTF_8);
        assertRefused(good.with("Doc_0/Document.xml", document.replace("Pages/Page_1/Content.xml",
                "/../Pages/Page_1/Content.xml").getBytes(StandardCharsets.UTF_8)).toZip(), Problem.OFD_UNSAFE_PATH);
        assertRefused(good.without("Doc_0/Pages/Page_1/Content.xml").toZip(), Problem.DAMAGED_OFD,
                "Pages/Page_1/Content.xml");
        String res = new String(good.get("Doc_0/DocumentRes.xml"), StandardCharsets.UTF_8);
        assertRefused(good.with("Doc_0/DocumentRes.xml", res.replaceFirst("image_", "../../../image_")
                .getBytes(StandardCharsets.UTF_8)).toZip(), Problem.OFD_UNSAFE_PATH);
        assertRefused(good.with("Doc_0/DocumentRes.xml", res.replaceFirst("image_", "../../image_")
                .getBytes(StandardCharsets.UTF_8)).toZip(), Problem.DAMAGED_OFD, "\"Doc_0/DocumentRes.xml\" names");
    }

    @Test
    void oversizedPagesAndTooManyPagesAreRefused() {
        String page = new String(good.get("Doc_0/Pages/Page_0/Content.xml"), StandardCharsets.UTF_8);
        assertRefused(good.with("Doc_0/Pages/Page_0/Content.xml", page.replace("0 0 210 297", "0 0 210 99999")
                .getBytes(StandardCharsets.UTF_8)).toZip(), Problem.OFD_TOO_LARGE, "mm a side");
        assertRefused(good.toZip(), new OfdLimits(100, 1 << 24, 1 << 26, 100, 1 << 20, 1, 5000, 10),
                Problem.OFD_TOO_LARGE, "pages");
        assertRefused(good.toZip(), new OfdLimits(100, 1 << 24, 1 << 26, 100, 100, 10, 5000, 10),
                Problem.OFD_TOO_LARGE, "XML part");
    }

    @Test
    void moreXmlInAllThanTheBudgetIsRefused() {
        // each part is under maxXmlBytes, together they are over maxParsedXmlBytes
        long ofdXml = good.get(OfdPackage.ENTRY).length;
        assertRefused(good.toZip(), new OfdLimits(100, 1 << 24, 1 << 26, 100, 1 << 20, 10, 5000, 10, 100, ofdXml + 1),
                Problem.OFD_TOO_LARGE, "XML parts add up");
    }

    @Test
    void theGoodPackageIsRead() {
        assertThat(new OfdReader().read(good.toZip()).pages()).hasSize(2);
    }

    /** The thread's parser is reused (OfdXml): a failed part leaves it as new, protections included. */
    @Test
    void aReusedParserReadsTheNextPackageAndStillRefusesADoctype() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE ofd:OFD [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:DocBody><ofd:DocRoot>&x;</ofd:DocRoot>"
                + "</ofd:DocBody></ofd:OFD>";
        for (int round = 0; round < 3; round++) {
            assertRefused(good.with("Doc_0/Pages/Page_1/Content.xml", "<ofd:Page".getBytes(StandardCharsets.UTF_8))
                    .toZip(), Problem.DAMAGED_OFD);
            assertThat(new OfdReader().read(good.toZip()).pages()).hasSize(2);
            assertRefused(zip("OFD.xml", xxe), Problem.OFD_XML_DOCTYPE);
            assertThat(new OfdReader().read(good.toZip()).pages()).hasSize(2);
        }
    }

    private static byte[] ofdXmlWithDocRoot(String docRoot) {
        String ofd = new String(good.get("OFD.xml"), StandardCharsets.UTF_8);
        return good.with("OFD.xml", ofd.replace("Doc_0/Document.xml", docRoot).getBytes(StandardCharsets.UTF_8))
                .toZip();
    }

    private static void assertRefused(byte[] ofd, Problem problem) {
        assertRefused(ofd, OfdLimits.DEFAULT, problem, "");
    }

    private static void assertRefused(byte[] ofd, Problem problem, String detail) {
        assertRefused(ofd, OfdLimits.DEFAULT, problem, detail);
    }

    private static void assertRefused(byte[] ofd, OfdLimits limits, Problem problem, String detail) {
        assertThatThrownBy(() -> new OfdReader(limits).read(ofd)).isInstanceOfSatisfying(RejectedException.class,
                e -> {
                    assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
                    assertThat(e.getMessage()).contains(detail);
                });
    }

    /** A ZIP of name/content pairs, written as given (no checks). */
    static byte[] zip(String... namesAndContents) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putNextEntry(new ZipEntry(namesAndContents[i]));
                zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.ISO_8859_1));
                zip.closeEntry();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
