package cn.yinxin.core.licence;

import cn.yinxin.core.RejectedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LicenceIdentifierTest {

    @Test
    void theCheckCharacterFollowsIso7064Mod3736() {
        // the worked example of python-stdnum's iso7064.mod_37_36 (an independent implementation)
        assertThat(Iso7064.mod3736("A12425GABC1234002")).isEqualTo('M');
        // and it catches every single-character change in a licence body (a hybrid system catches most, not all,
        // swaps of neighbours: that is ISO 7064's own claim, so it is not asserted here)
        String body = "11430000006122244L00111430000006122244L20230000403001";
        char check = Iso7064.mod3736(body);
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (int i = 0; i < body.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c != body.charAt(i)) {
                    String changed = body.substring(0, i) + c + body.substring(i + 1);
                    assertThat(Iso7064.mod3736(changed)).as("change at %d to %s", i, c).isNotEqualTo(check);
                }
            }
        }
    }

    @Test
    void thePublishedExamplesOfStandardsMdCheck() {
        // STANDARDS.md section 3 prints them from the issuer on ("...W011...", "...W009..."): the type codes of the
        // national catalogue start with the USCC of the General Office of the State Council, 11100000000013338W
        var first = LicenceIdentifier.parse("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U");
        assertThat(first.check()).isEqualTo('U');
        assertThat(first.serial()).isEqualTo("20230000403");
        var second = LicenceIdentifier.parse("1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0");
        assertThat(second.check()).isEqualTo('0');
        assertThat(second.version()).isEqualTo(2);
        assertThatThrownBy(() -> LicenceIdentifier.parse(
                "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.V"))
                .isInstanceOf(RejectedException.class);
    }

    @Test
    void anIdentifierIsWrittenAndReadBack() {
        var id = new LicenceIdentifier("11430000006122244L011", "91350100M000100Y43", "20230000403", 1);
        String text = id.toString();
        assertThat(text).startsWith("1.2.156.3005.2.11430000006122244L011.91350100M000100Y43.20230000403.001.");
        assertThat(LicenceIdentifier.parse(text)).isEqualTo(id);
        assertThat(id.nextVersion().toString()).contains(".002.");
        // one character mistyped: refused
        String typo = text.replace("20230000403", "20230000408");
        assertThatThrownBy(() -> LicenceIdentifier.parse(typo)).isInstanceOf(RejectedException.class)
                .hasMessageContaining("check character");
        assertThatThrownBy(() -> new LicenceIdentifier("123", "91350100M000100Y43", "1", 1))
                .isInstanceOf(RejectedException.class);
        assertThatThrownBy(() -> new LicenceIdentifier("11430000006122244L011", "91350100M000100Y40", "1", 1))
                .isInstanceOf(RejectedException.class);
    }
}
