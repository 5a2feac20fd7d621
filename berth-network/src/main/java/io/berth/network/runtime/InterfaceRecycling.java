package io.berth.network.runtime;

import io.berth.network.Subnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ended container's interface on a bridge network, moved out of its spent namespace into a fresh one and set up
 * there again as netavark 1.4 set it up, so that the fresh namespace serves the next container without netavark
 * ({@link PrewiredNamespaces#recycle}). A move between namespaces brings the device down and flushes its addresses,
 * routes and per-device sysctls; what netavark put in the container's namespace (its src/network/bridge.rs,
 * create_veth_pair and core_utils.rs) is therefore given again, and nothing else is there:
 * <pre>
 * address/prefix, broadcast        addr add A/P brd + dev IF          (netavark: IFA_LOCAL + IFA_BROADCAST)
 * link up                          link set dev IF up
 * default route via the gateway    route add default via GW proto static metric M   (not on an internal network;
 *                                                                    M: the network's "metric" option, else 100)
 * net.ipv6.conf.IF.autoconf = 0    written from inside the namespace, when the host has IPv6
 * TCP CUBIC on the neighbour route {@link NeighbourTcp}'s lines, when the host defaults to BBR
 * </pre>
 * What moves with the device and stays as netavark made it: the MAC (so the next container has the address and MAC
 * Docker would give that address), the MTU, the offloads, the index, the peer on the bridge with its host-side state,
 * and the counters (stats subtract a baseline taken at the hand-over). Two processes: {@code ip link set ... netns}
 * in the spent namespace and {@code ip -batch} in the fresh one ({@link IpBatch}).
 */
final class InterfaceRecycling {
    private static final Path IPV6 = Path.of("/proc/sys/net/ipv6");
    private static final String IFNAME = "[A-Za-z0-9_.-]{1,15}";

    private InterfaceRecycling() {}

    /**
     * Moves interface {@code ifname} of endpoint {@code e} (on network {@code network}) from the namespace on
     * {@code from} to the one on {@code to} and sets it up there; {@code scratch} is a directory for ip's batch file
     * and output.
     */
    static void move(Path from, Path to, String ifname, NetworkCatalog.NetworkFacts network, NetworkStatus.Endpoint e,
                     Path scratch) throws IOException {
        List<String> lines = new ArrayList<>(lines(ifname, e, !network.internal(), metric(network)));
        lines.addAll(NeighbourTcp.batchLines(Map.of("n", statusBlock(ifname, e))));
        IpBatch.command(from, List.of("link", "set", "dev", ifname, "netns", to.toAbsolutePath().toString()), scratch, "recycle");
        // netavark turns SLAAC off on the container's interface; a moved device starts from the namespace's default
        Netns.inside(to, () -> {
            if (Files.isDirectory(IPV6)) Files.writeString(IPV6.resolve("conf").resolve(ifname).resolve("autoconf"), "0");
            return null;
        });
        IpBatch.run(to, lines, scratch, "recycle");
    }

    /** ip's batch lines that give a moved interface what netavark gave it, in netavark's order. */
    static List<String> lines(String ifname, NetworkStatus.Endpoint e, boolean defaultRoute, int metric) {
        if (!ifname.matches(IFNAME)) throw new IllegalArgumentException("not an interface name: " + ifname);
        String address = Subnet.format(Subnet.parseAddress(e.ipv4()));
        if (e.ipv4Prefix() < 0 || e.ipv4Prefix() > 32) throw new IllegalArgumentException("not a prefix length: " + e.ipv4Prefix());
        List<String> lines = new ArrayList<>();
        lines.add("addr add " + address + "/" + e.ipv4Prefix() + " brd + dev " + ifname);
        lines.add("link set dev " + ifname + " up");
        if (defaultRoute && !e.gateway().isEmpty()) {
            lines.add("route add default via " + Subnet.format(Subnet.parseAddress(e.gateway())) + " proto static metric " + metric);
        }
        return lines;
    }

    /** netavark's answer for the endpoint, as it gave it when it wired the interface (its MAC and address). */
    static NetavarkJson.StatusBlock statusBlock(String ifname, NetworkStatus.Endpoint e) {
        return new NetavarkJson.StatusBlock(null, null, Map.of(ifname, new NetavarkJson.NetInterface(e.macAddress(),
                List.of(new NetavarkJson.NetAddress(e.gateway().isEmpty() ? null : e.gateway(), e.ipv4() + "/" + e.ipv4Prefix())))));
    }

    /** netavark 1.4's route metric: the network's "metric" option, else 100. */
    static int metric(NetworkCatalog.NetworkFacts network) {
        String m = network.options().get("metric");
        return m == null ? 100 : Integer.parseInt(m.strip());
    }

}
