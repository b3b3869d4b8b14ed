package cn.yinxin.core.qr;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The status list bitstring as the licence service writes it and the verifier reads it: entries where the IETF
 * draft puts them, a round trip through zlib, and reading bounded (a bomb or truncated data refused, never read
 * past the limit).
 */
class StatusListTest {

    @Test
    void entriesArePackedAsTheDraftSaysFirstEntryInTheLowBits() {
        StatusList list = StatusList.of(8, 2);
        list.set(0, StatusList.INVALID);
        list.set(3, StatusList.SUSPENDED);
        list.set(5, 3);
        // draft-ietf-oauth-status-list section 4.1: index 0 in the least significant bits of byte 0
        assertThat(list.packed()).containsExactly(0b1000_0001, 0b0000_1100);
        list.set(5, StatusList.VALID);
        assertThat(list.get(5)).isZero();
        assertThat(list.size()).isEqualTo(8);
        assertThat(list.covers(8)).isFalse();
        assertThat(list.covers(-1)).isFalse();
    }

    @Test
    void aMillionEntriesSurviveTheRoundTrip() {
        StatusList list = StatusList.of(1_000_000, 2);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 20_000; i++) {
            list.set(random.nextLong(1_000_000), 1 + random.nextInt(2));
        }
        StatusList read = StatusList.decompress(list.compressed(), 2, 1 << 20);
        assertThat(read.packed()).isEqualTo(list.packed());
    }

    @Test
    void aListInflatingPastTheLimitIsRefusedAndTruncatedDataToo() {
        byte[] bomb = cn.yinxin.core.Zlib.compress(new byte[8 << 20], 9); // 8 MiB of zeros in a few kilobytes
        assertThat(bomb.length).isLessThan(16 * 1024);
        assertThatThrownBy(() -> StatusList.decompress(bomb, 2, 1 << 20))
                .isInstanceOf(RejectedException.class)
                .satisfies(e -> assertThat(((RejectedException) e).problem()).isEqualTo(Problem.QR_INVALID))
                .hasMessageContaining("inflates to more than 1048576 bytes");
        assertThat(StatusList.decompress(bomb, 2, 8 << 20).size()).isEqualTo(32L << 20);

        byte[] whole = StatusList.of(100_000, 2).compressed();
        assertThatThrownBy(() -> StatusList.decompress(Arrays.copyOf(whole, whole.length - 4), 2, 1 << 20))
                .isInstanceOf(RejectedException.class).hasMessageContaining("truncated");
    }
}
