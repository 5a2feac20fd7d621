package io.berth.daemon.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.NetworkSpec;

/**
 * Reads the network side of a create body into a {@link NetworkSpec}, with the Docker daemon's rules and messages:
 *
 * <pre>
 * HostConfig.NetworkMode   "" | default → bridge; bridge; none; host; container:NAME|ID (resolved to the full id);
 *                          any other: a network's name or id (must exist)
 * NetworkingConfig         EndpointsConfig{network: {Aliases, IPAMConfig.IPv4Address/IPv6Address, MacAddress, Links}};
 *                          one endpoint before API 1.44, several since (the first is NetworkMode's); Links on a
 *                          user-defined network only (there HostConfig.Links join the first endpoint's)
 * HostConfig               PortBindings, PublishAllPorts, Dns, DnsSearch, DnsOptions, ExtraHosts
 * Config                   ExposedPorts (merged with the image's), MacAddress, Hostname, NetworkDisabled
 * </pre>
 *
 * Host mode drops published ports with Docker's warning; container mode refuses what the joined container owns.
 */
final class ContainerNetworkRequests {
    static final String HOST_MODE_PORTS_WARNING = "Published ports are discarded when using host network mode";
    private static final Set<String> ENDPOINT_FIELDS = Set.of("IPAMConfig", "Aliases", "MacAddress", "NetworkID", "Links");
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");
    private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern DOMAIN = Pattern.compile("^(:?(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*)\\.?$");

    /** The network spec and the warnings Docker returns in the create response. */
    record Result(NetworkSpec spec, List<String> warnings) {}

    private final NetworkResolver networks;
    private final UnaryOperator<String> containerIds;
    private final Supplier<String> hostHostname;

    /**
     * @param containerIds a container's full id from its name or id; throws NotFoundException "No such container: X"
     * @param hostHostname the host's hostname: a host-mode container's default hostname, as Docker's
     */
    ContainerNetworkRequests(NetworkResolver networks, UnaryOperator<String> containerIds, Supplier<String> hostHostname) {
        this.networks = networks;
        this.containerIds = containerIds;
        this.hostHostname = hostHostname;
    }

