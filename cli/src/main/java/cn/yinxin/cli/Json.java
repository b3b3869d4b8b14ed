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

    /**
     * What {@code --json} prints when a command has no answer of a service to give: an RFC 9457 problem document of
     * the command line's own ({@code urn:yinxin:cli:<slug>}), so that a script reads one shape for every failure
     * (a service's refusal is printed as the service's own problem document).
     */
    static String cliProblem(String slug, String title, String detail) {
        var problem = MAPPER.createObjectNode();
        problem.put("type", "urn:yinxin:cli:" + slug);
        problem.put("title", title);
        problem.put("detail", detail);
        return pretty(problem);
    }

    /** A service's refusal as it sent it (pretty), or as a command-line problem when the body is not JSON. */
    static String refusal(int status, String body) {
        try {
            JsonNode problem = read(body);
            if (problem.isObject()) {
                return pretty(problem);
            }
        } catch (RuntimeException e) {
            // not JSON: below
        }
        return cliProblem("refused", "The service refused (HTTP " + status + ")", body);
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
