package dev.signet.cli.api;

import dev.signet.api.spiffe.workload.JWTSVID;
import dev.signet.api.spiffe.workload.JWTSVIDRequest;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code signet api jwt}: a JWT-SVID for some audiences, printed alone so that a script can use it. */
@Command(
        name = "jwt",
        mixinStandardHelpOptions = true,
        description = "Print a JWT-SVID for the audiences (the token alone on its line, for scripts).")
final class ApiJwtCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    WorkloadApiSocket socket;

    @Option(
            names = {"-a", "--audience"},
            required = true,
            split = ",",
            paramLabel = "AUDIENCE",
            description = "Who the token is for; repeat or separate with commas.")
    List<String> audience;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (WorkloadApiSocket.Connection connection = socket.open()) {
            for (JWTSVID svid : connection
                    .api()
                    .fetchJWTSVID(
                            JWTSVIDRequest.newBuilder().addAllAudience(audience).build())
                    .getSvidsList()) {
                out.println(svid.getSvid());
            }
            out.flush();
            return 0;
        }
    }
}