    Result parse(String id, JsonNode body, List<String> imageExposed, String apiVersion) {
        JsonNode host = body.path("HostConfig");
        String mode = text(host.path("NetworkMode"));
        if (mode.isEmpty() || mode.equals("default")) mode = NetworkSpec.DEFAULT_BRIDGE;
        String hostname = text(body.path("Hostname"));
        String configMac = text(body.path("MacAddress"));
        Map<String, JsonNode> endpoints = endpoints(body.path("NetworkingConfig").path("EndpointsConfig"), apiVersion);
        List<String> dns = CreateRequestTranslator.strings(host.path("Dns"));
        List<String> dnsSearch = CreateRequestTranslator.strings(host.path("DnsSearch"));
        List<String> dnsOptions = CreateRequestTranslator.strings(host.path("DnsOptions"));
        List<NetworkSpec.HostEntry> extraHosts = extraHosts(CreateRequestTranslator.strings(host.path("ExtraHosts")));
        for (String server : dns) {
            if (!isIp(server)) throw new InvalidArgumentException("IP address is not correctly formatted: " + server);
        }
        for (String domain : dnsSearch) {
            if (!domain.equals(".") && (!DOMAIN.matcher(domain).matches() || domain.length() > 255)) {
                throw new InvalidArgumentException(domain + " is not a valid domain");
            }
        }
        Set<String> requestExposed = exposedKeys(body.path("ExposedPorts"));
        List<NetworkSpec.PortBinding> ports = portBindings(host.path("PortBindings"));
        boolean publishAll = host.path("PublishAllPorts").asBoolean(false);
        boolean wantsPorts = !ports.isEmpty() || publishAll;
        List<String> warnings = new ArrayList<>();

        if (body.path("NetworkDisabled").asBoolean(false)) {
            // Docker sets up no network at all: the container's own namespace with loopback, as mode none
            if (!mode.equals(NetworkSpec.DEFAULT_BRIDGE) && !mode.equals(NetworkSpec.NONE)) {
                throw new InvalidArgumentException("berth does not support Config.NetworkDisabled with HostConfig.NetworkMode=" + mode);
            }
            mode = NetworkSpec.NONE;
        }

        List<NetworkSpec.Attachment> attachments = new ArrayList<>();
        if (mode.startsWith(NetworkSpec.CONTAINER_PREFIX)) {
            String target = mode.substring(NetworkSpec.CONTAINER_PREFIX.length());
            if (target.isEmpty()) throw new InvalidArgumentException("Invalid network mode: invalid container format container:<name|id>");
            if (!hostname.isEmpty()) throw new InvalidArgumentException("conflicting options: hostname and the network mode");
            if (!dns.isEmpty() || !dnsSearch.isEmpty() || !dnsOptions.isEmpty()) {
                throw new InvalidArgumentException("conflicting options: dns and the network mode");
            }
            if (!extraHosts.isEmpty()) throw new InvalidArgumentException("conflicting options: custom host-to-IP mapping and the network mode");
            if (!configMac.isEmpty() || endpoints.values().stream().anyMatch(e -> !text(e.path("MacAddress")).isEmpty())) {
                throw new InvalidArgumentException("conflicting options: mac-address and the network mode");
            }
            if (wantsPorts) throw new InvalidArgumentException("conflicting options: port publishing and the container type network mode");
            if (!requestExposed.isEmpty()) throw new InvalidArgumentException("conflicting options: port exposing and the container type network mode");
            onlyOwnEndpoint(endpoints, Set.of(mode), "container sharing network namespace with another container or host cannot be connected to any other network");
            endpoints.forEach(ContainerNetworkRequests::refuseLinks);
            mode = NetworkSpec.CONTAINER_PREFIX + atCreate(() -> containerIds.apply(target));
            hostname = "";
        } else if (mode.equals(NetworkSpec.HOST) || mode.equals(NetworkSpec.NONE)) {
            boolean isHost = mode.equals(NetworkSpec.HOST);
            onlyOwnEndpoint(endpoints, Set.of(mode), isHost
                    ? "container sharing network namespace with another container or host cannot be connected to any other network"
                    : "container cannot be connected to multiple networks with one of the networks in private (none) mode");
            for (var e : endpoints.entrySet()) checkEndpoint(e.getKey(), false, e.getValue());
            endpoints.forEach(ContainerNetworkRequests::refuseLinks);
            JsonNode own = endpoints.getOrDefault(mode, endpoints.getOrDefault("default", com.fasterxml.jackson.databind.node.MissingNode.getInstance()));
            if (!configMac.isEmpty() || !text(own.path("MacAddress")).isEmpty()) {
                // Docker refuses it for host mode; with none there is no interface to give it to: refused, not dropped
                throw new InvalidArgumentException("conflicting options: mac-address and the network mode");
            }
            if (isHost) {
                if (!ports.isEmpty()) warnings.add(HOST_MODE_PORTS_WARNING);
                ports = List.of();
                publishAll = false;
                if (hostname.isEmpty()) hostname = hostHostname.get();
            } else if (wantsPorts) {
                throw new InvalidArgumentException("berth does not support HostConfig.PortBindings or PublishAllPorts with HostConfig.NetworkMode=none (no port can be reached)");
            }
        } else {
            String primaryName = mode;
            NetworkResolver.Network primary = atCreate(() -> networks.resolve(primaryName));
            JsonNode primaryEndpoint = endpointFor(endpoints, mode, primary);
            String endpointMac = text(primaryEndpoint.path("MacAddress"));
            if (!configMac.isEmpty() && !endpointMac.isEmpty() && !configMac.equalsIgnoreCase(endpointMac)) {
                throw new InvalidArgumentException("the container-wide MAC address must match the endpoint-specific MAC address for the main network, or be left empty");
            }
            attachments.add(attachment(primary, keyOf(endpoints, primaryEndpoint, primary.name()), primaryEndpoint,
                    endpointMac.isEmpty() ? configMac : endpointMac, CreateRequestTranslator.strings(host.path("Links"))));
            for (var e : endpoints.entrySet()) {
                if (e.getValue() == primaryEndpoint) continue;
                if (e.getKey().equals(NetworkSpec.HOST) || e.getKey().startsWith(NetworkSpec.CONTAINER_PREFIX)) {
                    throw new InvalidArgumentException("container sharing network namespace with another container or host cannot be connected to any other network");
                }
                if (e.getKey().equals(NetworkSpec.NONE)) {
                    throw new InvalidArgumentException("container cannot be connected to multiple networks with one of the networks in private (none) mode");
                }
                NetworkResolver.Network other = atCreate(() -> networks.resolve(e.getKey()));
                if (attachments.stream().anyMatch(a -> a.networkId().equals(other.id()))) continue;
                attachments.add(attachment(other, e.getKey(), e.getValue(), text(e.getValue().path("MacAddress")), List.of()));
            }
            mode = primary.name();
            if (hostname.isEmpty()) hostname = id.substring(0, 12);
        }

        // the image's ports stay exposed in container: mode too (Config.ExposedPorts shows them); nothing publishes them
        Set<String> exposed = new TreeSet<>(PORT_ORDER);
        imageExposed.forEach(p -> exposed.add(normalizedPort(p)));
        exposed.addAll(requestExposed);
        exposed.addAll(portBindingKeys(host.path("PortBindings")));
        NetworkSpec spec = new NetworkSpec(hostname, mode, attachments, ports, List.copyOf(exposed), publishAll,
                dns, dnsSearch, dnsOptions, extraHosts);
        return new Result(spec, List.copyOf(warnings));
    }

