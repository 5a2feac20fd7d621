package io.berth.network.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one wiring point for the daemon: the network step for ContainerService's daemon steps and the attacher
 * for connect and disconnect, sharing netavark, the port reservations and the network definitions.
 */
public final class NetworkSteps {
    private static final Logger LOG = Logger.getLogger(NetworkSteps.class.getName());

    private final NetworkStep step;
    private final NetworkAttacher attacher;
    private final WarmNetworks warm;
    private final PrewiredNamespaces prewired;

    private NetworkSteps(NetworkStep step, NetworkAttacher attacher, WarmNetworks warm, PrewiredNamespaces prewired) {
        this.step = step;
        this.attacher = attacher;
        this.warm = warm;
        this.prewired = prewired;
    }

    /**
     * @param execRoot berthd's exec root: namespaces go to EXEC-ROOT/netns, netavark's state to EXEC-ROOT/netavark
     * @param pidOf the pid of a running container's init, empty when it does not run (for --network container:ID)
     * @param describe a container as a refused join names it ("container NAME is STATE")
     */
    public static NetworkSteps create(Path execRoot, NetworkCatalog catalog, AddressLeases leases,
                                      java.util.function.Function<String, java.util.OptionalInt> pidOf,
                                      java.util.function.UnaryOperator<String> describe) throws IOException {
        Netavark netavark = Netavark.standard(execRoot);
        Files.createDirectories(netavark.configDir());
        PortReservations ports = new PortReservations();
        retakePorts(execRoot, ports);
        WarmNetworks warm = new WarmNetworks(execRoot, leases, netavark);
        // before any container starts: the placeholders a kill -9 left are kept or torn down
        warm.recover(catalog);
        PrewiredNamespaces prewired = new PrewiredNamespaces(execRoot, leases, netavark, warm);
        prewired.recover();
        NetworkStep.ContainerNamespaces namespaces = new NetworkStep.ContainerNamespaces() {
            @Override
            public Optional<Path> of(String id) {
                Path file = Netns.path(execRoot, id);
                try {
                    if (Netns.isMounted(file)) return Optional.of(file);
                } catch (IOException e) {
                    return Optional.empty();
                }
                java.util.OptionalInt pid = pidOf.apply(id);
                return pid.isPresent() ? Optional.of(Path.of("/proc/" + pid.getAsInt() + "/ns/net")) : Optional.empty();
            }

            @Override
            public String describe(String id) {
                return describe.apply(id);
            }
        };
        return new NetworkSteps(new NetworkStep(execRoot, catalog, leases, netavark, ports, warm, prewired, namespaces, Path.of("/etc")),
                new NetworkAttacher(catalog, leases, netavark, warm, Path.of("/etc")), warm, prewired);
    }

    public NetworkStep step() {
        return step;
    }

    public NetworkAttacher attacher() {
        return attacher;
    }

    /** The placeholders that keep used networks warm: retired at network rm/prune and berthd's stop. */
    public WarmNetworks warm() {
        return warm;
    }

    /** Namespaces wired ahead of the default bridge's containers, and their tear-downs after them. */
    public PrewiredNamespaces prewired() {
        return prewired;
    }

    /**
     * The default bridge from berthd's start, as docker0: its placeholder, then a namespace wired ahead of its next
     * container. On a thread of berthd's start, not its path.
     */
    public void warmUpDefaultBridge(NetworkCatalog.NetworkFacts bridge) {
        if (warm.ensure(bridge)) prewired.serve(bridge);
    }

    /**
     * berthd's stop: the prewired namespaces go (the spent ones torn down, the ready ones too), then the placeholders;
     * a bridge with no container left goes with its rules.
     */
    public void retireAll() {
        prewired.close();
        warm.retireAll();
    }

    /** After a restart: the host ports of every container whose network is still up are held again. */
    private static void retakePorts(Path execRoot, PortReservations ports) {
        Path containers = execRoot.resolve("containers");
        if (!Files.isDirectory(containers)) return;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(containers)) {
            for (Path runDir : dirs) {
                try {
                    var status = new NetworkRecords(runDir).readStatus();
                    if (status.isPresent() && !status.get().ports().isEmpty()) ports.reserve(runDir.getFileName().toString(), status.get().ports());
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "holding the published ports of container " + runDir.getFileName() + " again: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "reading " + containers + ": " + e.getMessage());
        }
    }
}
