package dev.signet.controlplane.state;

import java.nio.file.Path;
import java.time.Clock;

/**
 * A process that promotes (or drops) a rotation's candidate CA and dies, as kill -9 would, just before file operation
 * {@code stopAt} of it: {@code Runtime.halt} runs no shutdown hook and no finally block. Run by
 * {@link PromotionCrashIT} in a JVM of its own. Exit 0: the promotion finished before reaching that operation.
 *
 * <p>Arguments: state directory, the operation to stop before (1-based), promote (true/false), archive (true/false).
 */
public final class PromotionCrash {

    static final int KILLED = 137;

    private PromotionCrash() {}

    public static void main(String[] args) throws Exception {
        StateDirectory state = new StateDirectory(Path.of(args[0]));
        int stopAt = Integer.parseInt(args[1]);
        int[] seen = {0};
        FileRotationStore store = new FileRotationStore(state, Clock.systemUTC(), operation -> {
            if (++seen[0] == stopAt) {
                System.out.println("killed before: " + operation);
                System.out.flush();
                Runtime.getRuntime().halt(KILLED);
            }
        });
        store.finish(Boolean.parseBoolean(args[2]), Boolean.parseBoolean(args[3]));
        System.out.println("finished after " + seen[0] + " operation(s)");
    }
}
