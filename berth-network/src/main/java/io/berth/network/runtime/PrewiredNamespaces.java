package io.berth.network.runtime;

import io.berth.runtime.NetworkSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * netavark's per-container work moved off the start and removal path for the commonest container: one on the
 * default bridge alone, publishing no port, asking for no address or MAC of its own ({@link #fits}). Such a
 * container's start takes a namespace wired beforehand ({@link #take}); at its end its interface is moved into a
 * fresh namespace that serves the next container ({@link #recycle}), or, when the container could have changed the
 * interface or one is ready already, its namespace is handed back to be torn down afterwards ({@link #spend}). A
 * single worker thread does that work in the background; in a steady `run --rm` loop no netavark runs at all. Every
 * other container's network is set up and torn down on its own path, as before.
 * <pre>
 * EXEC-ROOT/prewired/
 *   ready-KEY/     a namespace wired into the served network for the next container that fits (KEY: 64 random hex,
 *     netns        netavark's container id for it and the owner of its address lease)
 *     spent-netns  while an ended container's interface is moved into netns: that container's namespace
 *     network/     NetworkRecords: teardown.json, the write-ahead record with netavark's exact options
 *   spent-KEY/     an ended container's namespace, handed over for its tear-down (the same files)
 * </pre>
 * Safety: a namespace serves one container, once. A ready one has never had a process in it (netavark made its
 * veth, address, route and sysctls, or an ended container's veth was moved into it and given them again, nothing
 * else) and a spent one is only ever torn down, never handed out again: nothing passes from one container to another
 * but an interface no process of the first could change ({@link InterfaceReuse}). Its address changes owner in one
 * durable write and is never free while the namespace is wired ({@link AddressLeases#transfer}); the namespace is
 * mounted under its new owner's name before the old owner's records go ({@link Netns#bind}). So a kill -9 at any step leaves records that undo
 * everything: the container's own (its tear-down at recovery) and the entry's, which the next berthd's start tears
 * down, every entry alike ({@link #recover}): a ready one is made again in the background, a spent one was to go.
 * <p>
 * On a network without name resolution and without port forwards netavark uses the container id for nothing (its
 * per-container chains exist only for forwarded ports, aardvark-dns entries only on DNS networks), so a namespace
 * wired under KEY is torn down correctly with the container's options, as if netavark had wired it for the
 * container, and the container's records are exactly those of one wired on its own path.
 */
public final class PrewiredNamespaces {
    private static final Logger LOG = Logger.getLogger(PrewiredNamespaces.class.getName());
    /** netavark's container name for a prewired namespace: a leading "_" is refused in container names. */
    static final String NAME = "_berth_prewired";
    /** Namespaces kept ready: one covers containers started one after another, the common case. */
    static final int DEPTH = 1;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a start waits for a namespace being made (netavark set-ups queue behind the host-wide lock). */
    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(30);

    /** A wired namespace waiting for its container: what netavark was given and answered. */
    public record Ready(String key, Path home, Path netns, NetworkCatalog.NetworkFacts network, List<String> addresses,
                        NetavarkJson.StatusBlock status) {}

    private final Path dir;
    private final AddressLeases leases;
    private final Netavark netavark;
    private final WarmNetworks warm;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("berth-prewired-", 0).factory());
    private final ArrayDeque<Ready> ready = new ArrayDeque<>();
    /** The homes of namespaces taken by a start and not yet handed over: a stop leaves them to that start. */
    private final Set<Path> handing = new HashSet<>();
    /** The network namespaces are wired for ahead of time (the default bridge), null until {@link #serve}. */
    private NetworkCatalog.NetworkFacts served;
    /** Namespaces being made (by the worker): a take waits for them. */
    private int making;
    private boolean closed;

    public PrewiredNamespaces(Path execRoot, AddressLeases leases, Netavark netavark, WarmNetworks warm) {
        this.dir = execRoot.resolve("prewired");
        this.leases = leases;
        this.netavark = netavark;
        this.warm = warm;
    }

    /**
     * Serves {@code network} (berthd's default bridge, once it is warm). The first namespace is made after the first
     * container that fits has its address ({@link #refill}), not before: made first, it would take the address a
     * fresh daemon's first container gets (.2, as in Docker).
     */
    public synchronized void serve(NetworkCatalog.NetworkFacts network) {
        if (!closed) served = network;
    }

    /**
     * Whether a container with this network spec, on these networks, can take a prewired namespace: the served
     * network alone (warm, so no tear-down of the container's is ever the bridge's last), no published port, no
     * address, MAC or alias of its own, no DNS servers given to netavark.
     */
    public synchronized boolean fits(NetworkSpec spec, List<NetworkCatalog.NetworkFacts> networks) {
        if (closed || served == null || networks.size() != 1 || !networks.getFirst().id().equals(served.id())) return false;
        NetworkSpec.Attachment a = spec.attachments().getFirst();
        return a.ipv4Address().isEmpty() && a.ipv6Address().isEmpty() && a.macAddress().isEmpty() && a.aliases().isEmpty()
                && NetworkStep.published(spec).isEmpty() && spec.dns().isEmpty() && warm.isWarm(served.id());
    }

    /**
     * A ready namespace on {@code network} for a container that {@link #fits}. While one is
     * being made and none is ready, waits for it (at most {@link #WAIT}): that set-up is what the container's own
     * would be, and it holds the network's next address, which the container would otherwise miss. Empty when none is
     * ready or coming: the container is wired on its own path, then {@link #refill} is called.
     */
    public Optional<Ready> take(NetworkCatalog.NetworkFacts network) {
        Ready r;
        synchronized (this) {
            if (served == null || !network.id().equals(served.id())) return Optional.empty();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (ready.isEmpty() && making > 0 && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            r = closed ? null : ready.poll();
            if (r != null) handing.add(r.home());
        }
        return Optional.ofNullable(r);
    }

    /**
     * Makes ready namespace {@code r} container {@code containerId}'s, at {@code netns}. The container's write-ahead
     * record must already name {@code netns} and the options its tear-down is to use. Order: the namespace mounted at
     * the container's path, the lease handed to the container, then the entry's own mount and records removed.
     */
    public void handOver(Ready r, String containerId, Path netns) throws IOException {
        try {
            try {
                Netns.bind(r.netns(), netns);
                leases.transfer(r.network().id(), r.key(), containerId);
            } catch (IOException | RuntimeException e) {
                background(() -> tearDown(r.home()));
                throw e;
            }
            try {
                NamespaceHomes.removeFiles(r.home(), r.netns());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "removing the handed-over namespace entry " + r.home() + ": " + e.getMessage());
            }
        } finally {
            synchronized (this) {
                handing.remove(r.home());
            }
        }
    }

    /**
     * A taken namespace whose start failed before its {@link #handOver}: torn down in the background, its address
     * freed. Without this it stayed wired, holding its address, until berthd's next start.
     */
    public void giveBack(Ready r) {
        synchronized (this) {
            handing.remove(r.home());
        }
        background(() -> tearDown(r.home()));
    }

    /**
     * Whether the tear-down of a container whose write-ahead record is {@code t} can be left to the background: a
     * namespace on the served network alone, without port forwards (so no host port or forward outlives the
     * container's removal), the network warm (so the tear-down never removes the bridge).
     */
    public synchronized boolean defers(NetworkRecords.Teardown t) {
        return !closed && served != null && t.options() != null && t.networkIds().equals(List.of(served.id()))
                && t.options().networks().size() == 1
                && (t.options().portMappings() == null || t.options().portMappings().isEmpty())
                && warm.isWarm(served.id());
    }

    /**
     * Takes an ended container's namespace over for a tear-down in the background: a spent entry's record (the
     * container's options), its namespace mounted under the entry too, the container's leases handed to the entry.
     * The container's own mount and records can go as soon as this returns; a kill before then leaves both records,
     * and both tear-downs are harmless twice.
     */
    public void spend(String containerId, NetworkRecords.Teardown t) throws IOException {
        String key = newKey();
        Path home = dir.resolve("spent-" + key);
        NetworkRecords records = new NetworkRecords(home);
        Path netns = home.resolve("netns");
        try {
            records.writeTeardown(new NetworkRecords.Teardown(netns.toString(), t.networkIds(), t.options()));
            Netns.bind(Path.of(t.netns()), netns);
            for (String id : t.networkIds()) leases.transfer(id, containerId, key);
        } finally {
            // the next namespace first: a container started next waits for it, not for this tear-down
            refill();
            background(() -> tearDown(home));
        }
    }

    /**
     * Makes an ended container's interface the next ready namespace's, instead of tearing it down: the interface
     * (its veth, still on the bridge, with its address and MAC) is moved out of the container's namespace into a
     * fresh one and set up there again ({@link InterfaceRecycling}); the container's namespace itself, with whatever a
     * process left in it, is dropped with its last reference and never handed out. The caller decides that the
     * container could not have changed the interface ({@link InterfaceReuse}); {@code e} is its endpoint on the
     * served network, {@code t} its record. False, and nothing taken, when no namespace is wanted (one is ready or
     * being made) or the hand-back failed: the caller then tears down as before.
     * <p>
     * Here, on the container's tear-down: the entry's record (the entry's options; its namespace file named, not yet
     * there), the container's namespace mounted under the entry too ({@link NamespaceHomes#MOVING_FROM}), the lease
     * handed to the entry. On the worker: the fresh namespace, the move, the set-up, the spent mount dropped. A kill
     * at any step leaves records whose tear-downs delete the interface wherever it is and free the lease once.
     */
    public boolean recycle(String containerId, NetworkRecords.Teardown t, NetworkStatus.Endpoint e) {
        NetworkCatalog.NetworkFacts f;
        synchronized (this) {
            if (closed || served == null || making > 0 || ready.size() >= DEPTH || !t.networkIds().equals(List.of(served.id()))) return false;
            // a MAC of the container's own (--mac-address) would pass to the next container, which Docker never shows
            if (t.options().networks().values().stream().anyMatch(n -> n.staticMac() != null)) return false;
            f = served;
            making++;
        }
        String key = newKey();
        Path home = dir.resolve("ready-" + key);
        Path netns = home.resolve("netns");
        Path spent = home.resolve(NamespaceHomes.MOVING_FROM);
        List<String> addresses = List.of(e.ipv4());
        String name = Endpoints.netavarkName(f);
        boolean taken = false;
        try {
            NetworkSpec.Attachment a = new NetworkSpec.Attachment(f.name(), f.id(), List.of(), "", "", "");
            NetavarkJson.Options options = new NetavarkJson.Options(key, NAME,
                    Map.of(name, Endpoints.perNetwork(key, a, f, "eth0", addresses)), Map.of(name, Endpoints.network(f)), null, null);
            new NetworkRecords(home).writeTeardown(new NetworkRecords.Teardown(netns.toString(), List.of(f.id()), options));
            Netns.bind(Path.of(t.netns()), spent);
            leases.transfer(f.id(), containerId, key);
            taken = true;
        } catch (IOException | RuntimeException ex) {
            LOG.log(Level.WARNING, "taking container " + containerId + "'s interface over for the next container: " + ex.getMessage());
        } finally {
            if (!taken) {
                // the interface is still the container's (its tear-down deletes it); only the entry's own files go
                try {
                    NamespaceHomes.removeFiles(home, netns);
                } catch (IOException ex) {
                    LOG.log(Level.WARNING, "removing " + home + ": " + ex.getMessage());
                }
                synchronized (this) {
                    making--;
                    notifyAll();
                }
            }
        }
        if (!taken) return false;
        background(() -> {
            Optional<Ready> made = Optional.empty();
            try {
                Netns.create(netns);
                InterfaceRecycling.move(spent, netns, "eth0", f, e, home);
                Netns.delete(spent);
                made = Optional.of(new Ready(key, home, netns, f, addresses, InterfaceRecycling.statusBlock("eth0", e)));
            } catch (IOException | RuntimeException ex) {
                LOG.log(Level.WARNING, "moving an ended container's interface to a fresh namespace failed; it is torn down: " + ex.getMessage());
            }
            if (!madeReady(made)) {
                tearDown(home);
                refill();
            }
        });
        return true;
    }

    /** berthd's start, before any container starts: every entry a kill -9 left is torn down. */
    public void recover() {
        for (Path home : homes()) tearDown(home);
    }

    /**
     * berthd's stop, before the placeholders go: no more namespaces are made, the spent ones are torn down, and so
     * are the ready ones (their addresses freed, the bridge left to its placeholder's tear-down).
     */
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(2, TimeUnit.MINUTES)) LOG.warning("prewired namespaces: background work still running at stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Set<Path> taken;
        synchronized (this) {
            ready.clear();
            taken = Set.copyOf(handing);
        }
        // not the namespaces a start took (the server does not wait for its requests): torn down here, a container's
        // would lose its interface and its lease (freed, then handed over as nothing) in the middle of its start
        for (Path home : homes()) {
            if (!taken.contains(home)) tearDown(home);
        }
    }

    /** How many namespaces are ready now. */
    public synchronized int readyCount() {
        return ready.size();
    }

    /**
     * Keeps {@link #DEPTH} namespaces ready, on the worker: after a container's tear-down was handed over
     * ({@link #spend}), and after a container that fits was wired on its own path because none was ready (once it
     * holds its address, so the order stays Docker's). Not at a {@link #take}: netavark making the next namespace
     * while the taker's runtime starts it was measured to slow that start about as much as its own set-up would
     * (two cores), so the work waits for a container's end, the gap a `run --rm` loop leaves.
     */
    public void refill() {
        background(() -> {
            while (true) {
                NetworkCatalog.NetworkFacts f;
                synchronized (this) {
                    if (closed || served == null || ready.size() >= DEPTH) return;
                    f = served;
                    making++;
                }
                Optional<Ready> made = Optional.empty();
                boolean kept = false;
                try {
                    made = make(f);
                } finally {
                    kept = madeReady(made);
                }
                if (made.isEmpty()) return; // logged; the next take tries again
                if (!kept) {
                    tearDown(made.get().home());
                    return;
                }
            }
        });
    }

    /** The end of a namespace's making: {@code made} joins the ready ones unless stopping; whether it did. */
    private synchronized boolean madeReady(Optional<Ready> made) {
        making--;
        boolean kept = made.isPresent() && !closed;
        if (kept) ready.add(made.get());
        notifyAll();
        return kept;
    }

    private Optional<Ready> make(NetworkCatalog.NetworkFacts f) {
        String key = newKey();
        Path home = dir.resolve("ready-" + key);
        NetworkRecords records = new NetworkRecords(home);
        Path netns = home.resolve("netns");
        try {
            records.writeTeardown(new NetworkRecords.Teardown(netns.toString(), List.of(f.id()), null));
            Netns.create(netns);
            List<String> addresses = leases.allocate(f.id(), key, "", "");
            NetworkSpec.Attachment a = new NetworkSpec.Attachment(f.name(), f.id(), List.of(), "", "", "");
            String name = Endpoints.netavarkName(f);
            NetavarkJson.Options options = new NetavarkJson.Options(key, NAME,
                    Map.of(name, Endpoints.perNetwork(key, a, f, "eth0", addresses)), Map.of(name, Endpoints.network(f)), null, null);
            records.writeTeardown(new NetworkRecords.Teardown(netns.toString(), List.of(f.id()), options));
            Map<String, NetavarkJson.StatusBlock> result = netavark.setup(netns, options, records.netavarkInput());
            NeighbourTcp.apply(netns, result, records.netavarkInput());
            return Optional.of(new Ready(key, home, netns, f, addresses, result.get(name)));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "wiring a namespace ahead of time on network " + f.name() + " failed; containers are wired on their own path: " + e.getMessage());
            tearDown(home);
            return Optional.empty();
        }
    }

    private void background(Runnable work) {
        try {
            worker.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "prewired namespaces: " + e.getMessage(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            work.run(); // stopping: done here, close() waits for nothing more
        }
    }

    private List<Path> homes() {
        return NamespaceHomes.list(dir);
    }

    /** Undoes an entry from its record alone: its leases are held under the key its home is named after. */
    private void tearDown(Path home) {
        String name = home.getFileName().toString();
        String key = name.substring(name.indexOf('-') + 1);
        NamespaceHomes.tearDown(home, netavark, leases, (record, networkId) -> key);
    }

    private static String newKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
