package cn.yinxin.testing;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a Spring service's OpenAPI document ({@code openapi.yaml} on its class path) for the test that it agrees
 * with the service: its operations, and which of the problem types the service's sources raise it does not list.
 */
public final class OpenApiRoutes {

    private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final String PREFIX = "urn:yinxin:problem:";

    private OpenApiRoutes() {
    }

    /** The document as the service ships it. */
    public static String resource() {
        try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new AssertionError("no openapi.yaml on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Object version(String yaml) {
        return load(yaml).get("openapi");
    }

    /** Every documented operation as {@code METHOD /path}. */
    @SuppressWarnings("unchecked")
    public static Set<String> documented(String yaml) {
        Set<String> documented = new TreeSet<>();
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) load(yaml).get("paths");
        paths.forEach((path, item) -> item.keySet().stream().filter(OPERATIONS::contains)
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));
        return documented;
    }

    /**
     * The problem types the sources under the folders raise ({@code Problem.X}, core's enum read from its source)
     * that the document's {@code Problem} schema does not list, or that an operation names in its
     * {@code x-problem-types} without the schema listing them.
     */
    @SuppressWarnings("unchecked")
    public static Set<String> unlistedProblems(String yaml, String... sourceFolders) {
        Map<String, String> slugs = problemSlugs();
        Set<String> raised = new TreeSet<>();
        for (String folder : sourceFolders) {
            try (Stream<Path> files = Files.walk(Path.of(folder))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = Pattern.compile("Problem\\.([A-Z_]+)\\b").matcher(Files.readString(file));
                    while (m.find()) {
                        if (slugs.containsKey(m.group(1))) {
                            raised.add(slugs.get(m.group(1)));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, Object> document = load(yaml);
        Map<String, Object> schema = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                document.get("components")).get("schemas")).get("Problem");
        Set<String> listed = new TreeSet<>();
        for (Object type : (Iterable<Object>) ((Map<String, Object>) ((Map<String, Object>) schema.get("properties"))
                .get("type")).get("enum")) {
            listed.add(type.toString().substring(PREFIX.length()));
        }
        ((Map<String, Map<String, Object>>) document.get("paths")).values().forEach(item -> item.forEach((key, op) -> {
            if (OPERATIONS.contains(key)) {
                Object types = ((Map<String, Object>) op).get("x-problem-types");
                if (types == null) {
                    raised.add("(no x-problem-types on " + key + ")");
                } else {
                    ((Iterable<Object>) types).forEach(t -> raised.add(t.toString()));
                }
            }
        }));
        raised.removeAll(listed);
        return raised;
    }

    /** core's Problem constants and their slugs, read from core's source (test-support does not depend on core). */
    private static Map<String, String> problemSlugs() {
        Path source = Stream.of("../core", "core").map(d -> Path.of(d, "src/main/java/cn/yinxin/core/Problem.java"))
                .filter(Files::exists).findFirst().orElseThrow(() -> new AssertionError("core's Problem.java not found"));
        try {
            Map<String, String> slugs = new java.util.TreeMap<>();
            Matcher m = Pattern.compile("\\b([A-Z_]+)\\(\"([a-z0-9-]+)\"").matcher(Files.readString(source));
            while (m.find()) {
                slugs.put(m.group(1), m.group(2));
            }
            return slugs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> load(String yaml) {
        return new Yaml().load(yaml);
    }
}
