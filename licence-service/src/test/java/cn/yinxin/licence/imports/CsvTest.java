package cn.yinxin.licence.imports;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The import's CSV (Apache Commons CSV under it): each record keeps the line it starts on in the clerk's file and
 * its text as written, which a worker parses again to the same values; a file whose quotes do not close is refused.
 */
class CsvTest {

    @Test
    void recordsKeepTheirLineAndTextAndQuotedValuesMayHoldCommasQuotesAndNewlines() {
        String text = "holderName,address,note\r\n"
                + "张三,\"北京市东城区, 某路1号\",\"他说\"\"好\"\"\"\r\n"
                + "\r\n"
                + "李四,\"第一行\n第二行\",x\n"
                + "   \n"
                + "王五,,\n";
        List<Csv.Record> records = Csv.records(text);
        assertThat(records).extracting(Csv.Record::line).containsExactly(1, 2, 4, 7);
        assertThat(records.get(1).values()).containsExactly("张三", "北京市东城区, 某路1号", "他说\"好\"");
        assertThat(records.get(1).text()).isEqualTo("张三,\"北京市东城区, 某路1号\",\"他说\"\"好\"\"\"");
        assertThat(records.get(2).values()).containsExactly("李四", "第一行\n第二行", "x");
        assertThat(records.get(3).values()).containsExactly("王五", "", "");
        // what a worker does with a stored row: the same values again
        for (Csv.Record record : records) {
            assertThat(Csv.values(record.text())).isEqualTo(record.values());
        }
    }

    @Test
    void aQuoteThatDoesNotCloseOrTextAfterAClosingQuoteIsRefused() {
        assertThatThrownBy(() -> Csv.records("a,b\n1,\"open\n2,3\n")).isInstanceOf(Csv.Malformed.class);
        assertThatThrownBy(() -> Csv.records("a,b\n1,\"x\"y\n")).isInstanceOf(Csv.Malformed.class)
                .hasMessageContaining("line: 2");
    }

    @Test
    void aQuoteInsideAnUnquotedValueIsText() {
        assertThat(Csv.values("5\" screen,b")).containsExactly("5\" screen", "b");
    }
}
