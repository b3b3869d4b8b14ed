package cn.yinxin.core.trust;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.security.GeneralSecurityException;
import java.util.Map;

/** JSON for signed documents (Jackson). Fields keep the order they were put in. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String text) throws GeneralSecurityException {
        try {
            return MAPPER.readValue(text, Map.class);
        } catch (JacksonException e) {
            throw new GeneralSecurityException("not the JSON expected: " + e.getOriginalMessage(), e);
        }
    }
}
