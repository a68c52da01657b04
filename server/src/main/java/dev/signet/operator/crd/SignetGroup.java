package dev.signet.operator.crd;

/** The API group and version of Signet's resources. */
public final class SignetGroup {

    public static final String NAME = "security.signet.dev";
    public static final String VERSION = "v1";
    public static final String API_VERSION = NAME + "/" + VERSION;

    private SignetGroup() {}
}
