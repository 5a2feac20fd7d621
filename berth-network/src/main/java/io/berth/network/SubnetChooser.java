package io.berth.network;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The subnet of a network created without --subnet. IPv4 comes from Docker's default pools, in Docker's order:
 * 172.17.0.0/16 to 172.31.0.0/16, then the /20s of 192.168.0.0/16. IPv6 (Docker 24 has no default IPv6 pool) comes
 * from berth's own ULA prefix fd42:b3e7:7a00::/48, one /64 per network. A candidate is skipped when it overlaps a
 * subnet of another berth network or a route on the host (dockerd's and podman's bridges, the host's LANs).
 */
public final class SubnetChooser {
    /** berth's unique local IPv6 prefix (RFC 4193: fd + 40 bits the project chose once). */
    static final Subnet IPV6_POOL = Subnet.parse("fd42:b3e7:7a00::/48");

    private SubnetChooser() {}

    /** Docker's default IPv4 candidates, in order. */
    static List<Subnet> ipv4Candidates() {
        List<Subnet> out = new ArrayList<>();
        for (int second = 17; second <= 31; second++) {
            out.add(Subnet.parse("172." + second + ".0.0/16"));
        }
        for (int third = 0; third < 256; third += 16) {
            out.add(Subnet.parse("192.168." + third + ".0/20"));
        }
        return out;
    }

    public static Optional<Subnet> chooseIpv4(Collection<Subnet> inUse) {
        return ipv4Candidates().stream().filter(c -> inUse.stream().noneMatch(c::overlaps)).findFirst();
    }

    public static Optional<Subnet> chooseIpv6(Collection<Subnet> inUse) {
        for (int i = 0; i < 1 << 16; i++) {
            Subnet c = new Subnet(true, IPV6_POOL.base().add(BigInteger.valueOf(i).shiftLeft(64)), 64);
            if (inUse.stream().noneMatch(c::overlaps)) return Optional.of(c);
        }
        return Optional.empty();
    }
}
