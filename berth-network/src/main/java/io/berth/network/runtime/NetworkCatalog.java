package io.berth.network.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The network definitions the network step reads (berth's network store implements it). */
public interface NetworkCatalog {
    /** The network with this full id, name, or unique id prefix. */
    Optional<NetworkFacts> find(String nameOrId);

    /**
     * What the runtime needs of one network.
     *
     * @param bridgeInterface the host bridge's name ("berth0")
     * @param subnets one or two (IPv4, IPv6) subnets in CIDR form with their gateway
     * @param mtu 0 for the default
     * @param options netavark driver options (e.g. "isolate"), passed through
     */
    record NetworkFacts(String id, String name, String bridgeInterface, List<Subnet> subnets, boolean ipv6,
                        boolean internal, boolean dnsEnabled, int mtu, Map<String, String> options) {
        public NetworkFacts {
            subnets = List.copyOf(subnets);
            options = options == null ? Map.of() : Map.copyOf(options);
        }
    }

    record Subnet(String subnet, String gateway) {}
}
