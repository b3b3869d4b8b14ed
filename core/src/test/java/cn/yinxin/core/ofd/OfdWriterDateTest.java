package cn.yinxin.core.ofd;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The date an OFD says it was made comes from the caller's clock, never from the writer's own reading of it. */
class OfdWriterDateTest {

    @Test
    void writesTheCallersDateInDocInfo() {
        OfdWriter writer = new OfdWriter().title("审批结果").created(LocalDate.of(2031, 2, 3));
        writer.page(210, 297).text(20, 40, 5, "审批结果");
        String ofdXml = new String(writer.toPackage().get("OFD.xml"), StandardCharsets.UTF_8);
        assertThat(ofdXml).contains("<ofd:CreationDate>2031-02-03</ofd:CreationDate>");
    }

    @Test
    void refusesToGuessTheDate() {
        OfdWriter writer = new OfdWriter().title("审批结果");
        writer.page(210, 297).text(20, 40, 5, "审批结果");
        assertThatThrownBy(writer::write).isInstanceOf(IllegalStateException.class).hasMessageContaining("creation date");
    }
}
