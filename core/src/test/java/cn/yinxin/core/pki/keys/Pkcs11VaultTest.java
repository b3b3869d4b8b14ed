package cn.yinxin.core.pki.keys;

import cn.yinxin.core.pki.ca.CertificateMaker;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PKCS#11 against a real token: SoftHSM2 (Debian package softhsm2), initialised in target/softhsm for this run
 * (SOFTHSM2_CONF is set by the pom).
 */
class Pkcs11VaultTest {

    static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    private static final char[] PIN = "4321".toCharArray();
    private static long slot;

    @BeforeAll
    static void freshToken() throws Exception {
        assertThat(LIBRARY).as("SoftHSM2 must be installed (apt-get install softhsm2)").exists();
        tokens();
        slot = vaultSlot;
    }

    private static boolean made;
    static long vaultSlot;
    static long sm2Slot;
    static long plainSlot;
    /** A token no test ever logs into: a PKCS#11 login holds for the whole application, per token. */
    static long neverOpenedSlot;

    /**
     * The tokens of every PKCS#11 test class of this run, made once in a new token directory before any of them opens
     * a library: SoftHSM reads its configuration and finds its tokens when a library is initialised in the JVM, and
     * that happens once per library.
     */
    static synchronized void tokens() throws Exception {
        if (!made) {
            Path config = Path.of(System.getenv("SOFTHSM2_CONF"));
            Path tokens = Files.createDirectories(config.getParent().resolve("tokens-" + System.nanoTime()));
            Files.writeString(config, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
            vaultSlot = initToken("yinxin-test");
            sm2Slot = initToken("yinxin-sm2-test");
            plainSlot = initToken("yinxin-plain");
            neverOpenedSlot = initToken("yinxin-never-opened");
            made = true;
        }
    }

    /** A new token; its slot id. */
    static long initToken(String label) throws Exception {
        Process init = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", label,
                "--pin", new String(PIN), "--so-pin", "87654321").redirectErrorStream(true).start();
        String output = new String(init.getInputStream().readAllBytes());
        assertThat(init.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Matcher m = Pattern.compile("slot (\\d+)").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** A CA of the test's own (a key in memory, its self-signed root). */
    private static SealKey testCa(String name) throws Exception {
        KeyPair caKeys = CertificateMaker.newEcKeyPair();
        return new SealKey(caKeys.getPrivate(), List.of(CertificateMaker.selfSignedRoot(CertificateMaker.caSubject(name),
                caKeys, Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30))));
    }

    /** A P-256 seal key made in the token under {@code alias}, certified by {@code ca}. */
    private static SealKey makeSeal(Pkcs11Vault vault, String alias, String sealName, SealKey ca) throws Exception {
        return vault.create(alias, KeyAlgorithm.EC_P256, key -> List.of(CertificateMaker.issue(
                CertificateMaker.sealSubject(sealName, "测试局", "91350100M000100Y43"), key.publicKey(),
                Profile.AGENCY_SEAL, ca, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(10), null),
                ca.certificate()));
    }

    @Test
    void aSealKeyMadeInTheTokenSignsAndNeverLeavesIt() throws Exception {
        SealKey ca = testCa("HSM Test Root");
        var root = ca.certificate();

        Pkcs11Vault vault = new Pkcs11Vault(LIBRARY, slot, PIN);
        SealKey seal = makeSeal(vault, "agency-seal", "HSM 专用章", ca);

        // a handle only: the token refuses to give the key out
        assertThat(seal.privateKey().getEncoded()).isNull();
        assertThat(seal.provider()).isSameAs(vault.provider());
        assertThatThrownBy(() -> KeyFactory.getInstance("EC", vault.provider())
                .getKeySpec(seal.privateKey(), PKCS8EncodedKeySpec.class)).isInstanceOf(Exception.class);

        // it seals a PDF that verifies
        byte[] sealed = new PdfSealer().seal(onePage(), new SealRequest(seal,
                new SealAppearance(redPng(), 30, 30), new SealPlacement(1, 100, 100), "HSM 专用章", null, Instant.now()));
        assertThat(new PdfVerifier(List.of(root)).verify(sealed).verdict()).isEqualTo(Verdict.VALID);

        // the key is a token object: a new session finds it by name
        Pkcs11Vault reopened = new Pkcs11Vault(LIBRARY, slot, PIN);
        assertThat(reopened.aliases()).contains("agency-seal");
        assertThat(reopened.get("agency-seal").certificate()).isEqualTo(seal.certificate());
        assertThatThrownBy(() -> reopened.create("agency-seal", KeyAlgorithm.EC_P256, k -> List.of(root)))
                .hasMessageContaining("already holds");
    }

    @Test
    void aDestroyedKeyIsGoneFromTheToken() throws Exception {
        SealKey ca = testCa("HSM Renewal Root");
        var root = ca.certificate();
        Pkcs11Vault vault = new Pkcs11Vault(LIBRARY, slot, PIN);
        for (String alias : List.of("renewed-old", "renewed-new")) {
            makeSeal(vault, alias, "HSM 专用章", ca);
        }
        vault.destroy("renewed-old");
        vault.destroy("never-there");
        // a new session on the token no longer finds it; the other key stays and signs
        Pkcs11Vault reopened = new Pkcs11Vault(LIBRARY, slot, PIN);
        assertThat(reopened.aliases()).doesNotContain("renewed-old").contains("renewed-new");
        assertThat(reopened.contains("renewed-old")).isFalse();
        assertThatThrownBy(() -> reopened.get("renewed-old")).hasMessageContaining("no key named");
        SealKey kept = reopened.get("renewed-new");
        byte[] sealed = new PdfSealer().seal(onePage(), new SealRequest(kept, new SealAppearance(redPng(), 30, 30),
                new SealPlacement(1, 100, 100), "HSM 专用章", null, Instant.now()));
        assertThat(new PdfVerifier(List.of(root)).verify(sealed).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aSignedQrCodeIsSignedInsideTheToken() throws Exception {
        SealKey ca = testCa("HSM QR Root");
        Pkcs11Vault vault = new Pkcs11Vault(LIBRARY, slot, PIN);
        SealKey seal = makeSeal(vault, "qr-seal", "HSM QR 专用章", ca);
        assertThat(seal.privateKey().getEncoded()).isNull();

        Instant now = Instant.now();
        String text = new cn.yinxin.core.qr.QrSigner(seal).sign(cn.yinxin.core.qr.CwtClaims.builder()
                .issuer("91350100M000100Y43").issuedAt(now).build());
        var verified = new cn.yinxin.core.qr.QrVerifier(List.of(seal.certificate()),
                java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)).verify(text);
        assertThat(verified.claims().issuer()).isEqualTo("91350100M000100Y43");
    }

    @Test
    void aRootCertifiesItselfInsideTheToken() throws Exception {
        Pkcs11Vault vault = new Pkcs11Vault(LIBRARY, slot, PIN);
        SealKey root = vault.create("root-rsa", KeyAlgorithm.RSA_2048, key -> List.of(CertificateMaker.selfSignedRoot(
                CertificateMaker.caSubject("HSM Root"), key.publicKey(), key.handle(), key.provider(),
                Instant.now(), Duration.ofDays(365))));
        root.certificate().verify(root.certificate().getPublicKey());
        assertThat(root.privateKey().getEncoded()).isNull();
    }

    @Test
    // a token of its own, never logged into: after a login to the same token the library would not ask for the PIN,
    // so on the shared token this test passed only when it ran first
    void aWrongPinIsRefusedClearly() {
        assertThatThrownBy(() -> new Pkcs11Vault(LIBRARY, neverOpenedSlot, "0000".toCharArray()))
                .hasMessageContaining("cannot log in");
    }

    @Test
    void aSlotWithoutTokenIsRefusedClearly() {
        assertThatThrownBy(() -> new Pkcs11Vault(LIBRARY, 999_999, PIN))
                .hasMessageContaining("cannot open slot 999999");
    }

    static byte[] onePage() throws Exception {
        try (var document = new org.apache.pdfbox.pdmodel.PDDocument()) {
            document.addPage(new org.apache.pdfbox.pdmodel.PDPage());
            var out = new java.io.ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    static byte[] redPng() throws Exception {
        var image = new java.awt.image.BufferedImage(20, 20, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        var g = image.createGraphics();
        g.setColor(java.awt.Color.RED);
        g.fillOval(0, 0, 20, 20);
        g.dispose();
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
