package cn.yinxin.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code yinxin completion}: the bash script knows every command of the command line and of the ./yinxin script,
 * and bash itself completes with it.
 */
class CompletionCommandTest {

    @Test
    void theScriptNamesEveryCommand() {
        String script = CompletionCommand.script();
        List<String> expected = new ArrayList<>(new CommandLine(new Yinxin()).getSubcommands().keySet());
        expected.addAll(CompletionCommand.LAUNCHER_COMMANDS);
        assertThat(expected).contains("qr", "licence", "seals", "audit", "completion", "up", "bench");
        String topLevel = script.lines().filter(l -> l.contains("local commands=")).findFirst().orElseThrow();
        assertThat(topLevel.substring(topLevel.indexOf('"') + 1, topLevel.lastIndexOf('"')).split(" "))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(script).contains("local commands=\"issue suspend restore revoke cancel import\"");
    }

    @Test
    void bashCompletesWithIt() throws Exception {
        Path script = Files.createTempFile("yinxin-completion", ".bash");
        Files.writeString(script, CompletionCommand.script());
        assertThat(complete(script, "yinxin qr ")).isEqualTo("verify");
        assertThat(complete(script, "yinxin lic")).isEqualTo("licence");
        assertThat(complete(script, "yinxin qr verify --tr")).isEqualTo("--trust");
        assertThat(complete(script, "yinxin bench al")).isEqualTo("algorithms");
        assertThat(complete(script, "yinxin test --f")).isEqualTo("--fast");
    }

    /** What bash offers for the line (as typed, ending where the cursor is), with the script sourced. */
    private static String complete(Path script, String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        String program = "source " + script + "; COMP_WORDS=(" + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; _complete_yinxin; echo \"${COMPREPLY[*]}\"";
        Process bash = new ProcessBuilder("bash", "-c", program).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(bash.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(bash.getInputStream().readAllBytes()).strip();
    }
}
