package dev.signet.policy.validate;

/** A field path as users read it: {@code spec.rules[2].to[0].operation.paths[1]}. Immutable. */
public final class FieldPath {

    private static final FieldPath ROOT = new FieldPath("");

    private final String path;

    private FieldPath(String path) {
        this.path = path;
    }

    public static FieldPath root() {
        return ROOT;
    }

    public static FieldPath of(String field) {
        return ROOT.field(field);
    }

    public FieldPath field(String name) {
        return new FieldPath(path.isEmpty() ? name : path + "." + name);
    }

    public FieldPath index(int i) {
        return new FieldPath(path + "[" + i + "]");
    }

    /** A map key, quoted when it is not a plain word (a label such as {@code app.kubernetes.io/name}). */
    public FieldPath key(String key) {
        return key.matches("[A-Za-z_][A-Za-z0-9_-]*") ? field(key) : new FieldPath(path + "[\"" + key + "\"]");
    }

    @Override
    public String toString() {
        return path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath other && path.equals(other.path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }
}
