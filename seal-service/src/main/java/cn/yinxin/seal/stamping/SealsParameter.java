package cn.yinxin.seal.stamping;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SealPlacement;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code seals} form field: several seals in one request, as a JSON list, each put in its own signature in
 * the order given: {@code [{"sealId":"a","page":1,"x":60,"y":240},{"sealId":"b","anchor":"（盖章）"}]}.
 */
final class SealsParameter {

    static final int MAX_SEALS = 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SealsParameter() {
    }

    static List<StampService.SealOrder> parse(String json) {
        JsonNode list;
        try {
            list = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, "seals is not valid JSON: " + e.getOriginalMessage());
        }
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_SEALS) {
            throw new RejectedException(Problem.INVALID_REQUEST, "seals is a JSON list of 1 to " + MAX_SEALS + " seals.");
        }
        List<StampService.SealOrder> seals = new ArrayList<>();
        for (JsonNode seal : list) {
            String sealId = seal.path("sealId").asString(null);
            if (sealId == null || sealId.isBlank()) {
                throw new RejectedException(Problem.INVALID_REQUEST, "Each entry of seals needs a sealId.");
            }
            Integer page = seal.hasNonNull("page") ? number(seal, "page", true).intValue() : null;
            Double x = seal.hasNonNull("x") ? number(seal, "x", false).doubleValue() : null;
            Double y = seal.hasNonNull("y") ? number(seal, "y", false).doubleValue() : null;
            String anchor = seal.hasNonNull("anchor") ? seal.get("anchor").asString() : null;
            SealPlacement placement = StampForm.placement(page, x, y, anchor);
            seals.add(new StampService.SealOrder(sealId, placement));
        }
        return seals;
    }

    /** A JSON number (an int for the page): "60" or true is refused as a request, not failed on as a 500. */
    private static Number number(JsonNode seal, String name, boolean page) {
        JsonNode value = seal.get(name);
        if (!value.isNumber() || page && !value.canConvertToInt()) {
            throw new RejectedException(Problem.INVALID_REQUEST, "In seals, " + name + " is a " + (page ? "page number"
                    : "number of millimetres") + ", not " + value + ".");
        }
        return page ? value.intValue() : value.doubleValue();
    }
}
