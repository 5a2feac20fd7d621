package io.berth.daemon.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.berth.oci.errors.NotFoundException;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.NetworkSpec;

/**
 * Docker's NetworkSettings of a container (inspect) and the Ports and Networks of its summary (ps): what was asked at
 * create, filled with the network step's addresses and host ports while the container runs. A container that is
 * not running keeps its networks, with empty addresses, and lists no ports, as Docker shows it.
 */
final class NetworkSettingsView {
    private final NetworkResolver networks;

    NetworkSettingsView(NetworkResolver networks) {
        this.networks = networks;
    }

    Map<String, Object> settings(ContainerSpec spec, Optional<ContainerNetworkStatus> status) {
        NetworkSpec net = spec.network();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Bridge", "");
        m.put("SandboxID", status.map(ContainerNetworkStatus::sandboxId).orElse(""));
        m.put("SandboxKey", status.map(ContainerNetworkStatus::sandboxKey).orElse(""));
        m.put("HairpinMode", false);
        m.put("LinkLocalIPv6Address", "");
        m.put("LinkLocalIPv6PrefixLen", 0);
        m.put("Ports", portMap(net, status));
        m.put("SecondaryIPAddresses", null);
        m.put("SecondaryIPv6Addresses", null);
        // the legacy top-level fields describe the default bridge network only, as Docker's
        Optional<ContainerNetworkStatus.Endpoint> bridge = status.flatMap(s -> s.endpoints().stream()
                .filter(e -> e.network().equals(NetworkSpec.DEFAULT_BRIDGE)).findFirst());
        m.put("EndpointID", bridge.map(ContainerNetworkStatus.Endpoint::endpointId).orElse(""));
        m.put("Gateway", bridge.map(ContainerNetworkStatus.Endpoint::gateway).orElse(""));
        m.put("GlobalIPv6Address", bridge.map(ContainerNetworkStatus.Endpoint::ipv6Address).orElse(""));
        m.put("GlobalIPv6PrefixLen", bridge.map(ContainerNetworkStatus.Endpoint::ipv6PrefixLen).orElse(0));
        m.put("IPAddress", bridge.map(ContainerNetworkStatus.Endpoint::ipv4Address).orElse(""));
        m.put("IPPrefixLen", bridge.map(ContainerNetworkStatus.Endpoint::ipv4PrefixLen).orElse(0));
        m.put("IPv6Gateway", bridge.map(ContainerNetworkStatus.Endpoint::ipv6Gateway).orElse(""));
        m.put("MacAddress", bridge.map(ContainerNetworkStatus.Endpoint::macAddress).orElse(""));
        m.put("Networks", networks(spec, status));
        return m;
    }

    /** {name: EndpointSettings}: the attached networks; host and none appear as themselves; container: mode has none. */
    Map<String, Object> networks(ContainerSpec spec, Optional<ContainerNetworkStatus> status) {
        NetworkSpec net = spec.network();
        Map<String, Object> out = new LinkedHashMap<>();
        if (!net.joinedContainer().isEmpty()) return out;
        if (net.isHost() || net.isNone()) {
            out.put(net.mode(), endpoint(new NetworkSpec.Attachment(net.mode(), predefinedId(net.mode()), List.of(), "", "", ""),
                    Optional.empty()));
            return out;
        }
        for (NetworkSpec.Attachment a : net.attachments()) {
            Optional<ContainerNetworkStatus.Endpoint> live = status.flatMap(s -> s.endpoints().stream()
                    .filter(e -> e.networkId().equals(a.networkId())).findFirst());
            out.put(a.network(), endpoint(a, live));
        }
        return out;
    }

    private String predefinedId(String name) {
        try {
            return networks.resolve(name).id();
        } catch (NotFoundException e) {
            return "";
        }
    }

