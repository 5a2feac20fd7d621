package io.berth.network.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * netavark 1.4's wire format (its src/network/types.rs), field for field in snake_case. Optional fields are
 * null and left out; what netavark adds in later versions is ignored when read.
 */
public final class NetavarkJson {
    /** The one mapper for netavark's JSON and berth's network records. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private NetavarkJson() {}

    /** What setup and teardown read: the container, the networks it joins (by name) and its published ports. */
    public record Options(String containerId, String containerName, Map<String, PerNetwork> networks,
                          Map<String, Network> networkInfo, List<PortMapping> portMappings, List<String> dnsServers) {
        public Options {
            networks = Map.copyOf(networks);
            networkInfo = Map.copyOf(networkInfo);
        }
    }

    /** The container's side of one network: its interface, addresses (berth's IPAM picks them), DNS aliases. */
    public record PerNetwork(List<String> aliases, String interfaceName, List<String> staticIps, String staticMac) {}

    /** A network's definition as netavark needs it; {@code networkInterface} is the bridge's name. */
    public record Network(boolean dnsEnabled, String driver, String id, boolean internal, boolean ipv6Enabled,
                          String name, String networkInterface, Map<String, String> options,
                          Map<String, String> ipamOptions, List<Subnet> subnets, List<String> networkDnsServers) {}

    public record Subnet(String subnet, String gateway) {}

    /** One host port (or {@code range} consecutive ones) forwarded to the container. */
    public record PortMapping(int containerPort, String hostIp, int hostPort, String protocol, int range) {}

    /** Setup's answer for one network. */
    public record StatusBlock(List<String> dnsSearchDomains, List<String> dnsServerIps, Map<String, NetInterface> interfaces) {}

    public record NetInterface(String macAddress, List<NetAddress> subnets) {}

    /** {@code ipnet} is address/prefix ("10.88.0.2/16"). */
    public record NetAddress(String gateway, String ipnet) {}
}
