package cn.yinxin.core.ofd;

import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third hostile read (2026-12-07) of the OFD verifier: each test an attack on a genuinely sealed OFD, asserting the
 * answer a clerk must get, never a crash.
 */
class OfdRedTeamThirdTest {

    private static OfdMaterial material;
    private static byte[] sealed;

    @BeforeAll
    static void setUp() throws Exception {
        material = new OfdMaterial();
        sealed = new OfdSealer(material.timeStamper()).seal(OfdMaterial.licenceOfd(),
                material.request(new SealPlacement(1, 150, 200)));
        assertThat(material.verifier().verify(sealed).verdict()).isEqualTo(Verdict.VALID);
    }

    /**
     * SignedValue.dat (not covered by any CheckValue: it is the signature) replaced by 160 KB of BER: 20,000 SEQUENCEs
     * of indefinite length, one inside the other. Bouncy Castle's ASN.1 parser descends by recursion, one call per
     * level: the verifying thread's stack overflowed, a StackOverflowError that no catch in the verifier took (a 500
     * at POST /api/v1/verify/ofd). It must be an answer, and not VALID.
     */
    @Test
    void aSignedValueNestedDeeperThanTheStackIsAnAnswerNotACrash() throws Exception {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        Object outcome = verifyOnAWorker(pack.with("Doc_0/Signs/Sign_0/SignedValue.dat", nestedBer(20_000)).toZip());
        assertThat(outcome).as(String.valueOf(outcome)).isInstanceOf(VerificationReport.class);
        assertThat(((VerificationReport) outcome).verdict()).isNotEqualTo(Verdict.VALID);
    }

    /**
     * {@code depth} BER SEQUENCEs of indefinite length nested in one another, each starting with two random bytes (an
     * OCTET STRING) so that the entry does not compress like a zip bomb.
     */
    static byte[] nestedBer(int depth) {
        java.util.Random random = new java.util.Random(20261207);
        byte[] ber = new byte[depth * 8 + 2];
        int at = 0;
        for (int i = 0; i < depth; i++) {
            ber[at++] = 0x30;
            ber[at++] = (byte) 0x80;
            ber[at++] = 0x04;
            ber[at++] = 0x02;
            ber[at++] = (byte) random.nextInt(256);
            ber[at++] = (byte) random.nextInt(256);
        }
        ber[at++] = 0x05;
        ber[at++] = 0x00;
        return ber; // the end-of-contents octets (zeros) are already there
    }

    /** The verification on a thread with a verifier worker's stack (the JVM's default, 1 MB on 64-bit Linux). */
    static Object verifyOnAWorker(byte[] ofd) throws Exception {
        Object[] outcome = new Object[1];
        Thread worker = new Thread(null, () -> {
            try {
                outcome[0] = material.verifier().verify(ofd);
            } catch (Throwable e) {
                outcome[0] = e;
            }
        }, "ofd-worker", 1024 * 1024);
        worker.start();
        worker.join();
        return outcome[0];
    }
}
