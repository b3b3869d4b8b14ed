package cn.yinxin.cli;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON in and out for the command line. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Json() {
    }

    static JsonNode read(String text) {
        return MAPPER.readTree(text);
    }

    static String pretty(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** "title: detail" of an RFC 9457 problem document, or the raw text if it is not one. */
    static String problem(String body) {
        try {
            JsonNode problem = read(body);
            return problem.path("title").asString("") + ": " + problem.path("detail").asString("")
                    + " (" + problem.path("type").asString("") + ")";
        } catch (RuntimeException e) {
            return body;
        }
    }
}
