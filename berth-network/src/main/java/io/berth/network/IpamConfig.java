package io.berth.network;

import java.net.InetAddress;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One address pool of a network, as Docker's IPAM Config entry: the subnet, an optional narrower range addresses
 * are handed out from (--ip-range), and the gateway (the bridge's own address). Kept as text, as stored and shown;
 * the accessors parse on use. Built only by {@link NetworkService}, which has checked every part.
 *
 * @param chosen berth chose the subnet (none was given): then, as in Docker, a container may not ask for a
 *               fixed address on it, since the subnet could have been any
 */
public record IpamConfig(String subnet, String ipRange, String gateway, boolean chosen) {

    /** A config as given by a client. */
    public IpamConfig(String subnet, String ipRange, String gateway) {
        this(subnet, ipRange, gateway, false);
    }

    @JsonIgnore
    public Subnet subnetPrefix() {
        return Subnet.parse(subnet);
    }

    /** Where addresses are handed out from: the --ip-range, else the whole subnet. */
    @JsonIgnore
    public Subnet pool() {
        return ipRange == null ? subnetPrefix() : Subnet.parse(ipRange);
    }

    @JsonIgnore
    public InetAddress gatewayAddress() {
        return Subnet.parseAddress(gateway);
    }

    @JsonIgnore
    public boolean ipv6() {
        return subnetPrefix().ipv6();
    }
}
