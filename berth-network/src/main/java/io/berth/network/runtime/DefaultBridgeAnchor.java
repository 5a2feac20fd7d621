package io.berth.network.runtime;

import io.berth.network.Subnet;
import io.berth.runtime.NetworkSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the default bridge's interface, with its gateway address, up while berthd runs, as dockerd keeps docker0
 * from its start. Clients reach the host at that address: Testcontainers run inside a container connects to
 * published ports at the default bridge's gateway whatever network the container is on, and "host-gateway" names
 * it. netavark deletes a bridge at the teardown of its last port, so with no container on the default bridge the
 * address was gone (Testcontainers' wait for a container on a user network timed out on "connection refused").
 * <p>
 * The anchor is a port netavark makes itself, so that netavark's own bookkeeping stays whole: berthd's namespace
 * {@code EXEC-ROOT/bridge-anchor/netns} on the default network, holding the subnet's last host address (the one
 * Docker's sequential allocator hands out last, so containers still get .2, .3, ... as under Docker). A bridge
 * that exists before netavark's first setup would not do: netavark gives a bridge its gateway address only when
 * it creates it.
 * <pre>
 * up()    what a killed berthd left is torn down, then: lease → namespace → netavark setup (bridge, address, NAT)
 * down()  netavark teardown: the bridge and its rules go when no container is left on it; lease and namespace go
 * </pre>
 */
public final class DefaultBridgeAnchor {
    private static final Logger LOG = Logger.getLogger(DefaultBridgeAnchor.class.getName());
    /** The anchor's name where netavark and the address leases want a container's. */
    static final String OWNER = "berthd-default-bridge-anchor";

    private final Path dir;
    private final NetworkCatalog catalog;
    private final AddressLeases leases;
    private final Netavark netavark;

    DefaultBridgeAnchor(Path execRoot, NetworkCatalog catalog, AddressLeases leases, Netavark netavark) {
        this.dir = execRoot.resolve("bridge-anchor");
        this.catalog = catalog;
        this.leases = leases;
        this.netavark = netavark;
    }

    private Path netns() {
        return dir.resolve("netns");
    }

    private Path options() {
        return dir.resolve("netavark.json");
    }

    /** Brings the default bridge up (again after a kill -9: the old anchor is torn down first). */
    public void up() throws IOException {
        down();
        Optional<NetworkCatalog.NetworkFacts> found = catalog.find(NetworkSpec.DEFAULT_BRIDGE);
        if (found.isEmpty() || found.get().subnets().isEmpty()) return;
        NetworkCatalog.NetworkFacts f = found.get();
        List<String> requested = new ArrayList<>(List.of("", ""));
        for (NetworkCatalog.Subnet s : f.subnets()) {
            Subnet subnet = Subnet.parse(s.subnet());
            requested.set(subnet.ipv6() ? 1 : 0, lastHost(subnet, s.gateway()));
        }
        List<String> addresses = leases.reserve(f.id(), OWNER, requested.get(0), requested.get(1));
        Files.createDirectories(dir);
        Netns.create(netns());
        String name = Endpoints.netavarkName(f);
        NetavarkJson.Options options = new NetavarkJson.Options(OWNER, OWNER,
                Map.of(name, new NetavarkJson.PerNetwork(null, "eth0", addresses, null)),
                Map.of(name, Endpoints.network(f)), null, null);
        netavark.setup(netns(), options, options());
    }

    /** Takes the anchor away; nothing there is fine, and a failure is logged, not thrown (this runs at shutdown). */
    public void down() {
        try {
            if (Files.exists(options()) && Netns.isMounted(netns())) netavark.teardown(netns(), options());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "tearing down the default bridge's anchor: " + e.getMessage());
        }
        try {
            Netns.delete(netns());
            Files.deleteIfExists(options());
            catalog.find(NetworkSpec.DEFAULT_BRIDGE).ifPresent(f -> leases.release(f.id(), OWNER));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "removing the default bridge's anchor: " + e.getMessage());
        }
    }

    /**
     * The highest address a host of {@code subnet} may have (below IPv4's broadcast address, IPv6's last), or the
     * one below it when that is the gateway.
     */
    static String lastHost(Subnet subnet, String gateway) {
        java.math.BigInteger last = subnet.ipv6() ? subnet.last() : subnet.last().subtract(java.math.BigInteger.ONE);
        String address = Subnet.format(subnet.address(last));
        return address.equals(gateway) ? Subnet.format(subnet.address(last.subtract(java.math.BigInteger.ONE))) : address;
    }
}