    /**
     * A network or container a create names that does not exist is a 400 with the resolver's words ("network X not
     * found", "No such container: X"), not its 404: the docker CLI answers any 404 from create by pulling the image
     * and retrying (measured with docker CLI 28: "Unable to find image 'busybox:latest' locally", then a registry
     * error instead of the message). Docker itself only finds out at start, so its CLI never sees a 404 here.
     */
    private static <T> T atCreate(Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (io.berth.oci.errors.NotFoundException e) {
            throw new InvalidArgumentException(e.getMessage());
        }
    }

    /** "80/tcp" before "443/tcp" before "53/udp": by protocol, then number, as Docker's port lists sort. */
    static final Comparator<String> PORT_ORDER = Comparator.comparing((String p) -> p.substring(p.indexOf('/') + 1))
            .thenComparingInt(p -> Integer.parseInt(p.substring(0, p.indexOf('/'))));

    /**
     * @param key the endpoint's key in the request (Docker names the network so in its messages)
     * @param hostLinks HostConfig.Links: on a user-defined first network they are its endpoint's links (the default
     *                  bridge's are legacy links, read by {@link LinkRequests#resolve})
     */
    private NetworkSpec.Attachment attachment(NetworkResolver.Network network, String key, JsonNode endpoint, String mac,
                                              List<String> hostLinks) {
        boolean userDefined = !network.name().equals(NetworkSpec.DEFAULT_BRIDGE);
        checkEndpoint(key, userDefined, endpoint);
        if (!mac.isEmpty() && !MAC.matcher(mac).matches()) throw new InvalidArgumentException("invalid MAC address " + mac);
        List<NetworkSpec.EndpointLink> links = List.of();
        if (userDefined) {
            links = LinkRequests.onUserNetwork(CreateRequestTranslator.strings(endpoint.path("Links")), hostLinks);
        } else if (!LinkRequests.DEFAULT_BRIDGE_KEYS.contains(key)) {
            // the bridge named by its id: LinkRequests reads the CLI's copy under "bridge" or "default" only
            refuseLinks(key, endpoint);
        }
        return new NetworkSpec.Attachment(network.name(), network.id(), CreateRequestTranslator.strings(endpoint.path("Aliases")),
                ipv4(endpoint), ipv6(endpoint), mac.toLowerCase(java.util.Locale.ROOT), links);
    }

    /** Links in an endpoint that is not on a user-defined network: nothing there could resolve them. */
    private static void refuseLinks(String key, JsonNode endpoint) {
        if (!CreateRequestTranslator.strings(endpoint.path("Links")).isEmpty()) {
            throw new InvalidArgumentException("berth does not support NetworkingConfig.EndpointsConfig." + key
                    + ".Links here: links are only supported for user-defined networks");
        }
    }

    /**
     * Aliases and fixed addresses only on user-defined networks; each broken rule is one line under Docker's
     * "invalid config for network X: invalid endpoint settings:".
     */
    private static void checkEndpoint(String key, boolean userDefined, JsonNode endpoint) {
        if (userDefined) return;
        List<String> errors = new ArrayList<>();
        if (!ipv4(endpoint).isEmpty() || !ipv6(endpoint).isEmpty()) {
            errors.add("user specified IP address is supported on user defined networks only");
        }
        if (!CreateRequestTranslator.strings(endpoint.path("Aliases")).isEmpty()) {
            errors.add("network-scoped alias is supported only for containers in user defined networks");
        }
        if (!errors.isEmpty()) {
            throw new InvalidArgumentException("invalid config for network " + key + ": invalid endpoint settings:\n" + String.join("\n", errors));
        }
    }

