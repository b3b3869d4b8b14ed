package cn.yinxin.verifier.report;

import cn.yinxin.core.Problem;
import cn.yinxin.core.text.Language;
import cn.yinxin.core.text.Messages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;

/**
 * The words a clerk reads, added to a verification answer (a PDF report or a QR code's verdict) in the language the
 * caller asked for (Accept-Language; Chinese when it asks for none). What was there stays as it was: the verdict,
 * the ETSI indication and sub-indication codes, the problem type, and the English {@code summary} and
 * {@code reasons}, so experts, scripts and older clients read what they read before. Added:
 * <ul>
 *   <li>{@code language}: "zh-CN" or "en";</li>
 *   <li>{@code verdictText} and {@code summaryText};</li>
 *   <li>per signature (PDF) {@code outcomeText} (the indication in plain words: "盖章后文件内容被改动" for
 *       HASH_FAILURE), {@code reasonTexts} (each reason, index for index with {@code reasons}) and
 *       {@code reasonKeys} (each reason's message key and arguments, null where the catalogue has none);</li>
 *   <li>for a QR code {@code problemTitle}, {@code reasonTexts} and {@code reasonKeys}.</li>
 * </ul>
 */
public final class ReportTexts {

    private ReportTexts() {
    }

    public static JsonObject add(JsonObject answer, Language language) {
        String verdict = answer.getString("verdict");
        answer.put("language", language.tag());
        answer.put("verdictText", verdict == null ? null : Messages.textOr("verdict." + verdict, language, verdict));
        answer.put("summaryText", Messages.localise(answer.getString("summary"), language));
        if (answer.containsKey("problem")) {
            String type = answer.getString("problem");
            answer.put("problemTitle", type == null ? null : Messages.text("problem." + slug(type), language));
        }
        if (answer.getValue("reasons") instanceof JsonArray reasons) {
            reasons(answer, reasons, language);
        }
        if (answer.getValue("signatures") instanceof JsonArray signatures) {
            for (Object s : signatures) {
                if (s instanceof JsonObject signature) {
                    signature.put("outcomeText", outcome(signature, language));
                    if (signature.getValue("reasons") instanceof JsonArray reasons) {
                        reasons(signature, reasons, language);
                    }
                    if (signature.getValue("changesAfterSigning") instanceof JsonArray changes) {
                        for (Object c : changes) {
                            if (c instanceof JsonObject change) {
                                change.put("descriptionText", Messages.localise(change.getString("description"), language));
                            }
                        }
                    }
                }
            }
        }
        if (answer.getValue("licence") instanceof JsonObject licence) {
            licence.put("explanationText", Messages.localise(licence.getString("explanation"), language));
        }
        return answer;
    }

    /** The sub-indication says what went wrong more plainly than the indication; a passed signature has none. */
    private static String outcome(JsonObject signature, Language language) {
        String sub = signature.getString("subIndication");
        if (sub != null) {
            String text = Messages.text("subIndication." + sub, language);
            if (text != null) {
                return text;
            }
        }
        String indication = signature.getString("indication");
        return indication == null ? null : Messages.textOr("indication." + indication, language, indication);
    }

    private static void reasons(JsonObject holder, JsonArray reasons, Language language) {
        JsonArray texts = new JsonArray();
        JsonArray keys = new JsonArray();
        for (Object r : reasons) {
            String reason = r == null ? null : r.toString();
            texts.add(Messages.localise(reason, language));
            Messages.Keyed keyed = Messages.recognise(reason);
            keys.add(keyed == null ? null : new JsonObject().put("key", keyed.key())
                    .put("args", new JsonArray(new ArrayList<>(keyed.args()))));
        }
        holder.put("reasonTexts", texts).put("reasonKeys", keys);
    }

    private static String slug(String type) {
        return type.startsWith(Problem.TYPE_PREFIX)
                ? type.substring(Problem.TYPE_PREFIX.length()) : type;
    }
}
