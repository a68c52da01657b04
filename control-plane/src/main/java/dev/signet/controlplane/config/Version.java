package dev.signet.controlplane.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Signet's version, as the build wrote it: what {@code signet --version} and {@code signet serve --version} print. */
public final class Version {

    private Version() {}

    /** The commit the build was made from (12 hex digits), or {@code unknown}. */
    public static String commit() {
        try (InputStream in = Version.class.getResourceAsStream("commit.txt")) {
            if (in == null) {
                return "unknown";
            }
            String commit = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            return commit.matches("[0-9a-f]{7,40}") ? commit : "unknown";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "development";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "development");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
