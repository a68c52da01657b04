package dev.signet.operator.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** {@code signet.*}: from application.properties, {@code -Dsignet.…}, {@code SIGNET_…} variables or serve's options. */
@ConfigMapping(prefix = "signet")
public interface SignetConfig {

    @WithDefault(".signet")
    Path stateDir();

    Optional<Path> standalone();

    @WithDefault("127.0.0.1")
    String address();

    @WithDefault("15012")
    int grpcPort();

    @WithDefault("cluster.local")
    String trustDomain();

    /** How long a burst of changes is gathered before one push (default 100 ms). */
    @WithDefault("100ms")
    java.time.Duration xdsDebounce();

    /** How often the standalone folder is checked for changes (default 500 ms). */
    @WithDefault("500ms")
    java.time.Duration pollInterval();
}
