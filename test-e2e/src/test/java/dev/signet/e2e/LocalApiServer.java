package dev.signet.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** etcd and kube-apiserver as local processes, from the binaries {@code tools/kube/install} builds. */
final class LocalApiServer implements KubeApiServer.Runtime {

    private final Path binaries;
    private final List<String> extraArgs;
    private final List<Process> processes = new ArrayList<>();
    private Path dir;

    LocalApiServer(Path binaries, List<String> extraArgs) {
        this.binaries = binaries;
        this.extraArgs = extraArgs;
    }

    @Override
    public String start(Path dir, Path serviceAccountKey, Path serviceAccountPublicKey, Path tokens) throws Exception {
        this.dir = dir;
        if (!Files.isExecutable(binaries.resolve("kube-apiserver"))) {
            throw new IllegalStateException("no kube-apiserver in " + binaries + ": run tools/kube/install (CI does)");
        }
        int etcdPort = SignetProcess.freePort();
        int peerPort = SignetProcess.freePort();
        int port = SignetProcess.freePort();
        processes.add(process(
                "etcd.log",
                binaries.resolve("etcd").toString(),
                "--data-dir",
                dir.resolve("etcd").toString(),
                "--listen-client-urls",
                "http://127.0.0.1:" + etcdPort,
                "--advertise-client-urls",
                "http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls",
                "http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls",
                "http://127.0.0.1:" + peerPort,
                "--initial-cluster",
                "default=http://127.0.0.1:" + peerPort));
        List<String> apiServer = new ArrayList<>(List.of(
                binaries.resolve("kube-apiserver").toString(),
                "--etcd-servers",
                "http://127.0.0.1:" + etcdPort,
                "--bind-address",
                extraArgs.isEmpty() ? "127.0.0.1" : "0.0.0.0",
                "--secure-port",
                String.valueOf(port),
                "--cert-dir",
                dir.resolve("certs").toString(),
                "--service-account-issuer",
                KubeApiServer.ISSUER,
                "--service-account-key-file",
                serviceAccountPublicKey.toString(),
                "--service-account-signing-key-file",
                serviceAccountKey.toString(),
                "--authorization-mode",
                "RBAC",
                "--service-cluster-ip-range",
                "10.96.0.0/24",
                "--token-auth-file",
                tokens.toString()));
        apiServer.addAll(extraArgs);
        processes.add(process("apiserver.log", apiServer.toArray(String[]::new)));
        return "https://127.0.0.1:" + port;
    }

    private Process process(String log, String... command) throws IOException {
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
    }

    @Override
    public boolean running() {
        return processes.stream().allMatch(Process::isAlive);
    }

    @Override
    public String logHint() {
        StringBuilder hint = new StringBuilder(dir.resolve("apiserver.log") + " and etcd.log");
        for (Process process : processes) {
            if (!process.isAlive()) {
                hint.append(" (a process exited with ")
                        .append(process.exitValue())
                        .append(')');
            }
        }
        return hint.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
