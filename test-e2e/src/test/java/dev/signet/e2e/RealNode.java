package dev.signet.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A one-node Kubernetes cluster on this machine, assembled from real parts: the local API server (started by the
 * caller with {@link #apiServerArgs()}), a containerd of its own with CRI, a kubelet registered as node
 * {@value #NODE}, kube-proxy, kube-scheduler and kube-controller-manager (built by {@code tools/kube/install --node}),
 * the bridge CNI plugin from Debian's containernetworking-plugins on {@value #POD_SUBNET}, and {@link ClusterDns} in
 * place of CoreDNS. Images come from archives ({@code ctr images import}), never a registry. It needs root; what it
 * changes outside its folder (a bridge, iptables chains, mounts, cgroups) is undone by {@link #close()}.
 */
final class RealNode implements AutoCloseable {

    static final String NODE = "signet-node";
    static final String POD_SUBNET = "10.244.0.0/24";
    /** The bridge's address: the Pods' gateway, and where they reach the API server and the DNS. */
    static final String GATEWAY = "10.244.0.1";

    private static final String BRIDGE = "signet0";
    private static final Path CNI_BIN = Path.of("/usr/lib/cni");

    private final Path dir;
    private final KubeApiServer kube;
    private final Deque<Process> processes = new ArrayDeque<>();
    private final List<Process> controllers = new ArrayList<>();
    private ClusterDns dns;
    private Path socket;

    private RealNode(Path dir, KubeApiServer kube) {
        this.dir = dir;
        this.kube = kube;
    }

    /** Why no node can be assembled here, or empty when it can. */
    static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("a real node needs root (containerd, a bridge, iptables)");
        }
        for (String command : List.of("containerd", "ctr", "runc", "iptables", "ip")) {
            if (which(command).isEmpty()) {
                return Optional.of("no " + command + " on the PATH (apt-get install containerd runc iptables "
                        + "iproute2 containernetworking-plugins; CI does)");
            }
        }
        if (!Files.isExecutable(CNI_BIN.resolve("bridge"))) {
            return Optional.of("no CNI plugins in " + CNI_BIN + " (apt-get install containernetworking-plugins)");
        }
        for (String binary : List.of("kubelet", "kube-proxy", "kube-scheduler", "kube-controller-manager")) {
            if (!Files.isExecutable(KubeApiServer.binaries().resolve(binary))) {
                return Optional.of("no " + binary + ": run tools/kube/install --node (the build does)");
            }
        }
        if (!Files.isRegularFile(image())) {
            return Optional.of("no image at " + image() + ": the image module builds it (needs mmdebstrap)");
        }
        return Optional.empty();
    }

    /** The image the build made. */
    static Path image() {
        return SignetProcess.home().resolve("image/target/signet-image.tar");
    }

    /** Creates the bridge first: the API server must listen on its address before the first Pod. */
    static void prepareNetwork() throws Exception {
        run("modprobe", "br_netfilter");
        sysctl("net/ipv4/ip_forward", "1");
        sysctl("net/bridge/bridge-nf-call-iptables", "1");
        if (run("ip", "link", "show", BRIDGE) != 0) {
            must("ip", "link", "add", BRIDGE, "type", "bridge");
        }
        run("ip", "addr", "add", GATEWAY + "/24", "dev", BRIDGE);
        must("ip", "link", "set", BRIDGE, "up");
    }

    /** What the API server needs for a node whose Pods reach it at the gateway. */
    static List<String> apiServerArgs() {
        return List.of(
                "--advertise-address",
                GATEWAY,
                "--kubelet-preferred-address-types",
                "InternalIP",
                "--allow-privileged=true");
    }

    static RealNode start(KubeApiServer kube, Path dir) throws Exception {
        RealNode node = new RealNode(dir, kube);
        try {
            node.boot();
        } catch (Exception | AssertionError e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void boot() throws Exception {
        long started = System.nanoTime();
        Path admin = kube.kubeconfig(dir.resolve("node-admin.kubeconfig"), kube.adminToken());
        Path binaries = KubeApiServer.binaries();
        Path containerd = Files.createDirectories(dir.resolve("containerd"));
        socket = containerd.resolve("containerd.sock");
        Path cni = Files.createDirectories(dir.resolve("cni"));
        Files.writeString(
                cni.resolve("10-signet.conflist"), """
                {"cniVersion": "0.4.0", "name": "signet", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false, "hairpinMode": true,
                   "ipam": {"type": "host-local", "dataDir": "%s",
                            "ranges": [[{"subnet": "%s", "gateway": "%s"}]],
                            "routes": [{"dst": "0.0.0.0/0"}]}},
                  {"type": "firewall"},
                  {"type": "portmap", "capabilities": {"portMappings": true}}]}
                """.formatted(BRIDGE, dir.resolve("cni-ipam"), POD_SUBNET, GATEWAY));
        Files.writeString(containerd.resolve("config.toml"), """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                [grpc]
                  address = "%2$s"
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "localhost/pause:3.10"
                  restrict_oom_score_adj = true
                  stream_server_address = "127.0.0.1"
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        SystemdCgroup = false
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%3$s"
                    conf_dir = "%4$s"
                """.formatted(containerd, socket, CNI_BIN, cni));
        start(
                "containerd",
                "containerd",
                "--config",
                containerd.resolve("config.toml").toString());
        await(Duration.ofSeconds(30), "containerd", () -> Files.exists(socket) && ctr("version") == 0);
        long importStart = System.nanoTime();
        for (Path archive : List.of(binaries.resolve("pause.tar"), image())) {
            if (ctr("images", "import", archive.toString()) != 0) {
                throw new IllegalStateException(
                        "ctr images import " + archive + " failed; see " + dir.resolve("ctr.log"));
            }
        }
        timing("images imported", importStart);

        dns = ClusterDns.start(InetAddress.getByName(GATEWAY), kube.adminClient());
        Files.writeString(dir.resolve("resolv.conf"), "");
        Path kubelet = Files.createDirectories(dir.resolve("kubelet"));
        Files.writeString(dir.resolve("kubelet.yaml"), """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                address: %s
                port: %d
                healthzBindAddress: 127.0.0.1
                healthzPort: %d
                readOnlyPort: 0
                cgroupDriver: cgroupfs
                failSwapOn: false
                failCgroupV1: false
                containerRuntimeEndpoint: unix://%s
                imageServiceEndpoint: unix://%s
                authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
                authorization: {mode: AlwaysAllow}
                clusterDNS: ["%s"]
                clusterDomain: cluster.local
                resolvConf: %s
                serializeImagePulls: false
                imageGCHighThresholdPercent: 100
                imageGCLowThresholdPercent: 99
                evictionHard: {memory.available: "50Mi", nodefs.available: "1%%", imagefs.available: "1%%"}
                """.formatted(
                        GATEWAY,
                        SignetProcess.freePort(),
                        SignetProcess.freePort(),
                        socket,
                        socket,
                        GATEWAY,
                        dir.resolve("resolv.conf")));
        start(
                "kubelet",
                binaries.resolve("kubelet").toString(),
                "--config",
                dir.resolve("kubelet.yaml").toString(),
                "--kubeconfig",
                admin.toString(),
                "--root-dir",
                kubelet.toString(),
                "--cert-dir",
                dir.resolve("kubelet-pki").toString(),
                "--hostname-override",
                NODE,
                // The API server reaches the kubelet (logs, exec) at the node's address, which may not be loopback.
                "--node-ip",
                GATEWAY);
        start(
                "kube-proxy",
                binaries.resolve("kube-proxy").toString(),
                "--kubeconfig",
                admin.toString(),
                "--hostname-override",
                NODE,
                "--cluster-cidr",
                POD_SUBNET,
                "--proxy-mode",
                "iptables",
                "--conntrack-max-per-core",
                "0",
                "--metrics-bind-address",
                "127.0.0.1:" + SignetProcess.freePort(),
                "--healthz-bind-address",
                "127.0.0.1:" + SignetProcess.freePort());
        controllers.add(controller("kube-scheduler", admin));
        controllers.add(controller(
                "kube-controller-manager",
                admin,
                "--service-account-private-key-file",
                dir.resolve("sa.key").toString(),
                "--root-ca-file",
                dir.resolve("certs/apiserver.crt").toString(),
                "--use-service-account-credentials=false",
                "--controllers",
                "*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-route"));
        kube.eventually(
                Duration.ofMinutes(2),
                "True"::equals,
                "get",
                "node",
                NODE,
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        timing("node Ready", started);
    }

    /** A controller as admin, alone (no leader election), its own port on loopback. */
    private Process controller(String name, Path kubeconfig, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                KubeApiServer.binaries().resolve(name).toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--leader-elect=false",
                "--bind-address",
                "127.0.0.1",
                "--secure-port",
                String.valueOf(SignetProcess.freePort())));
        command.addAll(List.of(args));
        return start(name, command.toArray(String[]::new));
    }

    private Process start(String name, String... command) throws IOException {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        processes.push(process);
        return process;
    }

    private int ctr(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", socket.toString(), "--namespace", "k8s.io"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(java.lang.ProcessBuilder.Redirect.appendTo(
                        dir.resolve("ctr.log").toFile()))
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** The containers containerd runs for the node's Pods. */
    private int containers() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        "ctr", "--address", socket.toString(), "--namespace", "k8s.io", "containers", "list", "-q")
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        return process.exitValue() != 0
                ? -1
                : (int) out.lines().filter(l -> !l.isBlank()).count();
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void await(Duration patience, String what, Check check) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " not up within " + patience.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    private static void timing(String what, long since) {
        System.out.printf("real node: %s after %.1f s%n", what, (System.nanoTime() - since) / 1e9);
    }

    /**
     * Stops the controllers (or ReplicaSets would make new Pods), deletes every Pod while the kubelet runs (so the
     * CNI plugin releases its addresses and rules), then stops the rest and undoes what the node changed outside its
     * folder.
     */
    @Override
    public void close() throws Exception {
        long started = System.nanoTime();
        for (Process controller : controllers) {
            stop(controller);
        }
        if (socket != null && processes.size() > 2) {
            kube.kubectl("delete", "pods", "--all", "--all-namespaces", "--force", "--grace-period=0", "--wait=false");
            try {
                await(Duration.ofSeconds(60), "containers stopped", () -> containers() == 0);
            } catch (IllegalStateException e) {
                System.out.println("real node: " + e.getMessage() + "; stopping anyway");
            }
        }
        while (!processes.isEmpty()) {
            stop(processes.pop());
        }
        if (dns != null) {
            dns.close();
        }
        run("pkill", "-f", "containerd-shim-runc-v2 -namespace k8s.io -id .* -address " + socket);
        run(KubeApiServer.binaries().resolve("kube-proxy").toString(), "--cleanup");
        run("sh", "-c", "grep ' " + dir + "' /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r -n1 umount -l");
        undoNetwork();
        run("sh", "-c", "find /sys/fs/cgroup/*/kubepods -depth -type d -exec rmdir {} + 2>/dev/null; true");
        run(
                "sh",
                "-c",
                "rm -rf /var/log/containers/*_signet-* /var/log/pods/* /var/lib/kubelet/device-plugins/kubelet.sock "
                        + "/var/lib/cni/results/signet-*");
        timing("torn down", started);
    }

    /** Removes the bridge, the chains kube-proxy, the kubelet and the CNI plugins made, and the Pods' namespaces. */
    static void undoNetwork() throws IOException, InterruptedException {
        run("ip", "link", "delete", BRIDGE);
        for (String tables : List.of("iptables", "ip6tables")) {
            run("sh", "-c", tables + "-save | grep -v -e 'KUBE-' -e 'CNI-' | " + tables + "-restore");
        }
        run("sh", "-c", "ip netns list | grep -o '^cni-[^ ]*' | xargs -r -n1 ip netns delete");
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Optional<Path> which(String command) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(folder, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        for (String folder : List.of("/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(folder, command))) {
                return Optional.of(Path.of(folder, command));
            }
        }
        return Optional.empty();
    }

    private static void sysctl(String key, String value) {
        try {
            Files.writeString(Path.of("/proc/sys", key), value);
        } catch (IOException e) {
            System.out.println("real node: cannot set " + key + ": " + e.getMessage());
        }
    }

    private static void must(String... command) throws IOException, InterruptedException {
        if (run(command) != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    /** Runs a command found on the PATH or in /sbin, /usr/sbin; -1 when there is no such command. */
    private static int run(String... command) throws IOException, InterruptedException {
        Optional<Path> program = command[0].startsWith("/") ? Optional.of(Path.of(command[0])) : which(command[0]);
        if (program.isEmpty()) {
            return -1;
        }
        command[0] = program.get().toString();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
