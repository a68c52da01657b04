package dev.signet.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.controlplane.xds.ProxyStatus;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** {@code GET /debug/proxies}: each connected proxy's sent, ACKed and NACKed versions, and its last NACK error. */
@ApplicationScoped
public class DebugRoutes {

    private final ControlPlaneBean bean;
    private final ObjectMapper json = new ObjectMapper();

    DebugRoutes(ControlPlaneBean bean) {
        this.bean = bean;
    }

    void routes(@Observes Router router) {
        router.get("/debug/proxies")
                .handler(context -> context.response()
                        .putHeader("Content-Type", "application/json")
                        .end(proxies()));
    }

    String proxies() {
        ArrayNode array = json.createArrayNode();
        if (bean.get() != null) {
            for (ProxyStatus proxy : bean.get().proxies().proxies()) {
                ObjectNode node = array.addObject();
                node.put("node", proxy.nodeId());
                node.put("workload", proxy.workload());
                node.put("identity", proxy.identity());
                node.put("connectedAt", proxy.connectedAt().toString());
                ObjectNode types = node.putObject("types");
                proxy.types().forEach((type, status) -> {
                    ObjectNode t = types.putObject(type);
                    t.put("sent", status.sentVersion());
                    t.put("acked", status.ackedVersion());
                    t.put("inSync", status.inSync());
                    if (status.nackedVersion() != null) {
                        t.put("nacked", status.nackedVersion());
                        t.put("nackError", status.nackError());
                    }
                });
            }
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(array);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
