package cn.yinxin.core.ofd;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Red team: an attacker holds a genuinely sealed OFD, a zip tool and a text editor. Each test builds one attack from
 * a real seal and states what a correct verifier must answer: never VALID for a document that shows something else
 * than what was sealed, and never a crash (only a RejectedException or a report). Every attack here is defended;
 * the holes the red team found (once marked {@code @Disabled("HOLE: ...")}) are fixed and their tests enabled.
 */
class OfdRedTeamTest {

    private static final String PAGE = "Doc_0/Pages/Page_0/Content.xml";
    private static final String LIST = "Doc_0/Signs/Signatures.xml";

    private static OfdMaterial material;
    private static byte[] sealed;

    @BeforeAll
    static void setUp() throws Exception {
        material = new OfdMaterial();
        sealed = new OfdSealer(material.timeStamper()).seal(OfdMaterial.licenceOfd(),
                material.request(new SealPlacement(1, 150, 200)));
        assertThat(outcome(sealed)).isEqualTo("VALID");
    }

    // ---------------------------------------------------------------------------------------------------- ZIP level

    /**
     * The sealed package's local entries are left as they are (what ZipInputStream, hence OfdPackage, reads in order),
     * then 4 bytes that are no ZIP signature (ZipInputStream stops there), then a forged local header for the page,
     * and the central directory is rewritten to point at the forged header. The names in both lists are the same,
     * so OfdPackage's check passes, but every central-directory reader (java.util.zip.ZipFile, libzip, minizip,
     * Python's zipfile: what OFD readers use) shows the forged page.
     */
    @Test
    void aCentralDirectoryPointingToAHiddenLocalHeaderIsNotValid(@TempDir Path dir) throws Exception {
        String original = text(sealed, PAGE);
        assertThat(original).contains("许可证编号");
        byte[] forgedPage = original.replace("许可证编号", "伪造的编号").getBytes(StandardCharsets.UTF_8);
        byte[] attack = hiddenLocalHeader(sealed, PAGE, forgedPage);

        // what other readers show: the forged page
        Path file = dir.resolve("attack.ofd");
        Files.write(file, attack);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String shown = new String(zip.getInputStream(zip.getEntry(PAGE)).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(shown).contains("伪造的编号");
        }
        assertThat(outcome(attack)).isNotEqualTo("VALID");
    }

    /**
     * The same package trick against the sealer: the document a person approved in a ZipFile-based viewer shows
     * one page, the sealer reads (and seals) the page ZipInputStream sees. The sealer must refuse such a package.
     */
    @Test
    void theSealerRefusesAPackageWithAHiddenLocalHeader() throws Exception {
        byte[] unsealed = OfdMaterial.licenceOfd();
        String original = text(unsealed, PAGE);
        byte[] shown = original.replace("许可证编号", "伪造的编号").getBytes(StandardCharsets.UTF_8);
        byte[] attack = hiddenLocalHeader(unsealed, PAGE, shown);
        boolean refused;
        try {
            new OfdSealer(material.timeStamper()).seal(attack, material.request(new SealPlacement(1, 150, 200)));
            refused = false;
        } catch (RejectedException e) {
            refused = true;
        }
        assertThat(refused).as("sealed a package two readers disagree on").isTrue();
    }

    /** Entry names that are not UTF-8: a refusal, not an IllegalArgumentException out of ZipInputStream. */
    @Test
    void anEntryNameThatIsNotUtf8IsRefused() {
        byte[] zip = sealed.clone();
        // "OFD.xml" is the first local name: make its first byte 0xFF (invalid UTF-8) in the local header only
        int at = indexOf(zip, "OFD.xml".getBytes(StandardCharsets.US_ASCII), 0);
        zip[at] = (byte) 0xFF;
        assertThat(outcome(zip)).startsWith("REFUSED");
    }

