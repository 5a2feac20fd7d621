package io.berth.daemon.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.api.BodyTypes.Kind;
import io.berth.network.ConnectRequest;
import io.berth.network.IpamConfig;
import io.berth.network.NetworkCreateRequest;
import io.berth.oci.errors.InvalidArgumentException;

/**
 * The JSON bodies of POST /networks/create, /connect and /disconnect, decoded: every field type-checked, fields
 * berth applies read, and any other field that asks for something refused by name (a client's zero values,
 * such as "Ingress": false or "ConfigFrom": null, ask for nothing). The rules on the values live in
 * {@link io.berth.network.NetworkService}.
 */
final class NetworkRequests {
    private static final Map<String, Kind> CREATE = Map.ofEntries(
            Map.entry("Name", Kind.STRING), Map.entry("CheckDuplicate", Kind.BOOL), Map.entry("Driver", Kind.STRING),
            Map.entry("Scope", Kind.STRING), Map.entry("EnableIPv4", Kind.BOOL), Map.entry("EnableIPv6", Kind.BOOL),
            Map.entry("IPAM", Kind.OBJECT), Map.entry("Internal", Kind.BOOL), Map.entry("Attachable", Kind.BOOL),
            Map.entry("Ingress", Kind.BOOL), Map.entry("ConfigOnly", Kind.BOOL), Map.entry("ConfigFrom", Kind.OBJECT),
            Map.entry("Options", Kind.STRING_MAP), Map.entry("Labels", Kind.STRING_MAP));
    /** Create fields whose values berth reads; the rest of CREATE must be empty (or, for EnableIPv4, true). */
    private static final Set<String> APPLIED = Set.of("Name", "CheckDuplicate", "Driver", "EnableIPv6", "IPAM",
            "Internal", "Attachable", "Options", "Labels");
    private static final Map<String, Kind> IPAM = Map.of("Driver", Kind.STRING, "Options", Kind.STRING_MAP,
            "Config", Kind.ARRAY);
    private static final Map<String, Kind> IPAM_CONFIG = Map.of("Subnet", Kind.STRING, "IPRange", Kind.STRING,
            "Gateway", Kind.STRING, "AuxiliaryAddresses", Kind.STRING_MAP);

    private NetworkRequests() {}

    static NetworkCreateRequest create(JsonNode body) {
        requireObject(body, "");
        check(body, "", CREATE);
        body.properties().forEach(f -> {
            String k = f.getKey();
            if (APPLIED.contains(k)) return;
            if (k.equals("Scope") && f.getValue().asText().equals("local")) return;
            if (k.equals("EnableIPv4") && f.getValue().asBoolean()) return; // every berth network has IPv4
            if (k.equals("EnableIPv4") && f.getValue().isBoolean()) {
                throw new InvalidArgumentException("berth does not support networks without IPv4 (EnableIPv4=false)");
            }
            refuseUnlessEmpty(k, f.getValue());
        });
        JsonNode ipam = body.path("IPAM");
        String ipamDriver = null;
        Map<String, String> ipamOptions = null;
        List<IpamConfig> configs = new ArrayList<>();
        if (ipam.isObject()) {
            check(ipam, "IPAM.", IPAM);
            ipam.properties().forEach(f -> {
                if (!IPAM.containsKey(f.getKey())) refuseUnlessEmpty("IPAM." + f.getKey(), f.getValue());
            });
            ipamDriver = text(ipam, "Driver");
            ipamOptions = stringMap(ipam.path("Options"));
            int i = 0;
            for (JsonNode c : ipam.path("Config")) {
                String prefix = "IPAM.Config[" + i++ + "].";
                requireObject(c, prefix);
                check(c, prefix, IPAM_CONFIG);
                c.properties().forEach(f -> {
                    if (!f.getKey().equals("Subnet") && !f.getKey().equals("IPRange") && !f.getKey().equals("Gateway")) {
                        refuseUnlessEmpty(prefix + f.getKey(), f.getValue());
                    }
                });
                configs.add(new IpamConfig(text(c, "Subnet"), text(c, "IPRange"), text(c, "Gateway")));
            }
        }
        return new NetworkCreateRequest(text(body, "Name"), text(body, "Driver"), bool(body, "Internal"),
                bool(body, "Attachable"), bool(body, "EnableIPv6"), ipamDriver, ipamOptions, configs,
                stringMap(body.path("Options")), stringMap(body.path("Labels")));
    }

