package dev.signet.server;

import dev.signet.controlplane.admin.AdminRequests;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Puts {@link AdminRequests} in front of every admin route ({@code /rotation…}, {@code /debug…}): a request goes on
 * only from loopback, not from a browser, to a loopback Host, with the admin credential, and with a JSON body.
 * Health and metrics stay open to probes and scrapers.
 */
@ApplicationScoped
public class AdminGuard {

    /** Routes run in ascending order: this one before every admin handler. */
    static final int ORDER = -100;

    private final ControlPlaneBean bean;

    AdminGuard(ControlPlaneBean bean) {
        this.bean = bean;
    }

    void routes(@Observes Router router) {
        router.route("/rotation*").order(ORDER).handler(this::guard);
        router.route("/debug*").order(ORDER).handler(this::guard);
    }

    private void guard(RoutingContext context) {
        AdminRequests requests = bean.adminRequests();
        if (requests == null) {
            JsonAnswers.error(context, 503, "the control plane is still starting");
            return;
        }
        HttpServerRequest request = context.request();
        var remote = request.remoteAddress();
        var refusal = requests.check(new AdminRequests.Seen(
                remote == null ? null : remote.hostAddress(),
                request.method().name(),
                request.getHeader("Host"),
                request.getHeader("Origin"),
                request.getHeader("Sec-Fetch-Site"),
                request.getHeader("Content-Type"),
                request.getHeader("Authorization")));
        if (refusal.isPresent()) {
            if (refusal.get().status() == 401) {
                context.response().putHeader("WWW-Authenticate", "Bearer realm=\"signet-admin\"");
            }
            JsonAnswers.error(context, refusal.get().status(), refusal.get().message());
            return;
        }
        context.next();
    }
}
