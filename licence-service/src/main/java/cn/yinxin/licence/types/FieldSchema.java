package cn.yinxin.licence.types;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fields of a licence type as a JSON Schema (draft 2020-12), checked with networknt's validator. Only
 * references inside the schema are allowed: a type's schema never makes the service fetch anything.
 */
public final class FieldSchema {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .regularExpressionFactory(new BoundedPatterns()).build()));
    private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();

    private FieldSchema() {
    }

    /** Compiles a type's schema; a clear refusal when it is not one (or refers outside itself). */
    public static Schema compile(String schema) {
        return COMPILED.computeIfAbsent(schema, text -> {
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (RuntimeException e) {
                throw new RejectedException(Problem.INVALID_REQUEST, "The fields schema is not JSON: " + e.getMessage());
            }
            if (!node.isObject() || !"object".equals(node.path("type").asString(""))) {
                throw new RejectedException(Problem.INVALID_REQUEST, "The fields schema must describe an object "
                        + "(\"type\": \"object\" with \"properties\").");
            }
            if (text.matches("(?s).*\"\\$ref\"\\s*:\\s*\"[^#].*")) {
                throw new RejectedException(Problem.INVALID_REQUEST, "The fields schema may only refer to itself ($ref \"#...\").");
            }
            try {
                return REGISTRY.getSchema(text);
            } catch (RuntimeException e) {
                throw new RejectedException(Problem.INVALID_REQUEST, "The fields schema is not a JSON Schema: " + e.getMessage());
            }
        });
    }

    /** Checks a licence's fields against its type; every violation is named in the refusal. */
    public static void check(String schema, JsonNode fields) {
        List<com.networknt.schema.Error> errors = compile(schema).validate(fields);
        if (!errors.isEmpty()) {
            throw new RejectedException(Problem.INVALID_LICENCE_FIELDS, "The fields do not fit the licence type: "
                    + String.join("; ", errors.stream().map(FieldSchema::describe).toList()) + ".");
        }
    }

    /** The error with the field it concerns ("vehicleClass: does not have a value in the enumeration ..."). */
    private static String describe(com.networknt.schema.Error error) {
        String where = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        where = where.startsWith("$.") ? where.substring(2) : where.startsWith("/") ? where.substring(1) : "";
        return where.isEmpty() ? error.getMessage() : where + ": " + error.getMessage();
    }

    /** The property names of the schema, in the order written (the order fields are printed in). */
    public static List<String> propertyOrder(String schema) {
        JsonNode properties = JSON.readTree(schema).path("properties");
        return properties.propertyNames().stream().toList();
    }

    /** The title of a property, if the schema gives one. */
    public static String title(String schema, String property) {
        return JSON.readTree(schema).path("properties").path(property).path("title").asString(null);
    }
}
