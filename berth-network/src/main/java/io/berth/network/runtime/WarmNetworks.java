package io.berth.network.runtime;

import io.berth.oci.Digest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps each network a container has used warm: one placeholder endpoint per network, attached by netavark like a
 * container's and never used, so that no container's teardown is netavark's last on the bridge. The bridge, its
 * NAT, forward and isolation chains and aardvark-dns then live from the network's first use until {@code network rm}
 * or prune ({@link #retire}) or berthd's stop ({@link #retireAll}), as Docker's bridges live while their network
 * exists, and a container's set-up and tear-down are netavark's per-container part only.
 * <pre>
 * EXEC-ROOT/warm/NETWORK-ID/
 *   netns         the placeholder's namespace (nothing runs in it)
 *   network/      its NetworkRecords: the write-ahead teardown record with netavark's exact options, as a container's
 * </pre>
 * A placeholder takes the highest free address of each subnet (containers keep Docker's order: the first gets .2),
 * netavark's container name {@value #NAME} (not a valid container name, so aardvark-dns never answers a
 * container's name with it), and a fixed id per network. A network smaller than a /28 is not kept warm: the
 * address would be missed. After a kill -9, berthd's start adopts each placeholder whose namespace is still mounted
 * and whose network still exists, and tears down the rest ({@link #recover}).
 * <p>
 * A container's own netavark call still checks every rule of its network (netavark 1.4 does at each set-up); the
 * placeholder saves the making and removing of the bridge, its chains and aardvark-dns with each container.
 */
public final class WarmNetworks {
    private static final Logger LOG = Logger.getLogger(WarmNetworks.class.getName());
    /** netavark's container name for placeholders: a leading "_" is refused in container names. */
    static final String NAME = "_berth_warm";
    private static final int SMALLEST_PREFIX_KEPT = 28;

    private final Path dir;
    private final AddressLeases leases;
    private final Netavark netavark;
    /** Network ids whose placeholder is up. */
    private final Map<String, Boolean> warm = new ConcurrentHashMap<>();
    /** One placeholder change at a time. */
    private final ReentrantLock changes = new ReentrantLock();
    /**
     * Set by {@link #retireAll} (under {@link #changes}): berthd makes the default bridge's placeholder on a thread
     * of its own once its socket answers, and a stop can come first; a placeholder made after the retirement would
     * outlive berthd with its bridge.
     */
    private boolean retired;

    public WarmNetworks(Path execRoot, AddressLeases leases, Netavark netavark) {
        this.dir = execRoot.resolve("warm");
        this.leases = leases;
        this.netavark = netavark;
    }

    /** The netavark container id of a network's placeholder (64 hex, fixed per network). */
    public static String placeholderId(String networkId) {
        return Digest.sha256(("berth warm network " + networkId).getBytes(StandardCharsets.UTF_8)).hex();
    }

    /** Whether the network's placeholder is up. */
    public boolean isWarm(String networkId) {
        return warm.containsKey(networkId);
    }

    /**
     * Makes the network's placeholder unless it is up; whether the network is warm afterwards. A network that cannot
     * be kept warm (too small, no address left, netavark failed) is not an error: its containers then make and
     * remove its bridge as before.
     */
    public boolean ensure(NetworkCatalog.NetworkFacts f) {
        if (warm.containsKey(f.id())) return true;
        if (!large(f)) return false;
        changes.lock();
        try {
            if (warm.containsKey(f.id())) return true;
            if (retired) return false;
            Path home = dir.resolve(f.id());
            NetworkRecords records = new NetworkRecords(home);
            Path netns = home.resolve("netns");
            try {
                records.writeTeardown(new NetworkRecords.Teardown(netns.toString(), List.of(f.id()), null));
                Netns.create(netns);
                String id = placeholderId(f.id());
                List<String> addresses = leases.allocateTop(f.id(), id);
                NetavarkJson.PerNetwork per = new NetavarkJson.PerNetwork(null, "eth0", addresses, null);
                NetavarkJson.Options options = new NetavarkJson.Options(id, NAME, Map.of(Endpoints.netavarkName(f), per),
                        Map.of(Endpoints.netavarkName(f), Endpoints.network(f)), null, null);
                records.writeTeardown(new NetworkRecords.Teardown(netns.toString(), List.of(f.id()), options));
                netavark.setup(netns, options, records.netavarkInput());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "keeping network " + f.name() + " warm failed; its containers make and remove its bridge: " + e.getMessage());
                tearDown(home);
                return false;
            }
            warm.put(f.id(), true);
            return true;
        } finally {
            changes.unlock();
        }
    }

    /** Whether a subnet of the network leaves room for a placeholder: a /28 or larger. */
    private static boolean large(NetworkCatalog.NetworkFacts f) {
        for (NetworkCatalog.Subnet s : f.subnets()) {
            if (s.subnet().contains(":")) continue;
            int prefix = Integer.parseInt(s.subnet().substring(s.subnet().indexOf('/') + 1));
            if (prefix > SMALLEST_PREFIX_KEPT) return false;
        }
        return true;
    }

    /** Tears the network's placeholder down (network rm, prune): with no container left, the bridge and its rules go. */
    public void retire(String networkId) {
        changes.lock();
        try {
            warm.remove(networkId);
            tearDown(dir.resolve(networkId));
        } finally {
            changes.unlock();
        }
    }

    /**
     * Tears every placeholder down (berthd's stop): bridges whose containers still run stay with them. No placeholder
     * is made afterwards: a container that still starts makes and removes its bridge itself.
     */
    public void retireAll() {
        changes.lock();
        try {
            retired = true;
            warm.clear();
            for (Path home : homes()) tearDown(home);
        } finally {
            changes.unlock();
        }
    }

    /**
     * berthd's start, before any container starts: a placeholder whose record is complete, whose namespace is still
     * mounted and whose network still exists is kept (so a kill -9 changes nothing on the host); any other is torn
     * down (a kill inside its set-up; a reboot, which took its namespace).
     */
    public void recover(NetworkCatalog catalog) {
        changes.lock();
        try {
            for (Path home : homes()) {
                String networkId = home.getFileName().toString();
                boolean keep = false;
                try {
                    Optional<NetworkRecords.Teardown> t = new NetworkRecords(home).readTeardown();
                    keep = t.isPresent() && t.get().options() != null && Netns.isMounted(Path.of(t.get().netns()))
                            && catalog.find(networkId).isPresent();
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "reading the placeholder in " + home + ": " + e.getMessage());
                }
                if (keep) warm.put(networkId, true);
                else tearDown(home);
            }
        } finally {
            changes.unlock();
        }
    }

    private List<Path> homes() {
        return NamespaceHomes.list(dir);
    }

    /** Undoes a placeholder from its record alone, as a container's teardown does; nothing there is fine. */
    private void tearDown(Path home) {
        NamespaceHomes.tearDown(home, netavark, leases, (record, networkId) ->
                record.options() != null && record.options().containerId() != null
                        ? record.options().containerId() : placeholderId(networkId));
    }
}
