package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Live objects judged by what GitOps tools run: upstream kstatus (Flux's health checks, kubectl-based CI waits), and
 * the health checks Signet ships in {@code charts/signet/health/} run the way Argo CD (gopher-lua) and Flux (CEL) run
 * them. Each reads {@code kubectl get ... -o json} and answers one line per object.
 */
final class LiveHealth {

    private final KubeApiServer kube;
    private final Path gitops;

    private LiveHealth(KubeApiServer kube, Path gitops) {
        this.kube = kube;
        this.gitops = gitops;
    }

    /** Builds the Go program that runs the tools' libraries (src/test/go/gitops). */
    static LiveHealth build(KubeApiServer kube) throws Exception {
        return new LiveHealth(kube, GoPrograms.build("gitops"));
    }

    /** {@code KIND/NAME STATUS: MESSAGE} as kstatus computes it for {@code kubectl get GET... -o json}. */
    String kstatus(String... get) throws Exception {
        return judge(get, "kstatus");
    }

    /** {@code KIND/NAME argocd=STATUS flux=STATUS: MESSAGE} from the shipped Argo CD and Flux checks. */
    String gitops(String... get) throws Exception {
        Path shipped = SignetProcess.home().resolve("charts/signet/health");
        return judge(
                get,
                "health",
                shipped.resolve("argocd-cm.yaml").toString(),
                shipped.resolve("flux-kustomization.yaml").toString());
    }

    private String judge(String[] get, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("get"));
        command.addAll(List.of(get));
        command.addAll(List.of("-o", "json"));
        String json = kube.kubectl(command.toArray(String[]::new)).ok().out();
        SignetProcess.Result judged = GoPrograms.runWithInput(gitops, json, args);
        assertThat(judged.exitCode()).as(judged.out()).isZero();
        return judged.out().strip();
    }
}
