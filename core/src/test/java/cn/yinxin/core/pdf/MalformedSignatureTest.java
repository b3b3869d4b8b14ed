package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signature value damaged anywhere (one hex digit changed, at every 16th position of /Contents) is answered with
 * a verdict, never with an exception: the CMS and certificate parsers throw unchecked exceptions
 * on some malformed structures (a corrupted certificate), which must fail that signature, not the request.
 */
class MalformedSignatureTest {

    @Test
    void aSignatureValueDamagedAnywhereIsAnsweredNeverThrown() throws Exception {
        TestMaterial material = new TestMaterial();
        PdfVerifier verifier = new PdfVerifier(List.of(material.root)).withVisualProof(null);
        byte[] sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        long[] range = PdfCrafting.lastByteRange(sealed);
        int from = (int) range[1] + 1;
        int to = (int) range[2] - 1;
        int answered = 0;
        int notValid = 0;
        for (int at = from; at < Math.min(to, from + 4000); at += 16) {
            byte[] damaged = sealed.clone();
            damaged[at] = (byte) (damaged[at] == 'f' ? '0' : damaged[at] == '9' ? 'a' : damaged[at] + 1);
            VerificationReport report = verifier.verify(damaged);
            assertThat(report.signatures()).as("one digit changed at byte %d", at).hasSize(1);
            answered++;
            notValid += report.verdict() == Verdict.VALID ? 0 : 1;
        }
        assertThat(answered).isGreaterThan(200);
        // a digit of an unsigned part the verifier does not use (the root's copy in the certificate set: the trusted
        // root is its own) changes nothing; everything else does
        assertThat(notValid).isGreaterThan(answered / 2);
    }
}
