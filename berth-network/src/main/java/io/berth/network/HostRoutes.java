package io.berth.network;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The prefixes the host already routes, from /proc/net/route and /proc/net/ipv6_route: a new network's subnet must
 * not overlap one, or its bridge would shadow (or be shadowed by) a real network — docker0, podman's bridges, the
 * host's LAN. Default routes (prefix 0) overlap everything and are skipped. Read, never assumed: no bridge is
 * taken to exist because dockerd usually makes it.
 */
public final class HostRoutes {
    private HostRoutes() {}

    /** The host's routed prefixes; an unreadable file (a sandbox without /proc/net) yields none from it. */
    public static List<Subnet> read() {
        return read(Path.of("/proc/net/route"), Path.of("/proc/net/ipv6_route"));
    }

    static List<Subnet> read(Path ipv4, Path ipv6) {
        List<Subnet> out = new ArrayList<>();
        out.addAll(parseIpv4(lines(ipv4)));
        out.addAll(parseIpv6(lines(ipv6)));
        return out;
    }

    /** /proc/net/route: a header, then Iface Destination Gateway Flags ... Mask, addresses as little-endian hex. */
    static List<Subnet> parseIpv4(List<String> lines) {
        List<Subnet> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 8) continue;
            try {
                long dest = Long.reverseBytes(Long.parseLong(f[1], 16) << 32) & 0xffffffffL;
                long mask = Long.reverseBytes(Long.parseLong(f[7], 16) << 32) & 0xffffffffL;
                int prefix = Long.bitCount(mask);
                if (prefix == 0) continue;
                out.add(new Subnet(false, BigInteger.valueOf(dest & mask), prefix));
            } catch (IllegalArgumentException e) {
                // a line of another format: not a route we can judge
            }
        }
        return out;
    }

    /** /proc/net/ipv6_route: destination (32 hex digits), prefix length (hex), then source, next hop, ... */
    static List<Subnet> parseIpv6(List<String> lines) {
        List<Subnet> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || f[0].length() != 32) continue;
            try {
                int prefix = Integer.parseInt(f[1], 16);
                if (prefix == 0 || prefix > 128) continue;
                BigInteger dest = new BigInteger(f[0], 16);
                BigInteger mask = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)
                        .xor(BigInteger.ONE.shiftLeft(128 - prefix).subtract(BigInteger.ONE));
                out.add(new Subnet(true, dest.and(mask), prefix));
            } catch (IllegalArgumentException e) {
                // as above
            }
        }
        return out;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of();
        }
    }
}
