package cn.yinxin.core.licence;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsccTest {

    @Test
    void acceptsPublishedCodes() {
        assertThat(Uscc.isValid("91350100M000100Y43")).isTrue();
        assertThat(Uscc.isValid("11430000006122244L")).isTrue();
    }

    @Test
    void refusesAChangedCharacterOrWrongLength() {
        assertThat(Uscc.isValid("91350100M000100Y44")).isFalse();
        assertThat(Uscc.isValid("91350100M000200Y43")).isFalse();
        assertThat(Uscc.isValid("11430000006122244")).isFalse();
        assertThat(Uscc.isValid("1143000000612224IL")).isFalse();
        assertThat(Uscc.isValid(null)).isFalse();
    }
}
