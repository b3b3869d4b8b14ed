package cn.yinxin.core.text;

import cn.yinxin.core.Problem;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class MessagesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d}");
    private static final Pattern CHINESE = Pattern.compile("[\\u4e00-\\u9fff]");

    @Test
    void everyEnglishTextHasItsOwnChineseTextWithTheSamePlaceholders() {
        List<String> missing = new ArrayList<>();
        for (String key : new TreeSet<>(Messages.keys(Language.EN))) {
            String english = Messages.own(key, Language.EN);
            String chinese = Messages.own(key, Language.ZH);
            if (chinese == null || !CHINESE.matcher(chinese).find()) {
                missing.add(key + " has no Chinese text");
            } else if (!placeholders(english).equals(placeholders(chinese))) {
                missing.add(key + " has placeholders " + placeholders(english) + " in English but "
                        + placeholders(chinese) + " in Chinese");
            }
        }
        for (String key : Messages.keys(Language.ZH)) {
            if (Messages.own(key, Language.EN) == null) {
                missing.add(key + " is in Chinese only (its English text is the one the code writes)");
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyMachineCodeAClerkCanMeetHasPlainWordsInBothLanguages() {
        List<String> keys = new ArrayList<>();
        for (Verdict v : Verdict.values()) {
            keys.add("verdict." + v.name());
        }
        for (Indication i : Indication.values()) {
            keys.add("indication." + i.name());
        }
        for (SubIndication s : SubIndication.values()) {
            keys.add("subIndication." + s.name());
        }
        for (Problem p : Problem.values()) {
            keys.add("problem." + p.type().substring(Problem.TYPE_PREFIX.length()));
        }
        for (String key : keys) {
            assertThat(Messages.own(key, Language.ZH)).as(key + " in Chinese").isNotBlank();
            assertThat(Messages.own(key, Language.EN)).as(key + " in English").isNotBlank();
        }
        for (Problem p : Problem.values()) {
            // one English title: the catalogue's is the enum's (which the OpenAPI documents list)
            assertThat(Messages.text("problem." + p.type().substring(Problem.TYPE_PREFIX.length()), Language.EN))
                    .as(p.name()).isEqualTo(p.title());
        }
        assertThat(Messages.text("subIndication.HASH_FAILURE", Language.ZH)).isEqualTo("盖章后文件内容被改动");
        assertThat(Messages.text("subIndication.REVOKED", Language.ZH)).isEqualTo("印章已被吊销");
        assertThat(Messages.text("subIndication.NO_CERTIFICATE_CHAIN_FOUND", Language.ZH)).isEqualTo("证书不受信任");
        assertThat(Messages.text("subIndication.TRY_LATER", Language.ZH)).startsWith("无法确认（缺少吊销信息）");
    }

    @Test
    void chineseUnlessTheCallerAsksForEnglish() {
        assertThat(Language.of(null)).isEqualTo(Language.ZH);
        assertThat(Language.of("")).isEqualTo(Language.ZH);
        assertThat(Language.of("*")).isEqualTo(Language.ZH);
        assertThat(Language.of("fr-FR, de;q=0.5")).isEqualTo(Language.ZH);
        assertThat(Language.of("zh-CN,zh;q=0.9,en;q=0.8")).isEqualTo(Language.ZH);
        assertThat(Language.of("en")).isEqualTo(Language.EN);
        assertThat(Language.of("en-US,en;q=0.9")).isEqualTo(Language.EN);
        assertThat(Language.of("fr, en;q=0.5, zh;q=0.4")).isEqualTo(Language.EN);
        assertThat(Language.of("zh;q=0.2, en;q=0.9")).isEqualTo(Language.EN);
        assertThat(Language.of("en;q=0, zh")).isEqualTo(Language.ZH);
        assertThat(Language.of("en;q=nonsense")).isEqualTo(Language.ZH);
    }

    @Test
    void aReasonIsRecognisedWithItsArgumentsAndRenderedInChinese() {
        String english = "The signed bytes were changed: their SHA-256 digest no longer matches the one that was signed.";
        Messages.Keyed keyed = Messages.recognise(english);
        assertThat(keyed).isNotNull();
        assertThat(keyed.key()).isEqualTo("reason.cms.changed");
        assertThat(keyed.args()).containsExactly("SHA-256");
        assertThat(Messages.localise(english, Language.ZH)).isEqualTo("盖章后文件内容被改动：其 SHA-256 摘要与签署时的不再一致。");
        assertThat(Messages.localise(english, Language.EN)).isEqualTo(english);

        // a reason inside a reason (the national seal's), and a phrase as an argument
        assertThat(Messages.localise("The GB/T 38540 seal signature is not valid (SEAL_STATUS): The signer's certificate "
                + "was not yet valid at the claimed signing time.", Language.ZH))
                .isEqualTo("GB/T 38540 电子印章签章无效（SEAL_STATUS）：在声称的签署时间，签署者证书尚未生效。");
        assertThat(Messages.localise("\"CN=Seal\" was not revoked (OCSP response fetched now, issued 2026-12-06T10:00:00Z).",
                Language.ZH)).isEqualTo("“CN=Seal”未被吊销（2026-12-06T10:00:00Z 的刚刚获取的 OCSP 响应）。");
        // a licence's live status in words, not its code (the page read "当前状态为 REVOKED")
        assertThat(Messages.localise("Licence 1.2.156.3005.2.X is REVOKED now: the document no longer proves it.",
                Language.ZH)).isEqualTo("证照 1.2.156.3005.2.X 已被吊销（REVOKED）：此文件已不能证明该证照。");
        assertThat(Messages.localise("Licence 1.2.156.3005.2.X is ARCHIVED now: the document no longer proves it.",
                Language.ZH)).as("a status with no words of its own").isEqualTo("证照 1.2.156.3005.2.X 当前状态为 ARCHIVED：此文件已不能证明该证照。");
        // an OFD seal's chains (the page showed these in English only)
        assertThat(Messages.localise("The seal maker's chain: \"CN=Yinxin Seal Maker,O=Yinxin,C=CN\" was not revoked "
                + "(OCSP response fetched now, issued 2026-12-07T15:05:38Z).", Language.ZH))
                .isEqualTo("印章制作者证书链：“CN=Yinxin Seal Maker,O=Yinxin,C=CN”未被吊销（2026-12-07T15:05:38Z 的刚刚获取的 OCSP 响应）。");
        assertThat(Messages.localise("The signer's chain: \"CN=Seal\" was not revoked (CRL fetched now, issued "
                + "2026-12-07T15:05:38Z).", Language.ZH)).startsWith("签署者证书链：“CN=Seal”未被吊销");
        // a list of forbidden changes, one of which holds "; " itself: each change rendered on its own
        assertThat(Messages.localise("The document was changed after this signature in a way a signature cannot allow: "
                + "a Square annotation was added on page 1 (a sealed document allows form filling and signing only); "
                + "visible change on page 1 in region (58, 600, 311, 150) (x, y, width, height in points; 8.96% of the "
                + "page differs).", Language.ZH)).isEqualTo("盖章后文件内容被改动，且改动不被签章允许：第 1 页上增加了一个 Square "
                + "批注（盖章文件只允许填写表单和签名）；第 1 页区域（58，600，311，150）有可见改动（x、y、宽、高，单位为点；页面的 "
                + "8.96% 不同）。");
        // a long list (a hostile document's many changes): every item still rendered
        String many = String.join("; ", java.util.Collections.nCopies(200, "a Square annotation was added on page 1"));
        String rendered = Messages.localise("The document was changed after this signature in a way a signature cannot "
                + "allow: " + many + ".", Language.ZH);
        assertThat(rendered).doesNotContain("annotation").contains("第 1 页上增加了一个 Square 批注；第 1 页上增加了一个 Square 批注");
        // what the catalogue does not know stays as written
        assertThat(Messages.localise("Something nobody catalogued.", Language.ZH)).isEqualTo("Something nobody catalogued.");
        assertThat(Messages.recognise("Something nobody catalogued.")).isNull();
    }

    @Test
    void englishPlaceholdersComeInOrderSoARecognisedSentenceGivesItsArgumentsInOrder() {
        for (String key : Messages.keys(Language.EN)) {
            Matcher m = PLACEHOLDER.matcher(Messages.own(key, Language.EN));
            int expected = 0;
            while (m.find()) {
                assertThat(m.group()).as(key).isEqualTo("{" + expected++ + "}");
            }
        }
    }

    @Test
    void aHostileTextMadeOfTheSentencesPiecesIsLeftAsWritten() {
        // a field name or certificate name is the document maker's: a text of the pieces of a sentence over and over
        // is answered as written. (How long it takes is bounded in Messages.Template by MAX_TRIES; by the project's
        // rules a time is not asserted in a unit test.)
        // (every piece but one of the sentence, many times over: no placing fits; unbounded, some 45,000 placings)
        String hostile = "the cross-reference of " + ", added after signing, reads  from index ".repeat(300)
                + ", which it does not define anew: readers that take the index from the cross-reference show another object";
        assertThat(Messages.recognise(hostile)).isNull();
        assertThat(Messages.localise(hostile, Language.ZH)).isEqualTo(hostile);
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
