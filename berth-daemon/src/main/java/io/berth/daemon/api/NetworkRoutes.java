package io.berth.daemon.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.daemon.networks.NetworkFilter;
import io.berth.network.Endpoint;
import io.berth.network.IpamConfig;
import io.berth.network.Network;
import io.berth.network.NetworkConnector;
import io.berth.network.NetworkEndpoints;
import io.berth.network.NetworkService;
import io.berth.oci.errors.NotFoundException;

/**
 * /networks: decode, call {@link NetworkService} (or the {@link NetworkConnector} for connect and disconnect),
 * encode Docker's JSON; the rules live in the service. Inspect's Containers map comes from the
 * {@link NetworkEndpoints} the container integration supplies.
 */
public final class NetworkRoutes {
    private static final int MAX_BODY = 1 << 20;
    private final NetworkService networks;
    private final NetworkEndpoints endpoints;
    private final NetworkConnector connector;

    public NetworkRoutes(NetworkService networks, NetworkEndpoints endpoints, NetworkConnector connector) {
        this.networks = networks;
        this.endpoints = endpoints;
        this.connector = connector;
    }

    public void register(Router router) {
        router.add("GET", "/networks", this::list)
              .add("POST", "/networks/create", this::create)
              .add("POST", "/networks/prune", this::prune)
              .add("GET", "/networks/{id}", this::inspect)
              .add("DELETE", "/networks/{id}", this::remove)
              .add("POST", "/networks/{id}/connect", this::connect)
              .add("POST", "/networks/{id}/disconnect", this::disconnect);
    }

    private void list(HttpRequest rq, HttpResponse rs) throws Exception {
        NetworkFilter filter = NetworkFilter.forList(Filters.parse(rq.queryParam("filters")));
        rs.json(200, networks.list(filter).stream().map(n -> view(n, Map.of())).toList());
    }

    private void create(HttpRequest rq, HttpResponse rs) throws Exception {
        Network n = networks.create(NetworkRequests.create(JsonBody.read(rq, MAX_BODY)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", n.id());
        m.put("Warning", "");
        rs.json(201, m);
    }

    private void inspect(HttpRequest rq, HttpResponse rs) throws Exception {
        String ref = rq.pathParam("id");
        String scope = rq.queryParam("scope");
        // Every berth network is local: asking for another scope finds none, as in Docker.
        if (scope != null && !scope.isEmpty() && !scope.equals("local")) throw new NotFoundException("network " + ref + " not found");
        Network n = networks.inspect(ref);
        rs.json(200, view(n, endpoints.endpoints(n)));
    }

    private void remove(HttpRequest rq, HttpResponse rs) throws Exception {
        networks.remove(rq.pathParam("id"));
        rs.empty(204);
    }

    private void prune(HttpRequest rq, HttpResponse rs) throws Exception {
        NetworkFilter filter = NetworkFilter.forPrune(Filters.parse(rq.queryParam("filters")),
                v -> PruneUntil.parse(v, Instant.now()));
        List<String> deleted = networks.prune(filter);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("NetworksDeleted", deleted.isEmpty() ? null : deleted);
        rs.json(200, m);
    }

    private void connect(HttpRequest rq, HttpResponse rs) throws Exception {
        Network n = networks.inspect(rq.pathParam("id"));
        connector.connect(n, NetworkRequests.connect(JsonBody.read(rq, MAX_BODY)));
        rs.empty(200);
    }

    private void disconnect(HttpRequest rq, HttpResponse rs) throws Exception {
        Network n = networks.inspect(rq.pathParam("id"));
        var d = NetworkRequests.disconnect(JsonBody.read(rq, MAX_BODY));
        connector.disconnect(n, d.container(), d.force());
        rs.empty(200);
    }

    /** A network as GET /networks/{id} shows it, in Docker's field order. */
    static Map<String, Object> view(Network n, Map<String, Endpoint> containers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", n.id());
        m.put("Created", n.created());
        m.put("Scope", "local");
        m.put("Driver", n.driver());
        m.put("EnableIPv6", n.enableIPv6());
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", "default");
        // Docker shows null for the networks it made itself and {} for those a client created.
        ipam.put("Options", n.predefined() ? null : Map.of());
        List<Map<String, Object>> configs = new ArrayList<>();
        for (IpamConfig c : n.ipam()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("Subnet", c.subnet());
            if (c.ipRange() != null) cm.put("IPRange", c.ipRange());
            cm.put("Gateway", c.gateway());
            configs.add(cm);
        }
        ipam.put("Config", configs);
        m.put("IPAM", ipam);
        m.put("Internal", n.internal());
        m.put("Attachable", n.attachable());
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        Map<String, Object> cs = new LinkedHashMap<>();
        containers.forEach((id, e) -> {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("Name", e.name());
            em.put("EndpointID", e.endpointId());
            em.put("MacAddress", e.macAddress());
            em.put("IPv4Address", e.ipv4Address());
            em.put("IPv6Address", e.ipv6Address());
            cs.put(id, em);
        });
        m.put("Containers", cs);
        m.put("Options", new java.util.TreeMap<>(n.options())); // sorted keys, as Go encodes maps
        m.put("Labels", new java.util.TreeMap<>(n.labels()));
        return m;
    }
}
