package cn.yinxin.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code yinxin completion}: a bash completion script made by picocli from the commands themselves, so it never
 * falls behind them. The ./yinxin script runs a few commands itself (up, down, status, ...); they are added here
 * as names only, so that {@code source <(./yinxin completion)} completes those too.
 */
@Command(name = "completion", description = "Print a bash completion script for yinxin: "
        + "source <(./yinxin completion), or save it in /etc/bash_completion.d/yinxin.")
final class CompletionCommand implements Callable<Integer> {

    /** What the ./yinxin script does itself before handing the rest to this program (see its case statement). */
    static final List<String> LAUNCHER_COMMANDS = List.of("up", "down", "status", "build", "test", "bench");
    static final List<String> BENCHMARKS = List.of("seal", "ocsp", "algorithms", "large", "licence", "verify");

    @Override
    public Integer call() {
        System.out.print(script());
        return 0;
    }

    static String script() {
        // a CommandLine of its own: the launcher's names are added to it, never to the one that runs commands
        CommandLine yinxin = new CommandLine(new Yinxin());
        for (String name : LAUNCHER_COMMANDS) {
            CommandSpec command = CommandSpec.create().name(name);
            switch (name) {
                case "up" -> command.addOption(OptionSpec.builder("--with-keycloak")
                        .description("sign-in with a real Keycloak").build());
                case "test" -> command.addOption(OptionSpec.builder("--fast")
                        .description("the fast lane: no service processes, database, browser or Keycloak").build());
                case "bench" -> command.addPositional(PositionalParamSpec.builder().arity("0..1").paramLabel("WHAT")
                        .completionCandidates(BENCHMARKS).build());
                default -> {
                }
            }
            yinxin.addSubcommand(name, new CommandLine(command));
        }
        return AutoComplete.bash("yinxin", yinxin);
    }
}
