package io.berth.network;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A network definition, as Docker's model has it plus what berth needs to hand netavark: the Linux bridge's name
 * ({@code berth0} for the default {@code bridge} network, {@code berthN} for user networks) and whether
 * aardvark-dns answers container names on it (not on the default bridge, as Docker's embedded DNS does not).
 * <p>
 * The predefined {@code host} (driver host) and {@code none} (driver null) networks exist as entries only: no
 * bridge, no IPAM configs. Stored as one JSON document per network by {@link NetworkStore}.
 *
 * @param created RFC 3339 with nanoseconds, as Docker's Created
 * @param ipam    the pools: one IPv4 config, plus one IPv6 config when enableIPv6
 * @param options the driver options as given (com.docker.network.bridge.name, com.docker.network.driver.mtu), or
 *                what berth states for the default bridge
 */
public record Network(String name, String id, String created, String driver, boolean enableIPv6,
                      List<IpamConfig> ipam, boolean internal, boolean attachable, Map<String, String> options,
                      Map<String, String> labels, String bridgeName, boolean dnsEnabled) {

    public static final String DEFAULT_BRIDGE = "bridge";
    public static final String HOST = "host";
    public static final String NONE = "none";
    public static final Set<String> PREDEFINED = Set.of(DEFAULT_BRIDGE, HOST, NONE);
    public static final String BRIDGE_DRIVER = "bridge";
    public static final String OPT_BRIDGE_NAME = "com.docker.network.bridge.name";
    public static final String OPT_MTU = "com.docker.network.driver.mtu";
    public static final String OPT_DEFAULT_BRIDGE = "com.docker.network.bridge.default_bridge";

    public Network {
        ipam = List.copyOf(ipam);
        options = Map.copyOf(options);
        labels = Map.copyOf(labels);
    }

    /** bridge, host and none: created by berthd, never removed or pruned. */
    @JsonIgnore
    public boolean predefined() {
        return PREDEFINED.contains(name);
    }

    /** Docker's filter type: builtin for the predefined networks, custom for the rest. */
    @JsonIgnore
    public String type() {
        return predefined() ? "builtin" : "custom";
    }

    @JsonIgnore
    public Optional<IpamConfig> ipv4() {
        return ipam.stream().filter(c -> !c.ipv6()).findFirst();
    }

    @JsonIgnore
    public Optional<IpamConfig> ipv6() {
        return ipam.stream().filter(IpamConfig::ipv6).findFirst();
    }

    /** The MTU given with com.docker.network.driver.mtu (netavark's options.mtu), if any. */
    @JsonIgnore
    public OptionalInt mtu() {
        String v = options.get(OPT_MTU);
        return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
    }
}