    @Test
    void anEntryDifferingOnlyByUnicodeNormalisationIsAnAddition() {
        // "Page_0" has no composed character: add one in the name, in NFC and NFD
        String nfc = "Doc_0/Pages/Page_0/Contenté.xml";
        String nfd = Normalizer.normalize(nfc, Normalizer.Form.NFD);
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        byte[] page = pack.get(PAGE);
        assertThat(outcome(pack.with(nfc, page).with(nfd, page).toZip())).isNotEqualTo("VALID");
    }

    @Test
    void aDotSlashOrDoubleSlashTwinOfAPageIsRefusedAsADuplicate() throws Exception {
        for (String twin : new String[] {"./" + PAGE, "Doc_0//Pages/Page_0/Content.xml", "Doc_0/Pages/./Page_0/Content.xml"}) {
            byte[] attack = rezip(sealed, twin, "<evil/>".getBytes(StandardCharsets.UTF_8));
            assertThat(outcome(attack)).as(twin).isEqualTo("REFUSED OFD_DUPLICATE_ENTRY");
        }
    }

    @Test
    void aDirectoryEntryOrTrailingSlashTwinIsNotValid() throws Exception {
        // "Doc_0/Pages/Page_0/Content.xml/" is a folder to ZipInputStream; a lax reader might strip the slash
        byte[] attack = rezip(sealed, PAGE + "/", "<evil/>".getBytes(StandardCharsets.UTF_8));
        assertThat(outcome(attack)).isNotEqualTo("VALID");
    }

    /** A folder entry (no data) named as a file: a reader that strips the slash sees the name twice. */
    @Test
    void aFolderNamedAsAFileIsRefused() throws Exception {
        assertThat(outcome(rezip(sealed, PAGE + "/", new byte[0]))).isEqualTo("REFUSED DAMAGED_OFD");
    }

    @Test
    void aStoredEntryWhoseCentralSizeLiesIsNotValid() {
        // the central directory says the last entry is larger than its local header says
        byte[] zip = sealed.clone();
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        int cd = b.getInt(end + 16);
        b.putInt(cd + 24, b.getInt(cd + 24) + 100); // uncompressed size of the first central entry
        assertThat(outcome(zip)).isNotEqualTo("VALID");
    }

    // ------------------------------------------------------------------------------------------ OFD structure level

    @Test
    void changedLicenceCustomDataIsNotValid() {
        byte[] attack = replace(sealed, "OFD.xml", "</ofd:CustomDatas>",
                "<ofd:CustomData Name=\"持证主体\">张三</ofd:CustomData></ofd:CustomDatas>");
        assertThat(outcome(attack)).isEqualTo("INVALID");
    }

    @Test
    void aDocRootMovedToANewDocumentIsNotValid() {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        byte[] document = pack.get("Doc_0/Document.xml");
        byte[] attack = pack.with("Doc_0/Document2.xml", document).toZip();
        attack = replace(attack, "OFD.xml", "Doc_0/Document.xml", "Doc_0/Document2.xml");
        assertThat(outcome(attack)).isEqualTo("INVALID");
    }

    @Test
    void aSecondDocBodyOrAnotherDocRootInOfdXmlIsNotValid() {
        String ofdXml = text(sealed, "OFD.xml");
        int start = ofdXml.indexOf("<ofd:DocBody>");
        int end = ofdXml.indexOf("</ofd:DocBody>") + "</ofd:DocBody>".length();
        assertThat(start).isNotNegative();
        String body = ofdXml.substring(start, end);
        assertThat(outcome(replace(sealed, "OFD.xml", body, body + body))).isEqualTo("INVALID");
        // the forged body first: a reader that takes the first DocBody (ours does) reads it
        assertThat(outcome(replace(sealed, "OFD.xml", body, body.replace("许可", "伪造") + body)))
                .isEqualTo("INVALID");
    }

