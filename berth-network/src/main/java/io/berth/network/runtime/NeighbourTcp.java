package io.berth.network.runtime;

import io.berth.network.Subnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * TCP between a container and its neighbours on a bridge network (other containers, the gateway) uses CUBIC when
 * the host's default congestion control is BBR: the container's route to each IPv4 subnet it was given gets
 * {@code congctl cubic} (iproute2, inside its namespace). Its other traffic, and any socket that picks its own
 * algorithm, keep what the host chose.
 * <p>
 * Why (docs/decisions.md, "Container-to-container throughput"): BBR, this host kernel's default, which every new
 * namespace inherits, held two containers at MTU 1500 to 0.62–0.77x the host's loopback (iperf3, same command
 * in both rows); the same namespaces with CUBIC on that route reached 1.2–1.8x. Neither GRO, bridge netfilter,
 * RPS nor pinning moved the figure. One ip process per set-up ({@link IpBatch}; with nsenter before it 3.6 ms at load 5, 11–14 ms at load 12 here); the
 * one batch covers every network of the set-up. A failure is logged and the container runs with the host's
 * default, as it would under dockerd.
 */
public final class NeighbourTcp {
    private static final Logger LOG = Logger.getLogger(NeighbourTcp.class.getName());
    static final String ALGORITHM = "cubic";
    private static final Path DEFAULT = Path.of("/proc/sys/net/ipv4/tcp_congestion_control");
    private static final Path AVAILABLE = Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");

    private NeighbourTcp() {}

    /**
     * After netavark's set-up of {@code netns}: its answer {@code result} names the interfaces and addresses;
     * {@code beside} is a file in the namespace's record dir, whose dir holds ip's batch file while it runs.
     */
    public static void apply(Path netns, Map<String, NetavarkJson.StatusBlock> result, Path beside) {
        try {
            List<String> lines = batchLines(result);
            if (lines.isEmpty()) return;
            IpBatch.run(netns, lines, beside.getParent(), "neighbour-tcp");
        } catch (IOException | RuntimeException e) {
            warn(netns, e.getMessage());
        }
    }

    /**
     * ip's batch lines for netavark's answer {@code result} on this host: none when the host's default is not BBR.
     * What {@link #apply} runs, and what a recycled interface gets again ({@link InterfaceRecycling}).
     */
    static List<String> batchLines(Map<String, NetavarkJson.StatusBlock> result) throws IOException {
        if (!wanted(Files.readString(DEFAULT).strip(), Files.readString(AVAILABLE))) return List.of();
        return routes(result);
    }

    private static void warn(Path netns, String why) {
        LOG.log(Level.WARNING, "giving " + netns + "'s bridge routes TCP " + ALGORITHM + " failed; it keeps the host's default: " + why);
    }

    /** Whether the host's {@code hostDefault} is the one to replace on a bridge route, and CUBIC is there to replace it. */
    static boolean wanted(String hostDefault, String available) {
        return hostDefault.equals("bbr") && List.of(available.strip().split("\\s+")).contains(ALGORITHM);
    }

    /**
     * ip's batch lines: the kernel's own prefix route of each IPv4 address netavark gave (as the kernel makes it:
     * proto kernel, scope link, that source), replaced by the same route with the algorithm.
     */
    static List<String> routes(Map<String, NetavarkJson.StatusBlock> result) {
        List<String> lines = new ArrayList<>();
        for (NetavarkJson.StatusBlock block : result.values()) {
            if (block == null || block.interfaces() == null) continue;
            block.interfaces().forEach((ifname, nic) -> {
                if (nic.subnets() == null || !ifname.matches("[A-Za-z0-9_.-]{1,15}")) return; // a word of ip's batch line
                for (NetavarkJson.NetAddress a : nic.subnets()) {
                    if (a.ipnet() == null || !a.ipnet().contains(".")) continue; // IPv4 only: what was measured
                    Subnet prefix = Subnet.parseLenient(a.ipnet()); // refuses anything but ADDRESS/PREFIX
                    String address = Subnet.format(Subnet.parseAddress(a.ipnet().substring(0, a.ipnet().indexOf('/'))));
                    lines.add("route replace " + prefix + " dev " + ifname + " proto kernel scope link src " + address
                            + " congctl " + ALGORITHM);
                }
            });
        }
        return lines;
    }
}
