package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.pdf.LongTermMaterial;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.cms.TimeStamper;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.util.CollectionStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A sealer reserves for a key's later signatures the room its earlier values needed (plus {@link ContentsRoom#SLACK}),
 * not the 10 KiB guess for a time-stamp token; a value that outgrows that room is made once more, and every
 * document it writes verifies.
 */
class ContentsRoomTest {

    private static final Pattern BYTE_RANGE = Pattern.compile("/ByteRange ?\\[ ?(\\d+) (\\d+) (\\d+) (\\d+) ?\\]");
    private static LongTermMaterial pki;
    private static PdfVerifier verifier;
    /** Certificates of another PKI, ~2 KB: what a grown TSA answer carries in addition. */
    private static final List<X509CertificateHolder> EXTRA = new ArrayList<>();

    @BeforeAll
    static void keys() throws Exception {
        pki = new LongTermMaterial();
        verifier = new PdfVerifier(List.of(pki.root));
        TestMaterial other = new TestMaterial();
        for (X509Certificate extra : other.sealKey.chain()) {
            EXTRA.add(new X509CertificateHolder(extra.getEncoded()));
        }
        EXTRA.add(new X509CertificateHolder(other.root.getEncoded()));
    }

    @Test
    void laterSignaturesOfAKeyReserveWhatItsValuesNeed() throws Exception {
        PdfSealer sealer = new PdfSealer(pki.timeStamper(), pki.revocation());
        byte[] first = sealer.seal(TestMaterial.onePagePdf(0), request());
        byte[] second = sealer.seal(TestMaterial.onePagePdf(0), request());
        byte[] third = sealer.seal(TestMaterial.onePagePdf(0), request());

        int value = valueLength(first);
        assertThat(room(first)).isGreaterThan(value + 8 * 1024); // the first: the estimate, a 10 KiB token room in it
        assertThat(room(second)).isBetween(value, value + ContentsRoom.SLACK + 16);
        assertThat(room(third)).isEqualTo(room(second)); // learnt once, kept (documents of one size)
        assertThat(second.length).isLessThan(first.length - 2 * 8 * 1024);
        for (byte[] sealed : List.of(first, second, third)) {
            assertThat(verifier.verify(sealed).verdict()).isEqualTo(Verdict.VALID);
        }
    }

    @Test
    void laterDocumentTimeStampsReserveWhatTheTokenNeeds() throws Exception {
        PdfSealer sealer = new PdfSealer(pki.timeStamper(), pki.revocation());
        byte[] first = sealer.seal(TestMaterial.onePagePdf(0), request(SignatureLevel.B_LTA));
        byte[] second = sealer.seal(TestMaterial.onePagePdf(0), request(SignatureLevel.B_LTA));

        // the last /ByteRange is the document time-stamp's
        assertThat(room(first)).isEqualTo(ContentsRoom.DOCUMENT_TIME_STAMP_ESTIMATE);
        assertThat(room(second)).isBetween(valueLength(second), valueLength(second) + ContentsRoom.SLACK + 16);
        assertThat(second.length).isLessThan(first.length - 2 * 8 * 1024);
        assertThat(verifier.verify(second).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aValueThatOutgrowsTheLearntRoomIsMadeOnceMoreWithTheRoomItNeeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger grownFrom = new AtomicInteger(Integer.MAX_VALUE);
        // from the second token on, the TSA's answer carries four more certificates (a longer chain, say): ~2 KB
        TimeStamper growing = data -> {
            byte[] token = pki.timeStamper().timeStamp(data);
            return calls.incrementAndGet() >= grownFrom.get() ? withMoreCertificates(token) : token;
        };
        PdfSealer sealer = new PdfSealer(growing, pki.revocation());
        byte[] learnt = sealer.seal(TestMaterial.onePagePdf(0), request());
        grownFrom.set(2);

        byte[] sealed = sealer.seal(TestMaterial.onePagePdf(0), request());

        assertThat(calls.get()).isEqualTo(3); // the value that did not fit, then the one that did
        assertThat(valueLength(sealed)).isGreaterThan(valueLength(learnt) + ContentsRoom.SLACK);
        assertThat(room(sealed)).isBetween(valueLength(sealed), valueLength(sealed) + ContentsRoom.SLACK + 16);
        assertThat(verifier.verify(sealed).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void valuesThatKeepGrowingAreRefusedAfterASecondTry() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // every token larger than the one before by the certificates of another PKI once more
        TimeStamper growing = data -> {
            byte[] token = pki.timeStamper().timeStamp(data);
            int call = calls.incrementAndGet();
            for (int i = 1; i < call; i++) {
                token = withMoreCertificates(token);
            }
            return token;
        };
        PdfSealer sealer = new PdfSealer(growing, pki.revocation());
        sealer.seal(TestMaterial.onePagePdf(0), request());

        assertThatThrownBy(() -> sealer.seal(TestMaterial.onePagePdf(0), request()))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("twice in a row");
        assertThat(calls.get()).isEqualTo(3);
    }

    /** At B-LT (time-stamped, its revocation data added) so that the offline verifier can say VALID. */
    private static SealRequest request() throws IOException {
        return request(SignatureLevel.B_LT);
    }

    private static SealRequest request(SignatureLevel level) throws IOException {
        return new SealRequest(pki.sealKey, new SealAppearance(TestMaterial.redSquarePng(), 40, 40),
                new SealPlacement(1, 50, 50), "测试专用章", null, Instant.now(), level);
    }

    /** The bytes reserved for /Contents: the gap between the two byte ranges, less '<' and '>', in hex digits / 2. */
    private static int room(byte[] pdf) {
        long[] range = byteRange(pdf);
        return (int) ((range[2] - range[0] - range[1] - 2) / 2);
    }

    /** The signature value's length: the gap's hex digits up to the zeros that pad it. */
    private static int valueLength(byte[] pdf) {
        long[] range = byteRange(pdf);
        String hex = new String(pdf, (int) range[1] + 1, room(pdf) * 2, StandardCharsets.ISO_8859_1);
        return hex.replaceAll("(00)+$", "").length() / 2;
    }

    private static long[] byteRange(byte[] pdf) {
        Matcher m = BYTE_RANGE.matcher(new String(pdf, StandardCharsets.ISO_8859_1));
        long[] last = null;
        while (m.find()) {
            last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4))};
        }
        return last;
    }

    /** The token with the certificates of another PKI added: unsigned, so the TSA's signature still holds. */
    private static byte[] withMoreCertificates(byte[] token) throws GeneralSecurityException {
        try {
            CMSSignedData cms = new CMSSignedData(token);
            List<X509CertificateHolder> certificates = new ArrayList<>(cms.getCertificates().getMatches(null));
            certificates.addAll(EXTRA);
            return CMSSignedData.replaceCertificatesAndCRLs(cms, new CollectionStore<>(certificates), null, null)
                    .getEncoded();
        } catch (CMSException | IOException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
