package cn.yinxin.core.qr;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A fifth hostile read (2026-12-07) of the QR photo reader (POST /api/v1/verify/qr-image, anyone). */
class QrImageRedTeamFifthTest {

    /**
     * The third red team refused a JPEG of more than 100 scans, the pixel limit refuses more than 40 million pixels;
     * a white progressive JPEG of 6,000 x 6,000 (36 million) whose last scan is repeated to 100 scans (its six and 94 more) keeps both, and
     * the JDK's decoder walked 3.6 billion pixels for it (seconds of a QR image worker per upload of 300 KB). The
     * pixels a JPEG's scans walk together are held to ten times the pixel limit.
     */
    @Test
    void aLargeProgressiveJpegAtTheScanLimitIsRefusedBeforeDecoding() throws Exception {
        byte[] heavy = QrImageRedTeamTest.repeatLastScan(QrImageRedTeamTest.progressiveWhiteJpeg(6_000), 94);

        RejectedException refused = catchThrowableOfType(RejectedException.class,
                () -> new QrImages(40_000_000L, QrSigner.DEFAULT_PREFIX).read(heavy));
        assertThat(refused).as("decoded, not refused").isNotNull();
        assertThat(refused.problem()).isEqualTo(Problem.UNREADABLE_IMAGE);
        assertThat(refused.getMessage()).contains("scans");
    }

    /** The rule's other side: a photo at the pixel limit in the JDK's six scans is still read (no code in it). */
    @Test
    void aPhotoAtThePixelLimitInItsUsualScansIsStillDecoded() throws Exception {
        byte[] photo = QrImageRedTeamTest.progressiveWhiteJpeg(6_000);

        RejectedException answer = catchThrowableOfType(RejectedException.class,
                () -> new QrImages(40_000_000L, QrSigner.DEFAULT_PREFIX).read(photo));
        assertThat(answer.problem()).as(answer.getMessage()).isNotEqualTo(Problem.UNREADABLE_IMAGE);
    }
}