    private static String keyOf(Map<String, JsonNode> endpoints, JsonNode endpoint, String fallback) {
        for (var e : endpoints.entrySet()) {
            if (e.getValue() == endpoint) return e.getKey();
        }
        return fallback;
    }

    private static JsonNode endpointFor(Map<String, JsonNode> endpoints, String mode, NetworkResolver.Network primary) {
        for (String key : List.of(mode, primary.name(), primary.id())) {
            JsonNode e = endpoints.get(key);
            if (e != null) return e;
        }
        // "default" is what older clients name the endpoint of the default network
        if (primary.name().equals(NetworkSpec.DEFAULT_BRIDGE) && endpoints.containsKey("default")) return endpoints.get("default");
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static void onlyOwnEndpoint(Map<String, JsonNode> endpoints, Set<String> own, String message) {
        for (String key : endpoints.keySet()) {
            if (!own.contains(key) && !key.equals("default")) throw new InvalidArgumentException(message);
        }
    }

    /** The endpoints in request order; Docker before API 1.44 takes one at create (connect adds the others). */
    private static Map<String, JsonNode> endpoints(JsonNode config, String apiVersion) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (!config.isObject()) return out;
        if (config.size() > 1 && before144(apiVersion)) {
            List<String> names = new ArrayList<>();
            config.fieldNames().forEachRemaining(names::add);
            throw new InvalidArgumentException("Container cannot be connected to network endpoints: " + String.join(", ", names));
        }
        config.properties().forEach(e -> {
            String path = "NetworkingConfig.EndpointsConfig." + e.getKey();
            JsonNode v = e.getValue();
            if (v == null || v.isNull()) throw new InvalidArgumentException("no EndpointSettings for " + e.getKey());
            v.properties().forEach(f -> {
                if (!ENDPOINT_FIELDS.contains(f.getKey()) && !UnsupportedFields.isEmpty(f.getValue())) {
                    throw new InvalidArgumentException("berth does not support " + path + "." + f.getKey() + " yet");
                }
            });
            v.path("IPAMConfig").properties().forEach(f -> {
                if (!f.getKey().equals("IPv4Address") && !f.getKey().equals("IPv6Address") && !UnsupportedFields.isEmpty(f.getValue())) {
                    throw new InvalidArgumentException("berth does not support " + path + ".IPAMConfig." + f.getKey() + " yet");
                }
            });
            String v4 = ipv4(v);
            if (!v4.isEmpty() && !(literal(v4) instanceof Inet4Address)) throw new InvalidArgumentException("invalid IPv4 address: " + v4);
            String v6 = ipv6(v);
            if (!v6.isEmpty() && !(literal(v6) instanceof Inet6Address)) throw new InvalidArgumentException("invalid IPv6 address: " + v6);
            out.put(e.getKey(), v);
        });
        return out;
    }