    private static Map<String, Object> endpoint(NetworkSpec.Attachment a, Optional<ContainerNetworkStatus.Endpoint> live) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (a.ipv4Address().isEmpty() && a.ipv6Address().isEmpty()) {
            m.put("IPAMConfig", null);
        } else {
            Map<String, Object> ipam = new LinkedHashMap<>();
            if (!a.ipv4Address().isEmpty()) ipam.put("IPv4Address", a.ipv4Address());
            if (!a.ipv6Address().isEmpty()) ipam.put("IPv6Address", a.ipv6Address());
            m.put("IPAMConfig", ipam);
        }
        // links on this (user-defined) network as given; legacy links are HostConfig.Links only, as in Docker
        m.put("Links", a.links().isEmpty() ? null : a.links().stream().map(NetworkSpec.EndpointLink::inspectForm).toList());
        List<String> aliases = live.map(ContainerNetworkStatus.Endpoint::aliases).orElse(a.aliases());
        m.put("Aliases", aliases.isEmpty() ? null : aliases);
        m.put("MacAddress", live.map(ContainerNetworkStatus.Endpoint::macAddress).orElse(a.macAddress()));
        m.put("DriverOpts", null);
        m.put("NetworkID", a.networkId());
        m.put("EndpointID", live.map(ContainerNetworkStatus.Endpoint::endpointId).orElse(""));
        m.put("Gateway", live.map(ContainerNetworkStatus.Endpoint::gateway).orElse(""));
        m.put("IPAddress", live.map(ContainerNetworkStatus.Endpoint::ipv4Address).orElse(""));
        m.put("IPPrefixLen", live.map(ContainerNetworkStatus.Endpoint::ipv4PrefixLen).orElse(0));
        m.put("IPv6Gateway", live.map(ContainerNetworkStatus.Endpoint::ipv6Gateway).orElse(""));
        m.put("GlobalIPv6Address", live.map(ContainerNetworkStatus.Endpoint::ipv6Address).orElse(""));
        m.put("GlobalIPv6PrefixLen", live.map(ContainerNetworkStatus.Endpoint::ipv6PrefixLen).orElse(0));
        List<String> dnsNames = live.map(ContainerNetworkStatus.Endpoint::dnsNames).orElse(List.of());
        m.put("DNSNames", dnsNames.isEmpty() ? null : dnsNames);
        return m;
    }

    /**
     * {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "32768"}], "81/tcp": null}: every exposed port of a running
     * container, with its bindings or null; empty when it does not run (or shares the host's or another's namespace).
     */
    static Map<String, Object> portMap(NetworkSpec net, Optional<ContainerNetworkStatus> status) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (status.isEmpty() || net.isHost() || net.isNone() || !net.joinedContainer().isEmpty()) return out;
        for (String port : net.exposed()) out.put(port, null);
        for (ContainerNetworkStatus.PortMapping p : status.get().ports()) {
            String key = p.containerPort() + "/" + p.protocol();
            @SuppressWarnings("unchecked")
            List<Object> bindings = out.get(key) instanceof List<?> l ? (List<Object>) l : new ArrayList<>();
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("HostIp", p.hostIp());
            b.put("HostPort", Integer.toString(p.hostPort()));
            bindings.add(b);
            out.put(key, bindings);
        }
        return out;
    }

    /** The summary's Ports: [{IP, PrivatePort, PublicPort, Type}] per binding, [{PrivatePort, Type}] for an unpublished port. */
    static List<Map<String, Object>> portList(NetworkSpec net, Optional<ContainerNetworkStatus> status) {
        List<Map<String, Object>> out = new ArrayList<>();
        portMap(net, status).forEach((key, bindings) -> {
            int privatePort = Integer.parseInt(key.substring(0, key.indexOf('/')));
            String type = key.substring(key.indexOf('/') + 1);
            if (!(bindings instanceof List<?> list)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("PrivatePort", privatePort);
                m.put("Type", type);
                out.add(m);
                return;
            }
            for (Object o : list) {
                Map<?, ?> b = (Map<?, ?>) o;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("IP", b.get("HostIp"));
                m.put("PrivatePort", privatePort);
                m.put("PublicPort", Integer.parseInt((String) b.get("HostPort")));
                m.put("Type", type);
                out.add(m);
            }
        });
        return out;
    }
}
