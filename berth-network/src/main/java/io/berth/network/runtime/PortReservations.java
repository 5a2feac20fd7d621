package io.berth.network.runtime;

import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host ports published containers hold. netavark only writes DNAT rules, which do not stop another
 * program (or a second container) from using the same port, so berthd holds each published port with a bound
 * socket of its own for as long as the container's network is up, as Podman does: the DNAT rule takes the
 * traffic before it could reach the socket, and a second bind fails. A port {@code 0} is bound as port 0, so
 * the kernel picks a free one from its ephemeral range (net.ipv4.ip_local_port_range), the range Docker picks
 * from too.
 * <p>
 * The sockets live in berthd: after a restart {@link NetworkSteps#create} takes the ports of the containers
 * whose network is still up from their records again.
 */
public final class PortReservations {
    private final Map<String, List<NetworkChannel>> byContainer = new HashMap<>();
    private final Map<String, String> owners = new HashMap<>();

    /**
     * Binds every port of {@code ports} for {@code containerId} (replacing what it held) and returns them with
     * the host ports picked for port 0. Fails with Docker's messages when a port is taken.
     */
    public synchronized List<NetworkStatus.Port> reserve(String containerId, List<NetworkStatus.Port> ports) {
        release(containerId);
        List<NetworkChannel> held = new ArrayList<>();
        List<NetworkStatus.Port> resolved = new ArrayList<>();
        try {
            for (NetworkStatus.Port p : ports) {
                String key = key(p);
                String owner = p.hostPort() == 0 ? null : owners.get(key);
                if (owner != null && !owner.equals(containerId)) {
                    throw new SystemFailureException("Bind for " + shown(p.hostIp()) + ":" + p.hostPort() + " failed: port is already allocated");
                }
                NetworkChannel ch = bind(p);
                held.add(ch);
                int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
                resolved.add(new NetworkStatus.Port(p.containerPort(), p.protocol(), p.hostIp(), port));
            }
        } catch (IOException | RuntimeException e) {
            held.forEach(PortReservations::closeQuietly);
            throw e instanceof RuntimeException re ? re : new SystemFailureException(e.getMessage(), e);
        }
        byContainer.put(containerId, held);
        for (NetworkStatus.Port p : resolved) owners.put(key(p), containerId);
        return resolved;
    }

    /** Closes the container's sockets; nothing held is fine. */
    public synchronized void release(String containerId) {
        List<NetworkChannel> held = byContainer.remove(containerId);
        if (held != null) held.forEach(PortReservations::closeQuietly);
        owners.values().removeIf(containerId::equals);
    }

    private static NetworkChannel bind(NetworkStatus.Port p) throws IOException {
        InetAddress addr = p.hostIp().isEmpty() ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(p.hostIp());
        InetSocketAddress at = new InetSocketAddress(addr, p.hostPort());
        StandardProtocolFamily family = addr instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        NetworkChannel ch = switch (p.protocol()) {
            case "tcp" -> ServerSocketChannel.open(family);
            case "udp" -> DatagramChannel.open(family);
            default -> throw new io.berth.oci.errors.InvalidArgumentException("publishing " + p.protocol() + " ports is not supported");
        };
        try {
            if (ch instanceof ServerSocketChannel s) s.bind(at, 1);
            else ch.bind(at);
            return ch;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new SystemFailureException("failed to bind port " + shown(p.hostIp()) + ":" + p.hostPort() + "/" + p.protocol()
                    + ": listen " + p.protocol() + " " + shown(p.hostIp()) + ":" + p.hostPort() + ": bind: address already in use", e);
        }
    }

    private static String key(NetworkStatus.Port p) {
        return shown(p.hostIp()) + ":" + p.hostPort() + "/" + p.protocol();
    }

    private static String shown(String hostIp) {
        return hostIp.isEmpty() ? "0.0.0.0" : hostIp;
    }

    private static void closeQuietly(NetworkChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a bound socket cannot leave anything behind
        }
    }
}
