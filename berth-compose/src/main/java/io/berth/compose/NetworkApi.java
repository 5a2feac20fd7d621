package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.client.EngineApiException;
import io.berth.client.EngineClient;
import io.berth.client.HttpRequest;
import io.berth.client.HttpResponse;
import io.berth.client.JsonTree;
import io.berth.client.Query;
import io.berth.client.RequestBody;
import io.berth.client.UnixHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The Engine API's /networks endpoints as Docker defines them (create, inspect, list, remove, connect).
 * EngineClient has no network calls yet; this stays the one place compose sends them. A daemon without
 * the API (404, or 400 naming the endpoint) is told as such.
 */
final class NetworkApi {
    private final EngineClient client;
    private final UnixHttpClient http;

    NetworkApi(EngineClient client) {
        this.client = client;
        this.http = new UnixHttpClient(client.host());
    }

    JsonNode inspect(String name) {
        return send("GET", "/networks/" + Query.path(name), null);
    }

    /** The network, or null when the daemon knows no such network. */
    JsonNode find(String name) {
        try {
            return inspect(name);
        } catch (EngineApiException e) {
            if (e.status() == 404 && !e.getMessage().contains("page not found")) return null;
            throw e;
        }
    }

    JsonNode list(Map<String, List<String>> filters) {
        return send("GET", "/networks" + Query.of().add("filters", EngineClient.filtersJson(filters)), null);
    }

    JsonNode create(String name, String driver, Map<String, String> labels, JsonNode definition) {
        return send("POST", "/networks/create", createBody(name, driver, labels, definition));
    }

    /** POST /networks/create's body for a top-level network definition, in Docker's field names. */
    static ObjectNode createBody(String name, String driver, Map<String, String> labels, JsonNode definition) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Name", name);
        body.put("CheckDuplicate", true);
        body.put("Driver", driver == null ? "bridge" : driver);
        ObjectNode l = body.putObject("Labels");
        labels.forEach(l::put);
        if (definition.path("internal").asBoolean(false)) body.put("Internal", true);
        if (definition.path("attachable").asBoolean(false)) body.put("Attachable", true);
        if (definition.path("enable_ipv6").asBoolean(false)) body.put("EnableIPv6", true);
        ObjectNode opts = body.putObject("Options");
        definition.path("driver_opts").properties().forEach(e -> opts.put(e.getKey(), e.getValue().asText()));
        JsonNode ipam = definition.path("ipam");
        if (!ipam.isMissingNode()) {
            ObjectNode i = body.putObject("IPAM");
            i.put("Driver", ipam.path("driver").asText("default"));
            if (ipam.has("options")) {
                ObjectNode o = i.putObject("Options");
                ipam.get("options").properties().forEach(e -> o.put(e.getKey(), e.getValue().asText()));
            }
            var configs = i.putArray("Config");
            for (JsonNode c : ipam.path("config")) {
                ObjectNode cfg = configs.addObject();
                if (c.has("subnet")) cfg.put("Subnet", c.get("subnet").asText());
                if (c.has("ip_range")) cfg.put("IPRange", c.get("ip_range").asText());
                if (c.has("gateway")) cfg.put("Gateway", c.get("gateway").asText());
                if (c.has("aux_addresses")) {
                    ObjectNode aux = cfg.putObject("AuxiliaryAddresses");
                    c.get("aux_addresses").properties().forEach(e -> aux.put(e.getKey(), e.getValue().asText()));
                }
            }
        }
        return body;
    }

    void remove(String id) {
        send("DELETE", "/networks/" + Query.path(id), null);
    }

    void connect(String network, String container, ObjectNode endpoint) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Container", container);
        body.set("EndpointConfig", endpoint);
        send("POST", "/networks/" + Query.path(network) + "/connect", body);
    }

    private JsonNode send(String method, String path, JsonNode body) {
        // JsonTree both ways: an ObjectMapper (which JsonNode.toString builds too) costs tens of ms of a cold start
        RequestBody rb = body == null ? RequestBody.EMPTY : RequestBody.json(JsonTree.write(body));
        try (HttpResponse r = http.send(HttpRequest.of(method, "/v" + client.apiVersion() + path, rb))) {
            byte[] bytes = r.body().readAllBytes();
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (r.status() >= 400) {
                String message = text;
                try {
                    JsonNode err = JsonTree.parse(bytes);
                    if (err.hasNonNull("message")) message = err.get("message").asText();
                } catch (IOException ignored) {
                    // not JSON: the text as it is
                }
                throw new EngineApiException(r.status(), message.isBlank() ? "request failed with status " + r.status() : message);
            }
            return text.isBlank() ? JsonNodeFactory.instance.nullNode() : JsonTree.parse(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
