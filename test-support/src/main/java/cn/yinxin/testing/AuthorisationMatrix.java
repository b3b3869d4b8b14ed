package cn.yinxin.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The authorisation matrix of issue 18, read from {@code authorisation-matrix.txt} next to this class: for every route
 * of every service (ca, seal, licence, verifier) and every caller, the answer expected. Written by hand, independent of
 * the services' rules, so that a rule changed by mistake disagrees with it: each service's coverage test checks that
 * its routes and the matrix's rows are the same, and cli's AuthorisationMatrixIT asks every cell of the real services
 * signed in through a real Keycloak.
 */
public final class AuthorisationMatrix {

    public static final String RESOURCE = "authorisation-matrix.txt";

    /** What a caller is expected to get: past authorisation, a 401 or a 403. */
    public enum Outcome {
        OK("ok"), SIGN_IN("401"), DENIED("403");

        private final String cell;

        Outcome(String cell) {
            this.cell = cell;
        }

        static Outcome of(String cell) {
            return Arrays.stream(values()).filter(o -> o.cell.equals(cell)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("not a matrix cell: '" + cell + "'"));
        }

        /** Whether an HTTP status is this outcome (OK: anything but 401 and 403). */
        public boolean matches(int status) {
            return switch (this) {
                case OK -> status != 401 && status != 403;
                case SIGN_IN -> status == 401;
                case DENIED -> status == 403;
            };
        }

        public String cell() {
            return cell;
        }
    }

    /** One route: service, method and the pattern as the service declares it, and the outcome per caller. */
    public record Row(String service, String method, String pattern, Map<String, Outcome> expected) {
        /** How the service names the route in its rules: {@code GET /api/v1/seals/{id}}. */
        public String route() {
            return method + " " + pattern;
        }

        @Override
        public String toString() {
            return service + " " + route();
        }
    }

    private final List<String> callers;
    private final List<Row> rows;

    private AuthorisationMatrix(List<String> callers, List<Row> rows) {
        this.callers = List.copyOf(callers);
        this.rows = List.copyOf(rows);
    }

    public static AuthorisationMatrix load() {
        try (InputStream in = AuthorisationMatrix.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The header line ({@code # route <callers...>}) names the columns; other {@code #} lines are comments. */
    static AuthorisationMatrix parse(String text) {
        List<String> callers = null;
        List<Row> rows = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String line : text.split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (line.isBlank()) {
                continue;
            }
            if (words[0].equals("#")) {
                if (words.length > 2 && words[1].equals("route")) {
                    callers = List.of(words).subList(2, words.length);
                }
                continue;
            }
            if (callers == null) {
                throw new IllegalArgumentException("the matrix names its callers before its rows (# route ...)");
            }
            if (words.length != 3 + callers.size()) {
                throw new IllegalArgumentException("a row has " + (words.length - 3) + " cells for " + callers.size()
                        + " callers: " + line);
            }
            Map<String, Outcome> expected = new LinkedHashMap<>();
            for (int i = 0; i < callers.size(); i++) {
                expected.put(callers.get(i), Outcome.of(words[3 + i]));
            }
            Row row = new Row(words[0], words[1], words[2], expected);
            if (!seen.add(row.toString())) {
                throw new IllegalArgumentException("two rows for " + row);
            }
            rows.add(row);
        }
        return new AuthorisationMatrix(callers, rows);
    }

    public List<String> callers() {
        return callers;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The routes of one service, as {@code METHOD pattern}. */
    public Set<String> routes(String service) {
        return rows.stream().filter(r -> r.service().equals(service)).map(Row::route)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The matrix as a Markdown table (docs/security.md holds it; a test keeps the two the same). */
    public String markdown() {
        StringBuilder out = new StringBuilder("| service | route | ").append(String.join(" | ", callers)).append(" |\n");
        out.append("|---|---|").append("---|".repeat(callers.size())).append('\n');
        for (Row row : rows) {
            out.append("| ").append(row.service()).append(" | `").append(row.route()).append("` | ")
                    .append(row.expected().values().stream().map(Outcome::cell).collect(Collectors.joining(" | ")))
                    .append(" |\n");
        }
        return out.toString();
    }
}
