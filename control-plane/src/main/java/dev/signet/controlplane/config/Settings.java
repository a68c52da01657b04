package dev.signet.controlplane.config;

import dev.signet.ca.HumanDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link ServeSettings}: its catalogue (for the command line and the docs) and its values, from given ones
 * over, when asked, the process's {@code -Dsignet.…} properties and {@code SIGNET_…} variables, over the defaults.
 */
public final class Settings {

    static final String PREFIX =
            ServeSettings.class.getAnnotation(ConfigMapping.class).prefix() + ".";
    /** Given values win over the process's properties (400) and variables (300). */
    private static final int GIVEN_ORDINAL = 500;

    private Settings() {}

    /** Where values come from besides the given ones and the defaults. */
    public enum Sources {
        /** Nothing else: what a test or an embedded control plane states is all there is. */
        GIVEN_ONLY,
        /** The process's system properties and environment too: how {@code signet serve} runs. */
        PROCESS
    }

    /**
     * The settings from {@code given} (keys without the {@code signet.} prefix, values as on the command line) and
     * {@code sources}; a bad value is an {@link IllegalArgumentException} naming its key.
     */
    public static ServeSettings load(Map<String, String> given, Sources sources) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withMapping(ServeSettings.class)
                .withConverter(Duration.class, 200, HumanDuration::parse)
                .addDefaultInterceptors()
                .withValidateUnknown(false)
                .withSources(new PropertiesConfigSource(prefixed(given), "given settings", GIVEN_ORDINAL));
        if (sources == Sources.PROCESS) {
            builder.addSystemSources();
        }
        try {
            SmallRyeConfig config = builder.build();
            return config.getConfigMapping(ServeSettings.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(describe(e), e);
        }
    }

    private static Map<String, String> prefixed(Map<String, String> given) {
        Map<String, String> out = new java.util.HashMap<>();
        given.forEach((key, value) -> out.put(PREFIX + key, value));
        return out;
    }

    /** SmallRye's problems, each naming its key and value, without its codes and exception class names. */
    private static String describe(RuntimeException e) {
        List<String> problems = new ArrayList<>();
        if (e instanceof ConfigValidationException invalid) {
            for (int i = 0; i < invalid.getProblemCount(); i++) {
                problems.add(invalid.getProblem(i).getMessage());
            }
        } else {
            problems.add(String.valueOf(e.getMessage()));
        }
        return problems.stream()
                .map(text -> text.replaceAll("SRCFG\\d+: ", "")
                        .replaceAll("java\\.lang\\.\\w+Exception: ", "")
                        .replaceAll(
                                "The config property (\\S+) with the config value \"(.*)\" threw an Exception whilst "
                                        + "being converted ",
                                "$1 = \"$2\": "))
                .collect(java.util.stream.Collectors.joining("; "));
    }

    /** Every setting, in option order. */
    public static List<Setting> catalog() {
        List<Setting> all = new ArrayList<>();
        collect(ServeSettings.class, "", all);
        all.sort(Comparator.comparing(Setting::option));
        return List.copyOf(all);
    }

    private static void collect(Class<?> mapping, String group, List<Setting> into) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (method.isSynthetic()
                    || method.isDefault()
                    || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String name = group + kebab(method.getName());
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == ServeSettings.class) {
                collect(type, name + ".", into);
                continue;
            }
            Help help = method.getAnnotation(Help.class);
            if (help == null) {
                throw new IllegalStateException(mapping.getSimpleName() + "." + method.getName() + " has no @Help");
            }
            Optional<String> declared =
                    Optional.ofNullable(method.getAnnotation(WithDefault.class)).map(WithDefault::value);
            Optional<String> shown = help.shownDefault().isEmpty() ? declared : Optional.of(help.shownDefault());
            boolean flag = type == boolean.class;
            String label = !help.label().isEmpty()
                    ? help.label()
                    : type.getSimpleName().toUpperCase(java.util.Locale.ROOT);
            into.add(new Setting(name, "--" + name.replace('.', '-'), declared, shown, help.value(), label, flag));
        }
    }

    /** {@code rootExpiryMargin} → {@code root-expiry-margin}: SmallRye's own naming of mapping methods. */
    static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
