package cn.yinxin.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21's size limits on the main code of every module of the reactor (it lives in core, the first module, and
 * reads its siblings' sources from the checkout): no method or constructor over {@value #METHOD_LINES} lines and no
 * top-level class over {@value #CLASS_LINES} lines, unless it is named in an allow-list below with the reason it is
 * left long. A newcomer reads a method on one screen; when a method grows past the limit, split it into named steps
 * or add it here with a reason a reviewer can judge.
 *
 * <p>Lines are counted with javac's own parser (not a pattern), from the first annotation or modifier of the
 * declaration to its closing brace; comments and blank lines inside count, the Javadoc above does not. A nested class's
 * methods count on their own; a method's lambdas and anonymous classes count as part of it.
 */
class TreeSizeTest {

    static final int METHOD_LINES = 60;
    static final int CLASS_LINES = 400;

    /** Methods and constructors left over {@value #METHOD_LINES} lines: {@code package.Class[.Nested]#method} -> why. */
    static final Map<String, String> LONG_METHODS = Map.of();

    /** Top-level classes left over {@value #CLASS_LINES} lines: {@code package.Class} -> why. */
    static final Map<String, String> LONG_CLASSES = Map.of();

    private static final Map<String, Integer> methods = new TreeMap<>();
    private static final Map<String, Integer> classes = new TreeMap<>();

    @BeforeAll
    static void measureMainCode() throws IOException {
        List<Path> sources = mainSources(reactorRoot());
        assertThat(sources).as("main sources of the reactor").hasSizeGreaterThan(100);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            JavacTask task = (JavacTask) javac.getTask(null, files, null, List.of("-proc:none"), null,
                    files.getJavaFileObjectsFromPaths(sources));
            SourcePositions positions = Trees.instance(task).getSourcePositions();
            for (CompilationUnitTree unit : task.parse()) {
                new Measure(unit, positions).scan(unit, null);
            }
        }
    }

    @Test
    void noMainMethodIsLongerThanTheLimitUnlessAllowed() {
        Map<String, Integer> tooLong = new TreeMap<>(over(methods, METHOD_LINES));
        tooLong.keySet().removeAll(LONG_METHODS.keySet());
        assertThat(tooLong).as("methods over %d lines: split them, or allow them here with a reason", METHOD_LINES)
                .isEmpty();
    }

    @Test
    void noMainClassIsLongerThanTheLimitUnlessAllowed() {
        Map<String, Integer> tooLong = new TreeMap<>(over(classes, CLASS_LINES));
        tooLong.keySet().removeAll(LONG_CLASSES.keySet());
        assertThat(tooLong).as("top-level classes over %d lines: split them, or allow them here with a reason",
                CLASS_LINES).isEmpty();
    }

    /** An allowance that is no longer needed goes, so the list stays a true account of what is left long. */
    @Test
    void everyAllowanceIsStillNeeded() {
        assertThat(over(methods, METHOD_LINES).keySet()).as("allowed long methods still long")
                .containsAll(LONG_METHODS.keySet());
        assertThat(over(classes, CLASS_LINES).keySet()).as("allowed long classes still long")
                .containsAll(LONG_CLASSES.keySet());
    }

    private static Map<String, Integer> over(Map<String, Integer> sizes, int limit) {
        Map<String, Integer> over = new TreeMap<>();
        sizes.forEach((name, lines) -> {
            if (lines > limit) {
                over.put(name, lines);
            }
        });
        return over;
    }

    /** The directory whose pom lists the modules; surefire runs in core's directory. */
    private static Path reactorRoot() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("core/src/main/java"))) {
            root = root.getParent();
            assertThat(root).as("reactor root above the working directory").isNotNull();
        }
        return root;
    }

    private static List<Path> mainSources(Path root) throws IOException {
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
                }
            }
        }
        return sources;
    }

    /** Records the length of every method, constructor and top-level class of one compilation unit. */
    private static final class Measure extends TreeScanner<Void, Void> {
        private final CompilationUnitTree unit;
        private final SourcePositions positions;
        private final LineMap lines;
        private final Deque<String> enclosing = new ArrayDeque<>();

        Measure(CompilationUnitTree unit, SourcePositions positions) {
            this.unit = unit;
            this.positions = positions;
            this.lines = unit.getLineMap();
            enclosing.push(unit.getPackageName() == null ? "" : unit.getPackageName().toString());
        }

        @Override
        public Void visitClass(ClassTree type, Void unused) {
            String name = enclosing.peek() + "." + (type.getSimpleName().isEmpty() ? "<anonymous>" : type.getSimpleName());
            if (enclosing.size() == 1) {
                classes.merge(name, length(type), Math::max);
            }
            enclosing.push(name);
            super.visitClass(type, unused);
            enclosing.pop();
            return null;
        }

        @Override
        public Void visitMethod(MethodTree method, Void unused) {
            if (method.getBody() != null) {
                methods.merge(enclosing.peek() + "#" + method.getName(), length(method), Math::max);
            }
            return super.visitMethod(method, unused);
        }

        private int length(Tree tree) {
            return (int) (lines.getLineNumber(positions.getEndPosition(unit, tree))
                    - lines.getLineNumber(positions.getStartPosition(unit, tree)) + 1);
        }
    }
}
