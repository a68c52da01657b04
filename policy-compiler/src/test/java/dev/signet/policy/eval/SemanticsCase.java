package dev.signet.policy.eval;

/** One row of the semantics table: policies (YAML after the standard workloads), a request, the verdict. */
record SemanticsCase(String name, String policies, Request request, boolean allowed, String decidedBy) {

    static SemanticsCase allow(String name, String policies, Request request, String decidedBy) {
        return new SemanticsCase(name, policies, request, true, decidedBy);
    }

    static SemanticsCase deny(String name, String policies, Request request, String decidedBy) {
        return new SemanticsCase(name, policies, request, false, decidedBy);
    }

    @Override
    public String toString() {
        return name;
    }
}
