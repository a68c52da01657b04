package dev.signet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The Examples section of each command's help, kept in one place so that they read alike and a test can see that
 * no command lacks one. Keys are the commands' qualified names.
 */
final class Examples {

    private static final Map<String, List<String>> EXAMPLES = Map.ofEntries(
            Map.entry(
                    "signet",
                    List.of(
                            "signet serve --standalone config/samples     # the control plane, on a folder of policies",
                            "signet check config/samples                  # validate policies, as CI would",
                            "signet graph config/samples -o html > m.html # who may call whom, in a browser")),
            Map.entry(
                    "signet serve",
                    List.of(
                            "signet serve --standalone config/samples",
                            "signet serve --kubeconfig ~/.kube/config     # the Kubernetes operator",
                            "signet serve --help                          # every setting, with its SIGNET_ variable")),
            Map.entry(
                    "signet agent",
                    List.of(
                            "signet agent --ca-address localhost:15012 --ca-root .signet/root-cert.pem \\",
                            "    --token-file token --out certs           # keep certs/ renewed",
                            "signet agent ... --once                      # one certificate, then exit")),
            Map.entry("signet token", List.of("signet token --namespace shop --service-account checkout > token")),
            Map.entry(
                    "signet rotate",
                    List.of(
                            "signet rotate status",
                            "signet rotate start --manual",
                            "signet rotate advance",
                            "signet rotate status --cluster --watch       # the cluster's RootRotation, live")),
            Map.entry(
                    "signet rotate start",
                    List.of(
                            "signet rotate start                          # walks every phase as its gate opens",
                            "signet rotate start --manual                 # stops after each phase: rotate advance",
                            "signet rotate start --cluster --name spring  # creates RootRotation spring")),
            Map.entry(
                    "signet rotate status",
                    List.of(
                            "signet rotate status",
                            "signet rotate status -o yaml",
                            "signet rotate status --watch                 # until complete, counting down each gate",
                            "signet rotate status --cluster -w | tee rotation.log")),
            Map.entry(
                    "signet rotate advance",
                    List.of(
                            "signet rotate advance",
                            "signet rotate advance --cluster              # raises the RootRotation's targetPhase")),
            Map.entry("signet rotate rollback", List.of("signet rotate rollback", "signet rotate rollback --cluster")),
            Map.entry("signet rotate force", List.of("signet rotate force --reason \"node pool drained for good\"")),
            Map.entry("signet rotate issuer", List.of("signet rotate issuer")),
            Map.entry(
                    "signet proxy-status",
                    List.of(
                            "signet proxy-status                          # the control plane on this host",
                            "signet proxy-status --cluster                # every replica in the kubeconfig's cluster",
                            "signet proxy-status --cluster -o json | jq '.proxies[] | select(.types.LDS.state != \"SYNCED\")'")),
            Map.entry("signet demo", List.of("signet demo", "signet demo --dir demo-state")),
            Map.entry(
                    "signet demo payments",
                    List.of(
                            "GRPC_XDS_BOOTSTRAP=bootstrap.json signet demo payments    # in a Pod with the agent beside it")),
            Map.entry(
                    "signet demo caller",
                    List.of(
                            "GRPC_XDS_BOOTSTRAP=bootstrap.json signet demo caller --target payments.shop:8080 --method Refund")),
            Map.entry(
                    "signet inject",
                    List.of(
                            "signet inject -f app.yaml | kubectl apply -f -",
                            "kubectl apply -f <(signet inject -f app.yaml)")),
            Map.entry(
                    "signet ca",
                    List.of(
                            "signet ca init --out ca",
                            "signet ca sign --ca ca --csr w.csr",
                            "signet ca inspect ca/root-cert.pem")),
            Map.entry(
                    "signet ca init",
                    List.of(
                            "signet ca init --out ca --trust-domain example.org",
                            "signet ca init --out ca --key-type ec-p384 --root-validity 3650d")),
            Map.entry(
                    "signet ca sign",
                    List.of(
                            "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout w.key -out w.csr"
                                    + " -subj /",
                            "signet ca sign --ca ca --csr w.csr --spiffe-id spiffe://example.org/ns/shop/sa/web > w.pem")),
            Map.entry(
                    "signet ca inspect",
                    List.of(
                            "signet ca inspect .signet/root-cert.pem",
                            "signet ca inspect --margin 60d ca/root-cert.pem  # exit 3 within 60 days of expiry")),
            Map.entry(
                    "signet ca bundle",
                    List.of("signet ca bundle --state-dir .signet > bundle.json   # a SPIFFE bundle")),
            Map.entry("signet api", List.of("signet api x509", "signet api jwt --audience payments")),
            Map.entry(
                    "signet api x509",
                    List.of(
                            "signet api x509                              # uses $SPIFFE_ENDPOINT_SOCKET",
                            "signet api x509 --socket unix:///run/spire/agent.sock")),
            Map.entry("signet api jwt", List.of("signet api jwt --audience payments")),
            Map.entry("signet api validate", List.of("signet api validate --audience payments \"$TOKEN\"")),
            Map.entry(
                    "signet check",
                    List.of(
                            "signet check config/samples",
                            "signet check policy.yaml -o json",
                            "kustomize build overlays/prod | signet check -",
                            "signet check --cluster                       # what is applied, as istioctl analyze")),
            Map.entry(
                    "signet compile",
                    List.of(
                            "signet compile config/samples --workload shop/payments",
                            "signet compile config/samples --workload shop/payments --flavor grpc")),
            Map.entry(
                    "signet explain",
                    List.of(
                            "signet explain config/samples --workload shop/payments --port 8080 \\",
                            "    --from spiffe://cluster.local/ns/shop/sa/checkout --method POST --path /charge",
                            "signet explain ... -o json && echo allowed   # exit 0 on ALLOW, 1 on DENY")),
            Map.entry("signet help", List.of("signet help check")),
            Map.entry(
                    "signet version",
                    List.of(
                            "signet version                               # this CLI, and the control plane on 127.0.0.1:15014",
                            "signet version --address 127.0.0.1:8014      # after kubectl port-forward svc/signet 8014:15014",
                            "signet version --cluster                     # every replica in the kubeconfig's cluster")));

    private Examples() {}

    /** Adds each command's examples to its help, its subcommands' too. */
    static void apply(CommandLine command) {
        List<String> lines = EXAMPLES.get(command.getCommandSpec().qualifiedName());
        if (lines != null) {
            List<String> footer = new ArrayList<>(
                    List.of(command.getCommandSpec().usageMessage().footer()));
            footer.add("%nExamples:");
            lines.forEach(line -> footer.add("  " + line.replace("%", "%%")));
            command.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
        }
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getParent() == command && command.getSubcommands().get(sub.getCommandName()) == sub) {
                apply(sub);
            }
        }
    }
}
