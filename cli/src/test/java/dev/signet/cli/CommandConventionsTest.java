package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Conventions every command keeps, checked over all of them, and shell completion in the real shells. */
class CommandConventionsTest {

    @TempDir
    Path dir;

    private static List<CommandLine> everyCommand() {
        List<CommandLine> all = new ArrayList<>();
        collect(SignetCommand.commandLine(CliContext.system()), all);
        return all;
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            if (sub.getKey().equals(sub.getValue().getCommandName())) {
                collect(sub.getValue(), into);
            }
        }
    }

    @Test
    void every_command_and_every_option_is_described() {
        List<String> undescribed = new ArrayList<>();
        for (CommandLine command : everyCommand()) {
            String name = command.getCommandSpec().qualifiedName();
            if (String.join("", command.getCommandSpec().usageMessage().description())
                    .isBlank()) {
                undescribed.add(name);
            }
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                if (String.join("", option.description()).isBlank()) {
                    undescribed.add(name + " " + option.longestName());
                }
            }
        }
        assertThat(undescribed).as("commands and options without a description").isEmpty();
    }

    @Test
    void every_command_shows_examples_in_its_help() {
        List<String> without = new ArrayList<>();
        for (CommandLine command : everyCommand()) {
            if (command.getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            if (!command.getUsageMessage().contains("Examples:")) {
                without.add(command.getCommandSpec().qualifiedName());
            }
        }
        assertThat(without).as("commands whose help has no Examples section").isEmpty();
    }

    @Test
    void every_option_an_example_uses_exists() {
        CommandLine root = SignetCommand.commandLine(CliContext.system());
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (CommandLine command : everyCommand()) {
            String help = command.getUsageMessage();
            int examples = help.indexOf("Examples:");
            if (examples < 0) {
                continue;
            }
            for (String line : help.substring(examples).lines().toList()) {
                String call = line.strip();
                int comment = call.indexOf(" #");
                call = comment < 0 ? call : call.substring(0, comment);
                int at = call.indexOf("signet ");
                if (at < 0) {
                    continue;
                }
                // The command an example runs: the longest chain of subcommand names after "signet".
                CommandLine target = root;
                for (String word : call.substring(at + "signet ".length()).split("\\s+")) {
                    CommandLine sub = target.getSubcommands().get(word);
                    if (sub == null) {
                        break;
                    }
                    target = sub;
                }
                if (target.getCommandName().equals("serve")) {
                    continue; // the control plane's own program: ServeOptionsIT checks its options
                }
                for (String word : call.substring(at).split("\\s+")) {
                    if (word.startsWith("--")) {
                        String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
                        checked++;
                        if (target.getCommandSpec().findOption(name) == null) {
                            wrong.add(target.getCommandSpec().qualifiedName() + ": " + name);
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(10);
        assertThat(wrong)
                .as("options the examples use that their command lacks")
                .isEmpty();
    }

    @Test
    void serve_is_listed_in_signets_help() {
        CliRun help = CliRun.run(CliContext.system(), "--help");
        assertThat(help.out()).containsPattern("(?m)^\\s+serve\\s+Run the control plane");
    }

    @Test
    void bash_completes_commands_and_options() throws Exception {
        Path script = dir.resolve("signet.bash");
        Files.writeString(
                script, CliRun.run(CliContext.system(), "completion", "bash").out());
        assertThat(shell(
                        "bash",
                        "source " + script + "; COMP_WORDS=(signet gra); COMP_CWORD=1; _complete_signet;"
                                + " printf '%s\\n' \"${COMPREPLY[@]}\""))
                .isEqualTo("graph");
        assertThat(shell(
                        "bash",
                        "source " + script + "; COMP_WORDS=(signet graph --clu); COMP_CWORD=2;"
                                + " _complete_signet; printf '%s\\n' \"${COMPREPLY[@]}\""))
                .isEqualTo("--cluster");
    }

    @Test
    void zsh_loads_the_script_and_registers_the_completion() throws Exception {
        Path script = dir.resolve("signet.zsh");
        Files.writeString(
                script, CliRun.run(CliContext.system(), "completion", "zsh").out());
        assertThat(shell("zsh", "source " + script + " && complete -p signet"))
                .contains("_complete_signet")
                .contains("signet");
    }

    @Test
    void fish_completes_commands_and_options() throws Exception {
        Path script = dir.resolve("signet.fish");
        Files.writeString(
                script, CliRun.run(CliContext.system(), "completion", "fish").out());
        assertThat(shell("fish", "source " + script + "; complete --do-complete 'signet gra'"))
                .startsWith("graph\t");
        assertThat(shell("fish", "source " + script + "; complete --do-complete 'signet graph --clu'"))
                .startsWith("--cluster\t");
    }

    @Test
    void every_command_that_prints_data_says_the_same_in_json_and_yaml() throws Exception {
        String samples = java.nio.file.Path.of("../config/samples").toString();
        List<List<String>> commands = List.of(
                List.of("version", "--address", "127.0.0.1:1"),
                List.of("check", samples),
                List.of("graph", samples),
                List.of(
                        "explain",
                        samples,
                        "--workload",
                        "shop/payments",
                        "--port",
                        "8080",
                        "--from",
                        "spiffe://cluster.local/ns/shop/sa/checkout",
                        "--method",
                        "POST",
                        "--path",
                        "/charge"));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.ObjectMapper yaml = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        for (List<String> command : commands) {
            List<String> asJson = new ArrayList<>(command);
            asJson.addAll(List.of("-o", "json"));
            List<String> asYaml = new ArrayList<>(command);
            asYaml.addAll(List.of("-o", "yaml"));
            CliRun j = CliRun.run(CliContext.system(), asJson.toArray(String[]::new));
            CliRun y = CliRun.run(CliContext.system(), asYaml.toArray(String[]::new));
            assertThat(y.exitCode())
                    .as("%s: %s", command, y.err())
                    .isEqualTo(j.exitCode())
                    .isZero();
            assertThat(y.out()).as(command.toString()).doesNotStartWith("{");
            assertThat(yaml.readTree(y.out())).as(command.toString()).isEqualTo(json.readTree(j.out()));
            List<String> asXml = new ArrayList<>(command);
            asXml.addAll(List.of("-o", "xml"));
            CliRun x = CliRun.run(CliContext.system(), asXml.toArray(String[]::new));
            assertThat(x.exitCode()).as(command.toString()).isNotZero();
            assertThat(x.err()).as(command.toString()).contains("unknown output format 'xml'", "yaml");
        }
    }

    @Test
    void an_unknown_shell_is_a_usage_error() {
        CliRun unknown = CliRun.run(CliContext.system(), "completion", "tcsh");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown shell 'tcsh'; use bash, zsh or fish");
    }

    private String shell(String shell, String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(shell, "-c", script)
                .directory(dir.toFile())
                // bash's compopt complains outside a real completion; only what is completed counts.
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.strip();
    }
}
