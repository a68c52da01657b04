package dev.signet.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code signet completion bash|zsh|fish}: a script that completes signet's commands and options in that shell. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print a script that completes signet's commands and options: bash, zsh or fish.",
        footer = {
            "%nExamples:",
            "  source <(signet completion bash)                        # this bash session; add it to ~/.bashrc",
            "  signet completion zsh > \"${fpath[1]}/_signet\"          # zsh (or source <(signet completion zsh))",
            "  signet completion fish > ~/.config/fish/completions/signet.fish"
        })
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.")
    String shell;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        PrintWriter out = spec.commandLine().getOut();
        switch (shell.toLowerCase(Locale.ROOT)) {
            case "bash" -> out.print(AutoComplete.bash("signet", root));
            case "zsh" -> {
                // zsh runs bash completion functions through bashcompinit.
                out.println("autoload -U +X compinit && compinit");
                out.println("autoload -U +X bashcompinit && bashcompinit");
                out.print(AutoComplete.bash("signet", root));
            }
            case "fish" -> out.print(fish(root));
            default ->
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "unknown shell '" + shell + "'; use bash, zsh or fish");
        }
        out.flush();
        return 0;
    }

    /** fish's own form: a {@code complete} line per command and per option of each. */
    static String fish(CommandLine root) {
        StringBuilder out = new StringBuilder("# signet completion fish\ncomplete -c signet -f\n");
        for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
            String name = sub.getKey();
            CommandSpec command = sub.getValue().getCommandSpec();
            out.append("complete -c signet -n '__fish_use_subcommand' -a ")
                    .append(name)
                    .append(" -d ")
                    .append(quote(firstSentence(command.usageMessage().description())))
                    .append('\n');
            for (OptionSpec option : command.options()) {
                String longName = option.longestName();
                if (!longName.startsWith("--")) {
                    continue;
                }
                out.append("complete -c signet -n '__fish_seen_subcommand_from ")
                        .append(name)
                        .append("' -l ")
                        .append(longName.substring(2))
                        .append(option.arity().max() > 0 ? " -r" : "")
                        .append(" -d ")
                        .append(quote(firstSentence(option.description())))
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static String firstSentence(String[] description) {
        if (description == null || description.length == 0) {
            return "";
        }
        String text = description[0].replace("${DEFAULT-VALUE}", "").strip();
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end + 1);
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
