package dev.signet.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.ext.web.RoutingContext;

/** The admin endpoints' error answer: {@code {"error": "…"}} with its status. */
final class JsonAnswers {

    private JsonAnswers() {}

    static void error(RoutingContext context, int status, String message) {
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(JsonNodeFactory.instance.objectNode().put("error", message).toString() + "\n");
    }
}