    @Test
    void anAnnotationsFileAddedAfterSealingIsNotValid() {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        byte[] attack = pack.with("Doc_0/Annots/Page_0/Annotation.xml", ("<ofd:PageAnnot xmlns:ofd=\"" + OfdXml.NS
                + "\"><ofd:Annot Type=\"Watermark\"/></ofd:PageAnnot>").getBytes(StandardCharsets.UTF_8)).toZip();
        assertThat(outcome(attack)).isEqualTo("INVALID");
    }

    @Test
    void aForeignNamespaceSignatureEntryPointingAtNewFilesIsNotValid() {
        // a reader that matches local names only would show this second "seal"; its files are additions to ours
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        byte[] copy = pack.get("Doc_0/Signs/Sign_0/Signature.xml");
        byte[] attack = pack.with("Doc_0/Signs/Sign_9/Signature.xml", copy).toZip();
        attack = replace(attack, LIST, "</ofd:Signatures>", "<x:Signature xmlns:x=\"urn:other\" ID=\"9\" Type=\"Seal\" "
                + "BaseLoc=\"/Doc_0/Signs/Sign_9/Signature.xml\"/></ofd:Signatures>");
        assertThat(outcome(attack)).isEqualTo("INVALID");
    }

    /**
     * The attacker copies the real Signature.xml to a new folder, moves its StampAnnot (the seal picture then shows
     * somewhere else / a second time, e.g. on an attachment page) and lists it in the unprotected Signatures.xml.
     * As Type="Seal" the copy fails its dataHash: INVALID. As Type="Sign" it is not checked at all.
     */
    @Test
    void aForgedSecondStampListedAsTypeSignIsNotMerelyIndeterminate() {
        for (String type : new String[] {"Seal", "Sign"}) {
            OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
            String signature = text(sealed, "Doc_0/Signs/Sign_0/Signature.xml");
            assertThat(signature).contains("Boundary=\"130 180 40 40\"");
            byte[] moved = signature.replace("Boundary=\"130 180 40 40\"", "Boundary=\"20 20 40 40\"")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] attack = pack.with("Doc_0/Signs/Sign_1/Signature.xml", moved).toZip();
            attack = replace(attack, LIST, "</ofd:Signatures>", "<ofd:Signature ID=\"2\" Type=\"" + type
                    + "\" BaseLoc=\"/Doc_0/Signs/Sign_1/Signature.xml\"/></ofd:Signatures>");
            assertThat(outcome(attack)).as(type).isEqualTo("INVALID");
        }
    }

    /**
     * A Type="Sign" entry that is no seal (its SignedValue is not an SES_Signature): this verifier does not check
     * GB/T 35275 signatures, so its files are not a later seal's allowed files but additions after the real seal.
     */
    @Test
    void theFilesOfAnUncheckedSignEntryAreNotAllowedAdditions() {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        String signature = text(sealed, "Doc_0/Signs/Sign_0/Signature.xml");
        assertThat(signature).contains("Sign_0/SignedValue.dat");
        byte[] copy = signature.replace("Sign_0/SignedValue.dat", "Sign_1/SignedValue.dat")
                .getBytes(StandardCharsets.UTF_8);
        byte[] attack = pack.with("Doc_0/Signs/Sign_1/Signature.xml", copy)
                .with("Doc_0/Signs/Sign_1/SignedValue.dat", "not a seal".getBytes(StandardCharsets.UTF_8)).toZip();
        attack = replace(attack, LIST, "</ofd:Signatures>", "<ofd:Signature ID=\"2\" Type=\"Sign\" "
                + "BaseLoc=\"/Doc_0/Signs/Sign_1/Signature.xml\"/></ofd:Signatures>");
        VerificationReport report = verifyOrNull(attack);
        assertThat(report).isNotNull();
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().getFirst().changesAfterSigning())
                .anyMatch(c -> !c.allowed() && c.description().contains("Sign_1/Signature.xml"));
        assertThat(report.signatures().get(1).indication()).isEqualTo(Indication.INDETERMINATE);
    }

    /** An electronic seal's SES_Signature listed as Type="Sign": that entry fails (it is not merely unchecked). */
    @Test
    void aSealListedAsASignEntryFails() {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        byte[] attack = pack.with("Doc_0/Signs/Sign_1/Signature.xml", pack.get("Doc_0/Signs/Sign_0/Signature.xml"))
                .toZip();
        attack = replace(attack, LIST, "</ofd:Signatures>", "<ofd:Signature ID=\"2\" Type=\"Sign\" "
                + "BaseLoc=\"/Doc_0/Signs/Sign_1/Signature.xml\"/></ofd:Signatures>");
        VerificationReport report = verifyOrNull(attack);
        assertThat(report).isNotNull();
        assertThat(report.signatures().get(1).indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(report.signatures().get(1).reasons()).anyMatch(r -> r.contains("SES_Signature"));
    }

    /** The same seal listed twice in Signatures.xml: the report counts two valid seals where one was applied. */
    @Test
    void theSameSealListedTwiceIsNotTwoValidSeals() {
        byte[] attack = replace(sealed, LIST, "</ofd:Signatures>", "<ofd:Signature ID=\"法定代表人\" Type=\"Seal\" "
                + "BaseLoc=\"/Doc_0/Signs/Sign_0/Signature.xml\"/></ofd:Signatures>");
        VerificationReport report = verifyOrNull(attack);
        assertThat(report == null || report.verdict() != Verdict.VALID || report.signatures().size() == 1)
                .as(outcome(attack) + " " + (report == null ? "" : report.signatures().size() + " seals"))
                .isTrue();
    }

    @Test
    void anUnknownOrDowngradedCheckMethodIsNotValid() {
        // CheckMethod sits in the signed Signature.xml: any edit breaks the dataHash
        byte[] attack = replace(sealed, "Doc_0/Signs/Sign_0/Signature.xml", "CheckMethod=\"1.2.156.10197.1.401\"",
                "CheckMethod=\"MD5\"");
        assertThat(outcome(attack)).isEqualTo("INVALID");
    }

    // ----------------------------------------------------------------------------------- crashes and resource use

    /** An entry of the unprotected Signatures.xml without BaseLoc: a refusal or INVALID, not a NullPointerException. */
    @Test
    void aSignatureEntryWithoutBaseLocIsRefusedNotACrash() {
        byte[] attack = replace(sealed, LIST, "</ofd:Signatures>",
                "<ofd:Signature ID=\"2\" Type=\"Seal\"/></ofd:Signatures>");
        assertThat(outcome(attack)).isNotEqualTo("VALID");
    }

    @Test
    void aTemplatePageWithoutBaseLocIsRefusedNotACrash() {
        byte[] attack = replace(sealed, "Doc_0/Document.xml", "</ofd:CommonData>",
                "<ofd:TemplatePage ID=\"99\"/></ofd:CommonData>");
        assertThat(outcome(attack)).isNotEqualTo("VALID");
    }

    /** Deeply nested elements in a part the reader walks (here a CustomData value): refused, no StackOverflowError. */
    @Test
    void deeplyNestedXmlIsRefusedNotAStackOverflow() {
        int depth = 200_000;
        String nested = "<a>".repeat(depth) + "x" + "</a>".repeat(depth);
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        String ofdXml = text(sealed, "OFD.xml");
        assertThat(ofdXml).contains("</ofd:CustomDatas>");
        ofdXml = ofdXml.replace("</ofd:CustomDatas>", "<ofd:CustomData Name=\"deep\">" + nested
                + "</ofd:CustomData></ofd:CustomDatas>");
        // stored, not deflated: a deflated run of "<a>" is (rightly) refused as a zip bomb before it is parsed
        byte[] attack = stored(pack.with("OFD.xml", ofdXml.getBytes(StandardCharsets.UTF_8)));
        assertThat(outcome(attack)).isNotEqualTo("VALID").isNotEqualTo("REFUSED OFD_TOO_LARGE");
    }

    /**
     * Work and memory amplification: one real seal listed 100 times (the default maxSignatures) and 9,900 one-byte
     * entries (under maxEntries). Each listing is verified on its own and reports every entry as a change: about
     * a million Change objects for a package of a few hundred KB.
     */
    @Test
    void oneSealListedAHundredTimesOverTenThousandEntriesStaysBounded() throws Exception {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        String list = text(sealed, LIST);
        String entry = "<ofd:Signature BaseLoc=\"/Doc_0/Signs/Sign_0/Signature.xml\" ID=\"1\" Type=\"Seal\"/>";
        assertThat(list).contains(entry);
        pack = pack.with(LIST, list.replace(entry, entry.repeat(100)).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : pack.names()) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(pack.get(name));
                zip.closeEntry();
            }
            for (int i = 0; i < 9_900; i++) {
                zip.putNextEntry(new ZipEntry("Doc_0/x/" + i));
                zip.write('x');
                zip.closeEntry();
            }
        }
        byte[] attack = out.toByteArray();
        long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        VerificationReport report = verifyOrNull(attack);
        cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu;
        long changes = report == null ? 0 : report.signatures().stream().mapToLong(s -> s.changesAfterSigning().size())
                .sum();
        System.out.println("AMPLIFY bytes=" + attack.length + " outcome=" + (report == null ? "REFUSED"
                : report.verdict()) + " seals=" + (report == null ? 0 : report.signatures().size()) + " changes="
                + changes + " cpuMs=" + cpu / 1_000_000 + " reportChars="
                + (report == null ? 0 : cn.yinxin.core.pdf.verify.report.ReportMaps.toMap(report).toString().length()));
        assertThat(changes).as("Change objects in the report").isLessThanOrEqualTo(20_000);
    }

    /**
     * One seal and 5,000 one-byte entries added after it: the report lists at most maxChangesPerSeal changes and
     * counts the rest in one, not allowed (the verdict stays INVALID as with every change listed).
     */
    @Test
    void manyAddedEntriesAreCountedNotEachListed() {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        for (int i = 0; i < 5_000; i++) {
            pack = pack.with("Doc_0/x/" + i, new byte[] {'x'});
        }
        VerificationReport report = verifyOrNull(pack.toZip());
        assertThat(report).isNotNull();
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        var changes = report.signatures().getFirst().changesAfterSigning();
        assertThat(changes).hasSize(OfdLimits.DEFAULT.maxChangesPerSeal() + 1);
        assertThat(changes.getLast().allowed()).isFalse();
        assertThat(changes.getLast().description()).startsWith((5_000 - OfdLimits.DEFAULT.maxChangesPerSeal()) + " more");
    }

    /**
     * The signer's certificate in SignedValue.dat (SES_Signature.cert, after the seal) with one field damaged: its
     * notBefore date, its public key point, its subject's UTF-8 name. Each must give a report (the seal failed), never
     * an exception: the verifier service would answer 500. Found by the random fuzz below.
     */
    @Test
    void aSignerCertificateWithADamagedFieldIsAReportNotACrash() throws Exception {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        String name = "Doc_0/Signs/Sign_0/SignedValue.dat";
        byte[] value = pack.get(name);
        byte[] certificate = cn.yinxin.core.ses.SealSignature.decode(value).signerCertificate();
        var parsed = org.bouncycastle.asn1.x509.Certificate.getInstance(certificate);
        int at = lastIndexOf(value, certificate);
        assertThat(at).isGreaterThan(value.length / 2); // the cert field, not the seal's certList
        byte[] notBefore = parsed.getStartDate().getEncoded();
        byte[] point = parsed.getSubjectPublicKeyInfo().getPublicKeyData().getBytes();
        byte[] cn = parsed.getSubject().getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN)[0].getFirst().getValue()
                .toString().getBytes(StandardCharsets.UTF_8);
        java.util.Map<String, Integer> damages = new java.util.LinkedHashMap<>();
        damages.put("notBefore digit", indexOf(value, notBefore, at) + 4);
        damages.put("key point", indexOf(value, point, at) + 20);
        damages.put("subject CN UTF-8", indexOf(value, cn, at) + 1);
        java.util.List<String> crashes = new java.util.ArrayList<>();
        damages.forEach((what, where) -> {
            byte[] damaged = value.clone();
            damaged[where] = what.startsWith("notBefore") ? (byte) 0x9B : (byte) (damaged[where] ^ 0x55);
            if (what.startsWith("subject")) {
                damaged[where] = (byte) 0xFF;
            }
            try {
                outcome(pack.with(name, damaged).toZip());
            } catch (AssertionError e) {
                crashes.add(what + ": " + e.getMessage());
            }
        });
        assertThat(crashes).isEmpty();
    }

    /**
     * Work amplification in the reader: 5,000 Page entries (maxPages) all naming the same Content.xml, padded to
     * 1 MiB and stored. Each Page parses the same part again (and pack.get copies it): 5 GB of XML parsed for one
     * request of ~1 MB. A correct reader parses a part once, or refuses a part named by two pages.
     */
    @Test
    void fiveThousandPagesNamingOneLargeContentAreNotParsedFiveThousandTimes() {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        String document = text(sealed, "Doc_0/Document.xml");
        String pages = document.substring(document.indexOf("<ofd:Pages>"), document.indexOf("</ofd:Pages>"));
        String many = "<ofd:Pages>" + "<ofd:Page BaseLoc=\"Pages/Page_0/Content.xml\" ID=\"4\"/>".repeat(5_000);
        String page = text(sealed, PAGE).replace("<ofd:Area>", "<!--" + "x".repeat(1 << 20) + "--><ofd:Area>");
        byte[] attack = stored(pack.with("Doc_0/Document.xml", document.replace(pages, many)
                .getBytes(StandardCharsets.UTF_8)).with(PAGE, page.getBytes(StandardCharsets.UTF_8)));
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        String outcome = outcome(attack);
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        // a reference measured in the same run: verifying the genuine document
        long reference = threads.getCurrentThreadCpuTime();
        outcome(sealed);
        reference = threads.getCurrentThreadCpuTime() - reference;
        System.out.println("PAGES bytes=" + attack.length + " outcome=" + outcome + " cpuMs=" + cpu / 1_000_000
                + " referenceMs=" + reference / 1_000_000);
        assertThat(cpu).as("CPU for the attack vs the genuine document").isLessThan(50 * Math.max(reference, 10_000_000L));
    }

    /** Any damage to SignedValue.dat: a report (TOTAL_FAILED / INDETERMINATE) or a refusal, never a crash. */
    @Test
    void aDamagedSignedValueNeverCrashesTheVerifier() {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        String name = "Doc_0/Signs/Sign_0/SignedValue.dat";
        byte[] value = pack.get(name);
        java.util.Random random = new java.util.Random(20261206);
        java.util.Set<String> outcomes = new java.util.TreeSet<>();
        java.util.List<String> crashes = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            byte[] damaged = value.clone();
            int at = random.nextInt(damaged.length);
            damaged[at] = (byte) random.nextInt(256);
            if (i % 10 == 9) {
                damaged = java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length));
            }
            // VALID is possible and harmless here: the time-stamp token's certificate bag is outside every signature
            // (CMS SignedData.certificates)
            try {
                outcomes.add(outcome(pack.with(name, damaged).toZip()));
            } catch (AssertionError e) {
                crashes.add("byte " + at + ": " + e.getMessage());
            }
        }
        assertThat(crashes).isEmpty();
        assertThat(outcomes).contains("INVALID");
    }

    // -------------------------------------------------------------------------------------------------- helpers

    /** "VALID"/"INVALID"/... or "REFUSED <problem>"; anything else thrown is a crash and fails the test. */
    static String outcome(byte[] ofd) {
        try {
            return material.verifier().verify(ofd).verdict().name();
        } catch (RejectedException e) {
            return "REFUSED " + e.problem().name();
        } catch (Throwable t) {
            throw new AssertionError("CRASH: " + t, t);
        }
    }

    private static VerificationReport verifyOrNull(byte[] ofd) {
        try {
            return material.verifier().verify(ofd);
        } catch (RejectedException e) {
            return null;
        }
    }

    private static String text(byte[] ofd, String entry) {
        return new String(OfdPackage.read(ofd, OfdLimits.DEFAULT).get(entry), StandardCharsets.UTF_8);
    }

    private static byte[] replace(byte[] ofd, String entry, String from, String to) {
        OfdPackage pack = OfdPackage.read(ofd, OfdLimits.DEFAULT);
        String text = new String(pack.get(entry), StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        return pack.with(entry, text.replace(from, to).getBytes(StandardCharsets.UTF_8)).toZip();
    }

    /** The package's entries, plus one more written with a raw name (OfdPackage.with would normalise it). */
    private static byte[] rezip(byte[] ofd, String rawName, byte[] bytes) throws Exception {
        OfdPackage pack = OfdPackage.read(ofd, OfdLimits.DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : pack.names()) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(pack.get(name));
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry(rawName));
            zip.write(bytes);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** The package with every entry STORED (no deflate, so no ratio check). */
    private static byte[] stored(OfdPackage pack) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : pack.names()) {
                byte[] bytes = pack.get(name);
                ZipEntry entry = new ZipEntry(name);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        int found = -1;
        for (int i = indexOf(haystack, needle, 0); i >= 0; i = indexOf(haystack, needle, i + 1)) {
            found = i;
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The ZIP with a forged STORED local header for {@code entry} hidden after the real entries (behind 4 bytes
     * that are no signature) and the central directory pointing to it.
     */
    static byte[] hiddenLocalHeader(byte[] zip, String entry, byte[] forged) {
        ByteBuffer in = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        assertThat(in.getInt(end)).isEqualTo(0x06054b50);
        int count = in.getShort(end + 10) & 0xffff;
        int cdSize = in.getInt(end + 12);
        int cdOffset = in.getInt(end + 16);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(forged);

        ByteBuffer out = ByteBuffer.allocate(zip.length + 4 + 30 + name.length + forged.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(zip, 0, cdOffset);
        out.put("JUNK".getBytes(StandardCharsets.US_ASCII)); // ZipInputStream stops at a non-signature
        int hidden = out.position();
        out.putInt(0x04034b50).putShort((short) 10).putShort((short) 0).putShort((short) 0) // version, flags, STORED
                .putShort((short) 0).putShort((short) 0x2821) // time, date
                .putInt((int) crc.getValue()).putInt(forged.length).putInt(forged.length)
                .putShort((short) name.length).putShort((short) 0).put(name).put(forged);
        int newCd = out.position();
        out.put(zip, cdOffset, cdSize);
        ByteBuffer cd = out.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int at = newCd;
        boolean found = false;
        for (int n = 0; n < count; n++) {
            int nameLength = cd.getShort(at + 28) & 0xffff;
            String central = new String(out.array(), at + 46, nameLength, StandardCharsets.UTF_8);
            if (central.equals(entry)) {
                cd.putShort(at + 8, (short) 0).putShort(at + 10, (short) 0).putInt(at + 16, (int) crc.getValue())
                        .putInt(at + 20, forged.length).putInt(at + 24, forged.length).putInt(at + 42, hidden);
                found = true;
            }
            at += 46 + nameLength + (cd.getShort(at + 30) & 0xffff) + (cd.getShort(at + 32) & 0xffff);
        }
        assertThat(found).isTrue();
        out.put(zip, end, 22);
        out.putInt(out.position() - 22 + 16, newCd);
        return java.util.Arrays.copyOf(out.array(), out.position());
    }
}
