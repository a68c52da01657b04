package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code signet serve}'s options, its help and its version as the packaged program prints them, against what the
 * README and the Helm chart tell users to type: an option renamed or dropped in the code fails here, not in a
 * user's cluster.
 */
class ServeOptionsIT {

    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");

    @TempDir
    Path dir;

    @Test
    void the_chart_passes_only_options_serve_has_and_the_readme_names_only_options_that_exist() throws Exception {
        Set<String> serve = options(help("serve"));
        assertThat(serve).contains("--rotation-settle", "--issuance-burst-per-identity", "--http-address");

        String deployment = Files.readString(SignetProcess.home().resolve("charts/signet/templates/deployment.yaml"));
        Set<String> chart = options(deployment);
        assertThat(chart).isNotEmpty();
        assertThat(serve).containsAll(chart);

        Set<String> all = new TreeSet<>(serve);
        for (List<String> command : commands()) {
            all.addAll(options(help(command.toArray(String[]::new))));
        }
        assertThat(all).contains("--ca-root", "--manual", "--validity");
        assertThat(all).containsAll(readmeOptions());
    }

    @Test
    void serve_prints_the_same_version_as_the_cli() throws Exception {
        SignetProcess.Result serve = SignetProcess.run(dir, "serve", "--version");
        SignetProcess.Result cli = SignetProcess.run(dir, "--version");
        assertThat(serve.exitCode()).isZero();
        assertThat(serve.out().strip())
                .isEqualTo(cli.out().strip())
                .as("the version and the commit it was built from")
                .matches("signet \\d+\\.\\d+\\.\\d+\\S* \\(commit [0-9a-f]{12}\\)");
    }

    @Test
    void json_logs_are_one_object_per_line_banner_included_and_the_level_filters() throws Exception {
        Path log = dir.resolve("json.log");
        Process serve = SignetProcess.serveSamples(
                dir, log, SignetProcess.freePort(), SignetProcess.freePort(), "--log-format", "json");
        try {
            org.awaitility.Awaitility.await("the ready record")
                    .atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> Files.readString(log).contains("\"message\":\"ready\""));
        } finally {
            serve.destroy();
            serve.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> lines =
                Files.readAllLines(log).stream().filter(line -> !line.isBlank()).toList();
        assertThat(lines).hasSizeGreaterThan(3);
        for (String line : lines) {
            assertThat(json.readTree(line).has("message"))
                    .as("a JSON record: %s", line)
                    .isTrue();
        }
        assertThat(lines)
                .anyMatch(line -> line.contains("\"loggerName\":\"dev.signet.server.ServeApplication\"")
                        && line.contains("CA and xDS on"));

        Path quiet = dir.resolve("warn.log");
        Process warnOnly = SignetProcess.serveSamples(
                dir,
                quiet,
                SignetProcess.freePort(),
                SignetProcess.freePort(),
                "--state-dir",
                "warn-state",
                "--log-level",
                "WARN");
        try {
            SignetProcess.awaitLine(warnOnly, quiet, "ready");
        } finally {
            warnOnly.destroy();
            warnOnly.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(Files.readString(quiet))
                .as("no INFO records at WARN")
                .doesNotContain("INFO", "applied 6 resource(s)");

        SignetProcess.Result bad = SignetProcess.run(dir, "serve", "--log-format", "yaml", "--state-dir", "b");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--log-format (signet.log-format) = \"yaml\": use text or json");
    }

    @Test
    void a_bad_value_names_its_option_and_nothing_starts() throws Exception {
        SignetProcess.Result result = SignetProcess.run(dir, "serve", "--max-ttl", "5x", "--state-dir", "s");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--max-ttl (signet.max-ttl) = \"5x\": invalid duration '5x'");
        assertThat(dir.resolve("s")).doesNotExist();
    }

    @Test
    void a_setting_comes_from_its_environment_variable_and_an_option_wins_over_it() throws Exception {
        Map<String, String> environment = Map.of("SIGNET_TRUST_DOMAIN", "example.org", "SIGNET_ROOT_NAMESPACE", "x");
        String fromEnvironment = firstLine(environment, "--grpc-port", "0", "--http-port", "0", "--state-dir", "a");
        assertThat(fromEnvironment).startsWith("signet control plane for example.org:");
        String fromOption = firstLine(
                environment, "--grpc-port", "0", "--http-port", "0", "--state-dir", "b", "--trust-domain", "opt.test");
        assertThat(fromOption).startsWith("signet control plane for opt.test:");
    }

    private String firstLine(Map<String, String> environment, String... args) throws Exception {
        Path log = Files.createTempFile(dir, "serve", ".log");
        List<String> command = new ArrayList<>(List.of("serve"));
        command.addAll(List.of(args));
        Process serve = SignetProcess.start(dir, log, environment, command.toArray(String[]::new));
        try {
            SignetProcess.awaitLine(serve, log, "ready");
            return Files.readAllLines(log).stream()
                    .filter(line -> line.startsWith("signet control plane for "))
                    .findFirst()
                    .orElseThrow();
        } finally {
            serve.destroy();
            serve.waitFor();
        }
    }

    private String help(String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        args.add("--help");
        SignetProcess.Result result = SignetProcess.run(dir, args.toArray(String[]::new));
        assertThat(result.exitCode())
                .as(String.join(" ", args) + ": " + result.err())
                .isZero();
        return result.out();
    }

    /** Every command and subcommand of the CLI, as its help lists them. */
    private List<List<String>> commands() throws Exception {
        List<List<String>> found = new ArrayList<>();
        List<List<String>> next = new ArrayList<>(List.of(List.of()));
        while (!next.isEmpty()) {
            List<String> command = next.remove(0);
            for (String sub : subcommands(help(command.toArray(String[]::new)))) {
                List<String> path = new ArrayList<>(command);
                path.add(sub);
                found.add(path);
                next.add(path);
            }
        }
        return found;
    }

    private static List<String> subcommands(String help) {
        List<String> names = new ArrayList<>();
        boolean listing = false;
        for (String line : help.lines().toList()) {
            if (line.equals("Commands:")) {
                listing = true;
            } else if (listing) {
                Matcher name = Pattern.compile("^  ([a-z][a-z-]*)(\\s|$)").matcher(line);
                if (name.find() && !name.group(1).equals("help")) {
                    names.add(name.group(1));
                } else if (!line.startsWith(" ")) {
                    listing = false;
                }
            }
        }
        return names;
    }

    /** Options the README shows in inline code or on a line that runs signet (kubectl's and helm's are theirs). */
    private static Set<String> readmeOptions() throws Exception {
        Set<String> found = new TreeSet<>();
        for (String line : Files.readAllLines(SignetProcess.home().resolve("README.md"))) {
            Matcher code = Pattern.compile("`(--[^`]*)`").matcher(line);
            while (code.find()) {
                found.addAll(options(code.group(1)));
            }
            if (line.contains("signet ") && !line.contains("kubectl") && !line.contains("helm")) {
                found.addAll(options(line));
            }
        }
        return found;
    }

    private static Set<String> options(String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = OPTION.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }
}
