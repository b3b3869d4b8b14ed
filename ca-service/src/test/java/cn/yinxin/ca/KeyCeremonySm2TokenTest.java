package cn.yinxin.ca;

import cn.yinxin.testing.SoftHsmTokens;
import cn.yinxin.ca.hierarchy.KeyCeremonyCommand;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.keys.Pkcs11Vault;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.core.ses.SealMaker;
import cn.yinxin.testing.TestDatabase;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ca-service.jar ceremony} with the CA key store in a PKCS#11 token. On a token that signs SM2 (SoftHSM2 with
 * the SM3withSM2 mechanism of .ci/softhsm-sm2) the GB/T 38540 seal maker's SM2 key is made inside the token, never
 * readable, certified by the agency seal CA, and the seals it makes verify with Bouncy Castle's own SM2 verifier. On
 * Debian's SoftHSM2 (no SM2) the ceremony still makes an EC or RSA hierarchy and audits that the seal maker was not
 * made, and refuses an SM2 hierarchy, saying why.
 */
@cn.yinxin.testing.Slow("an embedded PostgreSQL")
class KeyCeremonySm2TokenTest {

    static final Path SM2_LIBRARY = SoftHsmTokens.SM2_LIBRARY;
    static final Path PLAIN_LIBRARY = SoftHsmTokens.PLAIN_LIBRARY;
    static final String PIN = "4321";
    static final String DEFAULT_SM2_ID = "1234567812345678";

    /** A fresh SM2 token for each hierarchy algorithm; one plain token. */
    static final Map<KeyAlgorithm, Long> sm2Slots = new EnumMap<>(KeyAlgorithm.class);
    static long plainSlot;
    static long plainSlotForSm2;

