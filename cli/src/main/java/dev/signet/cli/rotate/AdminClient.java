package dev.signet.cli.rotate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.cli.Unavailable;
import dev.signet.controlplane.admin.AdminCredential;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the control plane's rotation endpoint and turns its answers into JSON or a {@link Refused}. */
final class AdminClient {

    /** The control plane said no (or could not be reached); the message says why in its words. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final String address;
    private final String authorization;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** {@code token}: the admin credential from the control plane's state directory. */
    AdminClient(String address, String token) {
        this.address = address;
        this.authorization = AdminCredential.SCHEME + token;
    }

    JsonNode get(String path) throws Refused, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    JsonNode post(String path, JsonNode body) throws Refused, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    ObjectMapper json() {
        return json;
    }

    private URI uri(String path) {
        return URI.create("http://" + address + path);
    }

    private JsonNode send(HttpRequest.Builder request) throws Refused, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(
                    request.header("Authorization", authorization)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            // Not a refusal: nothing answered. Exit 3, naming the address and the option that changes it.
            throw new Unavailable(
                    "cannot connect to the control plane at " + address + ": nothing listens there (is 'signet serve'"
                            + " running? --address HOST:PORT names its HTTP port, --http-port, 15014 by default)",
                    e);
        } catch (IOException e) {
            throw new Unavailable(
                    "cannot reach the control plane at " + address + " (--address): " + e.getMessage(), e);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new Refused("the control plane at " + address + " answered " + response.statusCode()
                    + " with something that is not JSON");
        }
        if (response.statusCode() != 200) {
            throw new Refused(body.path("error").asText("HTTP " + response.statusCode()));
        }
        return body;
    }
}
