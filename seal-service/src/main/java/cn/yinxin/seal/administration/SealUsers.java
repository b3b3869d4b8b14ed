package cn.yinxin.seal.administration;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import cn.yinxin.seal.registry.SealUser;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a seal's users from JSON: {@code [{"client":"approval-a","levels":["B_T","B_LTA"],"certify":false,
 * "crossPage":true}]}. Levels may be written B_T or PAdES-BASELINE-T.
 */
final class SealUsers {

    static final int MAX_USERS = 200;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SealUsers() {
    }

    static List<SealUser> parse(String json) {
        try {
            return parse(JSON.readTree(json));
        } catch (JacksonException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, "users is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static List<SealUser> parse(JsonNode list) {
        if (list == null || list.isNull()) {
            return null;
        }
        if (!list.isArray() || list.size() > MAX_USERS) {
            throw new RejectedException(Problem.INVALID_REQUEST, "users is a JSON list of at most " + MAX_USERS + " clients.");
        }
        List<SealUser> users = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode node : list) {
            Set<SignatureLevel> levels = EnumSet.noneOf(SignatureLevel.class);
            for (JsonNode level : node.path("levels")) {
                levels.add(SignatureLevel.parse(level.asString("")));
            }
            SealUser user = new SealUser(node.path("client").asString(null), levels,
                    node.path("certify").asBoolean(false), node.path("crossPage").asBoolean(false));
            if (!seen.add(user.client())) {
                throw new RejectedException(Problem.INVALID_REQUEST, "Client '" + user.client() + "' is listed twice.");
            }
            users.add(user);
        }
        return users;
    }
}
