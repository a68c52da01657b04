package dev.signet.server;

import dev.signet.controlplane.ControlPlaneConfig;
import dev.signet.controlplane.config.Setting;
import dev.signet.controlplane.config.Settings;
import dev.signet.controlplane.config.Version;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Files;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code signet serve}: its options are made from {@link dev.signet.controlplane.config.ServeSettings}, one for each
 * setting, so that the help, the defaults and what the control plane reads cannot drift apart. The options given are
 * checked, handed on as {@code -Dsignet.…} properties (over the {@code SIGNET_…} variables, under nothing), and the
 * application runs until it is stopped.
 */
@QuarkusMain
public final class ServeMain {

    static final String DESCRIPTION = "Run the control plane: the CA and the xDS server on one TLS gRPC port (default "
            + "15012); health, metrics and proxy status over HTTP (default 15014). Its CA and token key live in the "
            + "state directory (created on first start, reused after). Every option may also be set as a "
            + "SIGNET_… environment variable (--rotation-settle: SIGNET_ROTATION_SETTLE).";

    private ServeMain() {}

    public static void main(String... args) {
        int exit = command().setExecutionStrategy(ServeMain::run).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /** The command line of {@code serve}, one option per setting. */
    static CommandLine command() {
        CommandSpec spec = CommandSpec.create().name("signet serve").mixinStandardHelpOptions(true);
        spec.version("signet " + Version.current() + " (commit " + Version.commit() + ")");
        spec.usageMessage().description(DESCRIPTION);
        for (Setting setting : Settings.catalog()) {
            String text = setting.help()
                    + setting.shownDefault().map(d -> " (default: " + d + ")").orElse("");
            OptionSpec.Builder option = OptionSpec.builder(setting.option())
                    // picocli reads descriptions as format strings.
                    .description(text.replace("%", "%%"))
                    .paramLabel(setting.label());
            if (setting.flag()) {
                option.type(boolean.class).arity("0..1");
            } else {
                option.type(String.class).arity("1");
            }
            spec.addOption(option.build());
        }
        return new CommandLine(spec);
    }

    /** The settings the command line gave, by key; those not given are left to the variables and the defaults. */
    static Map<Setting, String> given(ParseResult parsed) {
        Map<Setting, String> given = new java.util.LinkedHashMap<>();
        for (Setting setting : Settings.catalog()) {
            OptionSpec option = parsed.matchedOption(setting.option());
            if (option != null) {
                given.put(setting, String.valueOf((Object) option.getValue()));
            }
        }
        return given;
    }

    private static int run(ParseResult parsed) {
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            return help;
        }
        given(parsed).forEach((setting, value) -> System.setProperty(setting.property(), value));
        ControlPlaneConfig config;
        boolean jsonLogs;
        String logLevel;
        try {
            config = ControlPlaneConfig.ofProcess();
            jsonLogs = config.jsonLogs();
            logLevel = config.logLevel();
        } catch (IllegalArgumentException e) {
            System.err.println("signet: " + optionsNamed(e.getMessage()));
            return 2;
        }
        if (config.standaloneDirectory().isPresent()
                && !Files.isDirectory(config.standaloneDirectory().get())) {
            System.err.println(
                    "signet: no such directory: " + config.standaloneDirectory().get());
            return 1;
        }
        // Quarkus sets its log handlers up from its own keys, before the application runs.
        System.setProperty("quarkus.log.console.json.enabled", Boolean.toString(jsonLogs));
        System.setProperty("quarkus.log.level", logLevel);
        // Quarkus opens the HTTP port from its own keys, before the application's beans exist.
        System.setProperty("quarkus.http.host", config.httpAddress());
        System.setProperty("quarkus.http.port", Integer.toString(config.httpPort()));
        Quarkus.run(ServeApplication.class);
        return 0;
    }

    /** A message naming {@code signet.rotation.settle} names {@code --rotation-settle} as well. */
    static String optionsNamed(String message) {
        String text = message;
        for (Setting setting : Settings.catalog()) {
            text = text.replace(setting.property() + " ", setting.option() + " (" + setting.property() + ") ");
        }
        return text;
    }
}
