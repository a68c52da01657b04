package dev.signet.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.ca.bundle.SpiffeBundleJson;
import dev.signet.ca.bundle.TrustBundle;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * {@code GET /bundle}: the trust bundle as a SPIFFE bundle (a JWK set, the bundle version as its sequence number), what
 * SPIFFE federation and SPIFFE libraries read. Public, as a trust bundle is: it holds no secret.
 */
@ApplicationScoped
public class BundleRoutes {

    /** How often a reader should come back: short, so that a rotation's new root reaches it well within a phase. */
    static final Duration REFRESH_HINT = Duration.ofMinutes(5);

    private final ControlPlaneBean bean;
    private final SpiffeBundleJson spiffe = new SpiffeBundleJson(new ObjectMapper());

    BundleRoutes(ControlPlaneBean bean) {
        this.bean = bean;
    }

    void routes(@Observes Router router) {
        router.get("/bundle").handler(context -> {
            if (bean.get() == null) {
                JsonAnswers.error(context, 503, "the control plane is still starting");
                return;
            }
            TrustBundle bundle = bean.get().trustBundle();
            context.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-cache")
                    .end(spiffe.write(bundle, REFRESH_HINT));
        });
    }
}
