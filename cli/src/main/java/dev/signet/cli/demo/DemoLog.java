package dev.signet.cli.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends what the demo's parts log (the control plane, the agents, gRPC) to a file, so that the terminal shows the
 * demo's narrative alone; the narrative names the file.
 */
final class DemoLog {

    private DemoLog() {}

    static Path redirect(Path file) throws IOException {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        FileHandler handler = new FileHandler(file.toString(), true);
        handler.setFormatter(new SimpleFormatter());
        root.addHandler(handler);
        return file;
    }
}