    /**
     * {"Container": "..", "EndpointConfig": {"IPAMConfig": {"IPv4Address", "IPv6Address"}, "Aliases": [..], "Links": [..]}};
     * the links are checked as a create's on a user-defined network ({@link LinkRequests#onUserNetwork}).
     */
    static ConnectRequest connect(JsonNode body) {
        requireObject(body, "");
        check(body, "", Map.of("Container", Kind.STRING, "EndpointConfig", Kind.OBJECT));
        body.properties().forEach(f -> {
            if (!f.getKey().equals("Container") && !f.getKey().equals("EndpointConfig")) refuseUnlessEmpty(f.getKey(), f.getValue());
        });
        JsonNode ep = body.path("EndpointConfig");
        check(ep, "EndpointConfig.", Map.of("IPAMConfig", Kind.OBJECT, "Aliases", Kind.STRINGS, "Links", Kind.STRINGS));
        ep.properties().forEach(f -> {
            if (!f.getKey().equals("IPAMConfig") && !f.getKey().equals("Aliases") && !f.getKey().equals("Links")) {
                refuseUnlessEmpty("EndpointConfig." + f.getKey(), f.getValue());
            }
        });
        JsonNode ipam = ep.path("IPAMConfig");
        check(ipam, "EndpointConfig.IPAMConfig.", Map.of("IPv4Address", Kind.STRING, "IPv6Address", Kind.STRING));
        ipam.properties().forEach(f -> {
            if (!f.getKey().equals("IPv4Address") && !f.getKey().equals("IPv6Address")) {
                refuseUnlessEmpty("EndpointConfig.IPAMConfig." + f.getKey(), f.getValue());
            }
        });
        List<String> aliases = new ArrayList<>();
        ep.path("Aliases").forEach(a -> aliases.add(a.asText()));
        List<String> links = new ArrayList<>();
        ep.path("Links").forEach(l -> links.add(l.asText()));
        return new ConnectRequest(requiredContainer(body), emptyToNull(text(ipam, "IPv4Address")),
                emptyToNull(text(ipam, "IPv6Address")), aliases, LinkRequests.onUserNetwork(links));
    }

    record Disconnect(String container, boolean force) {}

    static Disconnect disconnect(JsonNode body) {
        requireObject(body, "");
        check(body, "", Map.of("Container", Kind.STRING, "Force", Kind.BOOL));
        body.properties().forEach(f -> {
            if (!f.getKey().equals("Container") && !f.getKey().equals("Force")) refuseUnlessEmpty(f.getKey(), f.getValue());
        });
        return new Disconnect(requiredContainer(body), bool(body, "Force"));
    }

    private static String requiredContainer(JsonNode body) {
        String c = text(body, "Container");
        if (c == null || c.isEmpty()) throw new InvalidArgumentException("no container specified (Container)");
        return c;
    }

    private static void requireObject(JsonNode v, String where) {
        if (v == null || !v.isObject()) {
            throw new InvalidArgumentException("invalid JSON: " + (where.isEmpty() ? "expected an object" : where + " must be an object"));
        }
    }

    private static void check(JsonNode object, String prefix, Map<String, Kind> fields) {
        fields.forEach((name, kind) -> {
            JsonNode v = object.get(name);
            if (v != null && !v.isNull()) BodyTypes.check(prefix + name, kind, v);
        });
    }

    private static void refuseUnlessEmpty(String path, JsonNode value) {
        if (UnsupportedFields.isEmpty(value)) return;
        String shown = value.isValueNode() ? "=" + value.asText() : "";
        if (shown.length() > 80) shown = shown.substring(0, 80) + "...";
        throw new InvalidArgumentException("berth does not support " + path.replaceAll("[^\\x20-\\x7e]", "?")
                + shown.replaceAll("[^\\x20-\\x7e]", "?") + " for networks");
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static boolean bool(JsonNode o, String field) {
        return o.path(field).asBoolean(false);
    }

    private static Map<String, String> stringMap(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n.isObject()) n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
