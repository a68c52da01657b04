package dev.signet.policy.eval;

/** Matches a path against a template segment by segment: {@code {*}} one segment, {@code {**}} one or more. */
final class PathTemplates {

    private PathTemplates() {}

    static boolean matches(String template, String path) {
        if (path == null || !path.startsWith("/")) {
            return false;
        }
        String[] want = template.substring(1).split("/", -1);
        String[] have = path.substring(1).split("/", -1);
        for (int i = 0; i < want.length; i++) {
            if (want[i].equals("{**}")) {
                if (have.length <= i) {
                    return false;
                }
                for (int j = i; j < have.length; j++) {
                    if (have[j].isEmpty()) {
                        return false;
                    }
                }
                return true;
            }
            if (i >= have.length) {
                return false;
            }
            if (want[i].equals("{*}") ? have[i].isEmpty() : !want[i].equals(have[i])) {
                return false;
            }
        }
        return want.length == have.length;
    }
}