    static boolean before144(String apiVersion) {
        if (apiVersion == null || apiVersion.isEmpty()) return false;
        String[] p = apiVersion.split("\\.");
        try {
            int major = Integer.parseInt(p[0]);
            int minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
            return major < 1 || (major == 1 && minor < 44);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String ipv4(JsonNode endpoint) {
        return text(endpoint.path("IPAMConfig").path("IPv4Address"));
    }

    private static String ipv6(JsonNode endpoint) {
        return text(endpoint.path("IPAMConfig").path("IPv6Address"));
    }

    /**
     * HostConfig.PortBindings {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}: one binding per entry; HostPort "" or
     * "0" is a random port. A host port range for one container port (the daemon would pick one port in it) is refused.
     */
    static List<NetworkSpec.PortBinding> portBindings(JsonNode node) {
        List<NetworkSpec.PortBinding> out = new ArrayList<>();
        if (!node.isObject()) return out;
        node.properties().forEach(e -> {
            String key = normalizedPort(e.getKey());
            int containerPort = Integer.parseInt(key.substring(0, key.indexOf('/')));
            String proto = key.substring(key.indexOf('/') + 1);
            JsonNode list = e.getValue();
            if (list == null || list.isNull()) return;
            if (!list.isArray()) throw new InvalidArgumentException("invalid port bindings for " + e.getKey() + ": expected a list");
            for (JsonNode b : list) {
                String hostIp = text(b.path("HostIp"));
                String hostPort = text(b.path("HostPort"));
                if (!hostIp.isEmpty() && !isIp(hostIp)) throw new InvalidArgumentException("invalid host IP: " + hostIp);
                out.add(new NetworkSpec.PortBinding(containerPort, proto, stripBrackets(hostIp), hostPort(e.getKey(), hostPort)));
            }
        });
        return out;
    }

    private static List<String> portBindingKeys(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) node.fieldNames().forEachRemaining(k -> out.add(normalizedPort(k)));
        return out;
    }

    private static int hostPort(String key, String hostPort) {
        if (hostPort.isEmpty()) return 0;
        String[] range = hostPort.split("-", -1);
        if (range.length > 2) throw new InvalidArgumentException("invalid port specification: \"" + hostPort + "\"");
        int start = port(range[0], hostPort);
        int end = range.length == 2 ? port(range[1], hostPort) : start;
        if (end < start) throw new InvalidArgumentException("invalid port specification: \"" + hostPort + "\"");
        if (end != start) {
            throw new InvalidArgumentException("berth does not support a host port range for one container port (HostConfig.PortBindings "
                    + key + " HostPort " + hostPort + ") yet");
        }
        return start;
    }

    /** "80/tcp", "80" (tcp), "53/UDP": the canonical "PORT/proto" key, or Docker's "invalid port specification". */
    static String normalizedPort(String raw) {
        int slash = raw.indexOf('/');
        String number = slash < 0 ? raw : raw.substring(0, slash);
        String proto = slash < 0 ? "tcp" : raw.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
        if (proto.isEmpty()) proto = "tcp";
        if (!PROTOCOLS.contains(proto)) throw new InvalidArgumentException("invalid proto: " + proto);
        return port(number, number) + "/" + proto;
    }

    private static int port(String s, String shown) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit) || Integer.parseInt(s) > 65535) {
            throw new InvalidArgumentException("invalid port specification: \"" + shown + "\"");
        }
        return Integer.parseInt(s);
    }

    /** Config.ExposedPorts keys; a range ("8000-8002/tcp") stands for each of its ports. */
    private static Set<String> exposedKeys(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        if (!node.isObject()) return out;
        node.fieldNames().forEachRemaining(k -> {
            int slash = k.indexOf('/');
            String number = slash < 0 ? k : k.substring(0, slash);
            String proto = slash < 0 ? "" : k.substring(slash);
            int dash = number.indexOf('-');
            if (dash < 0) {
                out.add(normalizedPort(k));
                return;
            }
            int start = port(number.substring(0, dash), k);
            int end = port(number.substring(dash + 1), k);
            if (end < start) throw new InvalidArgumentException("invalid port specification: \"" + k + "\"");
            for (int p = start; p <= end; p++) out.add(normalizedPort(p + proto));
        });
        return out;
    }

    /** "name:ip" or "name=ip"; the address may be bracketed ("[::1]") or "host-gateway" (moby's ValidateExtraHost rules). */
    static List<NetworkSpec.HostEntry> extraHosts(List<String> entries) {
        List<NetworkSpec.HostEntry> out = new ArrayList<>();
        for (String entry : entries) {
            int sep = entry.indexOf('=');
            if (sep < 0) sep = entry.indexOf(':');
            String name = sep < 0 ? "" : entry.substring(0, sep);
            if (sep < 0 || name.isEmpty() || name.contains(":")) throw new InvalidArgumentException("bad format for add-host: \"" + entry + "\"");
            String address = entry.substring(sep + 1);
            if (!address.equals("host-gateway")) {
                address = stripBrackets(address);
                if (!isIp(address)) throw new InvalidArgumentException("invalid IP address in add-host: \"" + address + "\"");
            }
            out.add(new NetworkSpec.HostEntry(name, address));
        }
        return out;
    }

    private static String stripBrackets(String s) {
        return s.length() > 2 && s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    }

    /** An IP literal; never a name lookup. */
    static boolean isIp(String s) {
        return literal(s) != null;
    }

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Go's net.ParseIP: IPv4 only as a dotted quad (Java also takes "1.2.3" and "1"), IPv6 in any RFC 4291 form. */
    private static InetAddress literal(String s) {
        String bare = stripBrackets(s);
        if (!bare.contains(":") && !DOTTED_QUAD.matcher(bare).matches()) return null;
        try {
            return InetAddress.ofLiteral(bare);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? "" : v.asText();
    }
}