    @BeforeAll
    static void tokens() throws Exception {
        assertThat(PLAIN_LIBRARY).as("SoftHSM2 must be installed (apt-get install softhsm2)").exists();
        // every token is made before either library is loaded: SoftHSM2 reads its token folder when initialised
        SoftHsmTokens.newTokenFolder();
        for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.SM2)) {
            sm2Slots.put(algorithm, initToken("ceremony-sm2-" + algorithm.name().toLowerCase()));
        }
        plainSlot = initToken("ceremony-plain");
        plainSlotForSm2 = initToken("ceremony-plain-sm2");
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "SM2"})
    void onAnSm2TokenTheSealMakersKeyIsMadeInTheTokenCertifiedAndSignsSealsThatVerify(KeyAlgorithm hierarchyAlgorithm)
            throws Exception {
        long slot = sm2Slots.get(hierarchyAlgorithm);
        String database = "ceremony_sm2_token_" + hierarchyAlgorithm.name().toLowerCase();
        String[] args = ceremony(SM2_LIBRARY, slot, database, hierarchyAlgorithm);

        Run run = run(args);
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("seal maker (GB/T 38540) created: " + CaHierarchy.SEAL_MAKER)
                .doesNotContain("seal maker not made");

        var vault = new Pkcs11Vault(SM2_LIBRARY, slot, PIN.toCharArray());
        assertThat(CaHierarchy.presentIn(vault)).isTrue();
        assertThat(vault.aliases()).contains(CaHierarchy.SEAL_MAKER);
        CaHierarchy hierarchy = CaHierarchy.load(vault);
        assertThat(KeyAlgorithm.of(hierarchy.sealCa().certificate().getPublicKey())).isEqualTo(hierarchyAlgorithm);

        // the certificate: SM2, issued by the agency seal CA (whatever algorithm the CAs use), chained to the root
        SealKey maker = vault.get(CaHierarchy.SEAL_MAKER);
        X509Certificate certificate = maker.certificate();
        X509Certificate sealCa = hierarchy.sealCa().certificate();
        assertThat(KeyAlgorithm.of(certificate.getPublicKey())).isEqualTo(KeyAlgorithm.SM2);
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(sealCa.getSubjectX500Principal());
        certificate.verify(sealCa.getPublicKey(), Providers.bouncyCastle());
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        List<X509Certificate> expectedChain = new ArrayList<>(List.of(certificate));
        expectedChain.addAll(hierarchy.sealCa().chain());
        assertThat(maker.chain()).isEqualTo(expectedChain);
        assertThat(maker.chain().get(maker.chain().size() - 1)).isEqualTo(hierarchy.root().certificate());

        // the key: a handle only, made in the token, sensitive, never extractable; its public half is the certificate's
        assertThat(maker.privateKey().getEncoded()).as("a handle only").isNull();
        assertThat(hierarchy.root().privateKey().getEncoded()).as("the root's key is in the token too").isNull();
        Session session = session(SM2_LIBRARY, slot);
        long[] privateKeys = session.findObjectsSingle(AttributeVector.newPrivateKey(PKCS11Constants.CKK_EC)
                .label(CaHierarchy.SEAL_MAKER), 4);
        assertThat(privateKeys).as("one private key labelled " + CaHierarchy.SEAL_MAKER + " in the token").hasSize(1);
        AttributeVector flags = session.getAttrValues(privateKeys[0], PKCS11Constants.CKA_SENSITIVE,
                PKCS11Constants.CKA_EXTRACTABLE, PKCS11Constants.CKA_LOCAL, PKCS11Constants.CKA_NEVER_EXTRACTABLE,
                PKCS11Constants.CKA_TOKEN, PKCS11Constants.CKA_PRIVATE);
        assertThat(flags.sensitive()).as("CKA_SENSITIVE").isTrue();
        assertThat(flags.extractable()).as("CKA_EXTRACTABLE").isFalse();
        assertThat(flags.local()).as("CKA_LOCAL: generated in the token, not imported").isTrue();
        assertThat(flags.neverExtractable()).as("CKA_NEVER_EXTRACTABLE").isTrue();
        assertThat(flags.token()).as("CKA_TOKEN: a token object, not a session key").isTrue();
        assertThat(flags.private_()).as("CKA_PRIVATE").isTrue();
        // the token answers CKR_ATTRIBUTE_SENSITIVE for the private value: nothing comes back
        assertThat(session.getAttrValues(privateKeys[0], PKCS11Constants.CKA_VALUE).value()).isNull();

        long[] publicKeys = session.findObjectsSingle(AttributeVector.newPublicKey(PKCS11Constants.CKK_EC)
                .label(CaHierarchy.SEAL_MAKER), 4);
        assertThat(publicKeys).hasSize(1);
        AttributeVector publicHalf = session.getAttrValues(publicKeys[0], PKCS11Constants.CKA_EC_PARAMS,
                PKCS11Constants.CKA_EC_POINT);
        assertThat(publicHalf.ecParams()).as("the SM2 curve").isEqualTo(GMObjectIdentifiers.sm2p256v1.getEncoded());
        byte[] point = publicHalf.ecPoint();
        if (point.length != 65) {
            point = ASN1OctetString.getInstance(point).getOctets();
        }
        assertThat(point).as("the token's public key is the certificate's")
                .isEqualTo(ecPublic(certificate.getPublicKey()).getQ().getEncoded(false));

        // a GB/T 38540 seal made the product's way (SealMaker: SM3withSM2 signed in the token), verified by
        // Bouncy Castle's SM2Signer with the default ID over DER(SEQUENCE { eSealInfo, cert, signAlgID })
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SESeal seal = new SealMaker(maker, "YINXIN").make(new SealMaker.SealSpec("ceremony-seal",
                SealMaker.TYPE_ORGANISATION, "示例市行政审批服务局行政审批专用章", redDot(), 42, 42, List.of(sealCa),
                now.minusSeconds(60), now.plus(Duration.ofDays(1))), now);
        assertThat(seal.makerCertificate()).isEqualTo(certificate.getEncoded());
        var signed = new ASN1EncodableVector();
        signed.add(seal.sealInfo());
        signed.add(new DEROctetString(seal.makerCertificate()));
        signed.add(seal.signAlgId());
        byte[] tbs = new DERSequence(signed).getEncoded("DER");
        assertThat(bcVerify(certificate.getPublicKey(), tbs, seal.signedValue(), DEFAULT_SM2_ID))
                .as("SM2Signer, ID " + DEFAULT_SM2_ID).isTrue();
        assertThat(bcVerify(certificate.getPublicKey(), tbs, seal.signedValue(), "ALICE123@YAHOO.COM"))
                .as("Z binds the signer ID").isFalse();
        byte[] tampered = tbs.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThat(bcVerify(certificate.getPublicKey(), tampered, seal.signedValue(), DEFAULT_SM2_ID)).isFalse();

        // every step is in the audit log, the seal maker's with its SM2 algorithm
        assertThat(auditedSteps(database)).hasSize(CaHierarchy.ALIASES.size() + 1)
                .contains("key ceremony: seal maker (GB/T 38540) created | " + CaHierarchy.SEAL_MAKER + " | SM2");

        // and a ceremony never runs twice on one token
        Run again = run(args);
        assertThat(again.exitCode()).as(again.output()).isEqualTo(1);
        assertThat(again.output()).contains("already holds");
        assertThat(session.findObjectsSingle(AttributeVector.newPrivateKey(PKCS11Constants.CKK_EC)
                .label(CaHierarchy.SEAL_MAKER), 4)).hasSize(1);
    }

    @Test
    void onATokenWithoutSm2TheCeremonyMakesTheHierarchyAndAuditsThatTheSealMakerWasNotMade() throws Exception {
        String database = "ceremony_plain_token";
        Run run = run(ceremony(PLAIN_LIBRARY, plainSlot, database, KeyAlgorithm.EC_P256));

        // the CA works without SM2 (KeyCeremony.run documents it); national-mode seals do not
        assertThat(run.exitCode()).as(run.output()).isZero();
        var vault = new Pkcs11Vault(PLAIN_LIBRARY, plainSlot, PIN.toCharArray());
        assertThat(CaHierarchy.presentIn(vault)).isTrue();
        assertThat(vault.contains(CaHierarchy.SEAL_MAKER)).isFalse();
        String refusal = "seal maker not made: SM2 keys in PKCS#11 need a token with SM2 mechanisms (national mode):"
                + " this one has no CKM_VENDOR_SM3_SM2 (0x80008100)";
        assertThat(run.output()).contains(refusal + ": " + CaHierarchy.SEAL_MAKER + " (SM2, no key)");
        assertThat(auditedSteps(database)).hasSize(CaHierarchy.ALIASES.size() + 1)
                .contains("key ceremony: " + refusal + " | " + CaHierarchy.SEAL_MAKER + " | SM2")
                .noneMatch(step -> step.startsWith("key ceremony: seal maker (GB/T 38540) created"));
        // nothing half-made is left behind: no key of that name in the token
        Session session = session(PLAIN_LIBRARY, plainSlot);
        assertThat(session.findObjectsSingle(new AttributeVector().label(CaHierarchy.SEAL_MAKER), 4)).isEmpty();
    }

    @Test
    void anSm2HierarchyOnATokenWithoutSm2IsRefusedWithAClearMessage() throws Exception {
        Run run = run(ceremony(PLAIN_LIBRARY, plainSlotForSm2, "ceremony_plain_token_sm2", KeyAlgorithm.SM2));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("Key ceremony failed: SM2 keys in PKCS#11 need a token with SM2 mechanisms"
                + " (national mode): this one has no CKM_VENDOR_SM3_SM2 (0x80008100)");
        var vault = new Pkcs11Vault(PLAIN_LIBRARY, plainSlotForSm2, PIN.toCharArray());
        assertThat(vault.aliases()).as("nothing made").isEmpty();
        assertThat(session(PLAIN_LIBRARY, plainSlotForSm2).findAllObjectsSingle(new AttributeVector())).isEmpty();
    }

    // --- helpers

    private static String[] ceremony(Path library, long slot, String database, KeyAlgorithm algorithm) {
        return new String[] {"ceremony", "--spring.datasource.url=" + TestDatabase.jdbcUrl(database),
            "--yinxin.ca.keystore.type=PKCS11", "--yinxin.ca.keystore.library=" + library,
            "--yinxin.ca.keystore.slot=" + slot, "--yinxin.ca.keystore.password=" + PIN,
            "--yinxin.ca.ceremony.algorithm=" + algorithm, "--spring.main.banner-mode=off"};
    }

    record Run(int exitCode, String output) {
    }

    /** The command, with what it prints (its steps on stdout, its failure on stderr). */
    private static synchronized Run run(String[] args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        var captured = new ByteArrayOutputStream();
        var both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            int code = KeyCeremonyCommand.run(args);
            return new Run(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            out.print(captured.toString(StandardCharsets.UTF_8));
        }
    }

    /** A new token; its slot id. */
    private static long initToken(String label) throws Exception {
        return SoftHsmTokens.initToken(label, PIN);
    }

    /** A session of our own on the token, after a Pkcs11Vault has logged in (the login holds for the application). */
    private static Session session(Path library, long slot) throws Exception {
        PKCS11Module module = PKCS11Module.getInstance(library.toString());
        return Arrays.stream(module.getSlotList(true)).filter(s -> s.getSlotID() == slot).findFirst().orElseThrow()
                .getToken().openSession(false);
    }

    /** action | subject | algorithm of every ceremony step in the audit log of that database. */
    private static List<String> auditedSteps(String database) throws Exception {
        List<String> steps = new ArrayList<>();
        try (var connection = DriverManager.getConnection(TestDatabase.jdbcUrl(database));
             var rs = connection.createStatement().executeQuery(
                     "SELECT action, subject, details FROM audit_event WHERE action LIKE 'key ceremony:%' ORDER BY id")) {
            while (rs.next()) {
                String details = rs.getString(3);
                steps.add(rs.getString(1) + " | " + rs.getString(2) + " | "
                        + details.substring(details.lastIndexOf(' ') + 1));
            }
        }
        return steps;
    }

    private static ECPublicKeyParameters ecPublic(PublicKey key) throws Exception {
        return (ECPublicKeyParameters) ECUtil.generatePublicKeyParameter(key);
    }

    private static boolean bcVerify(PublicKey key, byte[] data, byte[] signature, String id) throws Exception {
        SM2Signer signer = new SM2Signer();
        signer.init(false, new ParametersWithID(ecPublic(key), id.getBytes(StandardCharsets.US_ASCII)));
        signer.update(data, 0, data.length);
        return signer.verifySignature(signature);
    }

    /** A one-pixel red PNG, the seal's picture. */
    private static byte[] redDot() throws Exception {
        var image = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xffcc0000);
        var png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", png);
        return png.toByteArray();
    }
}
