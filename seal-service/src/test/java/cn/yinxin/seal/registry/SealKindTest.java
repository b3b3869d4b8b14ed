package cn.yinxin.seal.registry;

import cn.yinxin.core.ses.SealMaker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The GB/T 38540 seal type of each kind: only a person's name seal is a personal seal (2), every other kind is 1. */
class SealKindTest {

    @Test
    void onlyTheLegalRepresentativesNameSealIsAPersonalSeal() {
        for (SealKind kind : SealKind.values()) {
            assertThat(kind.sesType()).as(kind.name()).isEqualTo(kind == SealKind.LEGAL_REPRESENTATIVE
                    ? SealMaker.TYPE_PERSONAL : SealMaker.TYPE_ORGANISATION);
        }
        assertThat(SealMaker.TYPE_ORGANISATION).isEqualTo(1);
        assertThat(SealMaker.TYPE_PERSONAL).isEqualTo(2);
    }
}
