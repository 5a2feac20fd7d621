package io.berth.network.runtime;

import io.berth.runtime.ContainerSpec;
import io.berth.runtime.SecuritySpec;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether an ended container's interface may serve the next container ({@link PrewiredNamespaces#recycle}): only when
 * nothing in the container could have changed it. Without CAP_NET_ADMIN a process cannot change a device's
 * addresses, routes, link settings, queueing or sysctls, attach programs to it or rename it; what it can leave
 * (sockets, neighbour entries, multicast memberships, conntrack entries, a packet socket bound to it) belongs to the
 * namespace, which is dropped, or is detached from the device when it leaves the namespace. So: not privileged, no
 * NET_ADMIN (nor ALL) added, no net.* sysctl set by the runtime, no privileged exec ever made in it (`docker exec
 * --privileged` runs with every capability), and no other container ever joined the namespace
 * ({@code --network container:}), whatever that one could do.
 */
final class InterfaceReuse {
    private InterfaceReuse() {}

    /**
     * Whether the interface of container {@code spec}, whose namespace file is {@code netns}, may be handed on;
     * {@code privilegedExec}: a privileged exec was made in it.
     */
    static boolean allows(ContainerSpec spec, Path netns, boolean privilegedExec) {
        SecuritySpec s = spec.security();
        if (s.privileged() || privilegedExec) return false;
        for (String cap : s.capAdd()) {
            String c = cap.strip().toUpperCase(Locale.ROOT);
            if (c.startsWith("CAP_")) c = c.substring(4);
            if (c.equals("NET_ADMIN") || c.equals("ALL")) return false;
        }
        if (spec.resources().process().sysctls().keySet().stream().anyMatch(k -> k.startsWith("net.") || k.startsWith("net/"))) return false;
        return !Netns.wasJoined(netns);
    }
}
