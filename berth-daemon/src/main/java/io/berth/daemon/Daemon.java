package io.berth.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.berth.build.exec.BaseImagePuller;
import io.berth.build.exec.ImageBuilder;
import io.berth.daemon.api.ArchiveRoutes;
import io.berth.daemon.api.BuildRoutes;
import io.berth.daemon.api.ContainerFilesystemRoutes;
import io.berth.daemon.api.ContainerUpdateRoutes;
import io.berth.daemon.api.ContainerRoutes;
import io.berth.daemon.api.ContainerStreamRoutes;
import io.berth.daemon.api.ContainerVolumes;
import io.berth.daemon.api.ServiceVolumes;
import io.berth.daemon.api.ExecRoutes;
import io.berth.daemon.api.ImageLookup;
import io.berth.daemon.api.IndexSearchRoutes;
import io.berth.daemon.api.UnofferedRoutes;
import io.berth.daemon.api.ImageRoutes;
import io.berth.daemon.api.NetworkRoutes;
import io.berth.daemon.api.RegistryRoutes;
import io.berth.daemon.api.StatsRoutes;
import io.berth.daemon.api.StoreRoutes;
import io.berth.daemon.api.SystemRoutes;
import io.berth.daemon.api.VolumeRoutes;
import io.berth.daemon.events.EventBus;
import io.berth.daemon.http.ErrorMapper;
import io.berth.daemon.images.ImageService;
import io.berth.daemon.images.ImageUsers;
import io.berth.daemon.volumes.VolumeService;
import io.berth.daemon.http.Router;
import io.berth.daemon.http.StartingRoutes;
import io.berth.daemon.http.ApiHttpServer;
import io.berth.daemon.http.ServerTls;
import io.berth.http.tls.TlsContexts;
import io.berth.daemon.networks.ContainerNetworks;
import io.berth.network.NetworkService;
import io.berth.network.host.HostNetworkClaims;
import io.berth.network.runtime.NetworkSteps;
import io.berth.network.runtime.WarmNetworks;
import io.berth.oci.ImageReference;
import io.berth.registry.client.RegistryClient;
import io.berth.registry.client.RegistryClientConfig;
import io.berth.runtime.ContainerService;
import io.berth.runtime.ContainerState;
import io.berth.runtime.RuntimeSettings;
import io.berth.store.StoreServices;
import io.berth.store.volumes.Volume;
import io.berth.store.volumes.VolumeStore;
import io.berth.daemon.volumes.LocalOptions;

/** The one explicit wiring of berthd: stores, container service, events, routes, server. */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("berthd");
    /** Shared by every berthd on the host, whatever its data root: the host-wide network claims live here. */
    private static final Path HOST_RUN_DIR = Path.of("/run/berth");

    private final DaemonOptions options;
    private final ApiHttpServer server;
    private final StartingRoutes routes;
    private final DataRootLock lock;
    private final CountDownLatch closed = new CountDownLatch(1);
    // made by wire(); guarded by this, with closing
    private ContainerService containers;
    private NetworkSteps networkSteps;
    private RegistryClient registry;
    private boolean closing;

    private Daemon(DaemonOptions options, ApiHttpServer server, StartingRoutes routes, DataRootLock lock) {
        this.options = options;
        this.server = server;
        this.routes = routes;
        this.lock = lock;
    }

    /**
     * berthd's start in two steps: {@link #bind} takes the data root and serves the socket, with /_ping answered at
     * once; {@link #wire} opens the stores, recovers the containers and then serves every route. Between the two, a
     * request other than /_ping waits for the wiring ({@link StartingRoutes}): a client sees berthd up as soon as
     * dockerd would be, and never a half-recovered engine.
     */
    public static Daemon start(DaemonOptions options) throws IOException {
        Daemon daemon = bind(options);
        daemon.wire();
        return daemon;
    }

    /**
     * Takes the data root (a second berthd on it is refused before it binds anything) and binds every host, serving
     * /_ping only. Nothing here opens a store or reads a container: the wiring's classes and files stay off the path
     * to the first answered ping.
     */
    public static Daemon bind(DaemonOptions options) throws IOException {
        // Modes first (only chmods, harmless to a root another berthd holds): the lock file is made inside.
        PrivateRoots.secure(options.dataRoot(), options.execRoot());
        DataRootLock lock = DataRootLock.acquire(options.dataRoot());
        ApiHttpServer server = null;
        try {
            ServerTls tls = serverTls(options.tls());
            Router early = new Router();
            SystemRoutes.registerPing(early);
            StartingRoutes routes = new StartingRoutes(early);
            server = new ApiHttpServer(options.hosts(), tls, routes, new ErrorMapper(), ApiHttpServer.Limits.DEFAULT);
            server.start();
            ListenPolicy.warnings(options.hosts(), options.tls()).forEach(LOG::warning);
            for (Path socket : options.unixSockets()) {
                SocketGroup.apply(socket, options.socketGroup(), options.socketGroupExplicit())
                        .ifPresent(g -> LOG.info("socket " + socket + " is 0660 root:" + g));
            }
            return new Daemon(options, server, routes, lock);
        } catch (IOException | RuntimeException e) {
            if (server != null) server.close();
            lock.close();
            throw e;
        }
    }

    /**
     * Wires the engine and hands its full route table to the server. A failure fails the requests waiting for it,
     * closes the socket and the data root, and is thrown (berthd exits). A {@link #close} that came first (a SIGTERM
     * during the start) wins: no warm-up starts.
     */
    public void wire() throws IOException {
        long began = System.nanoTime();
        Wired wired;
        try {
            wired = wire(options);
        } catch (IOException | RuntimeException e) {
            routes.failed(e);
            close();
            throw e;
        }
        synchronized (this) {
            containers = wired.containers();
            networkSteps = wired.networkSteps();
            registry = wired.registry();
            if (closing) {
                closeEngine();
                return;
            }
            routes.ready(wired.router());
            LOG.info("engine ready: " + containers.list().size() + " containers recovered, wired in "
                    + (System.nanoTime() - began) / 1_000_000 + " ms after the socket");
            // The default bridge is up from here to shutdown, as dockerd's docker0: its placeholder is made at start,
            // not at its first container (Testcontainers, inside a container, reaches published ports at its gateway,
            // and host-gateway names that address). After the reconcile, which keeps a placeholder's lease, and on a
            // thread of its own: netavark making the bridge, its chains and aardvark-dns was a fifth of the start. A
            // container started meanwhile waits for it in its own ensure (one lock); a stop that comes first retires
            // the placeholders, after which none is made.
            // A namespace is then wired ahead of the default bridge's next container (PrewiredNamespaces).
            wired.defaultBridge().ifPresent(bridge ->
                    Thread.ofVirtual().name("berthd-warm-default-bridge").start(() -> networkSteps.warmUpDefaultBridge(bridge)));
            containers.warmUp(); // after the wiring too: it competed with the start for the CPU
        }
    }

    /** What the wiring made: the full route table and what a stop closes. */
    private record Wired(Router router, ContainerService containers, NetworkSteps networkSteps, RegistryClient registry,
                         java.util.Optional<io.berth.network.runtime.NetworkCatalog.NetworkFacts> defaultBridge) {}

    private static Wired wire(DaemonOptions options) throws IOException {
        // The first FFM binding of the JVM (~0.1-0.25 s; the networks' host-wide claims take a flock first) and the
        // content store (its index, a JVM-cold Jackson) on threads of their own, while the networks are opened and the
        // containers recovered on this one: nothing before the routes reads the store.
        Thread.ofPlatform().daemon().name("berthd-link-ffm").start(io.berth.linux.Flock::link);
        var storeOpening = new java.util.concurrent.FutureTask<>(() -> StoreServices.open(options.dataRoot().resolve("store")));
        Thread.ofPlatform().daemon().name("berthd-open-store").start(storeOpening);
        EventBus events = new EventBus();
        RuntimeSettings settings = RuntimeSettings.defaults(options.dataRoot())
                .withRunRoot(options.execRoot())
                .withDefaultRuntime(options.defaultRuntime());
        // Networks: definitions and address leases under DATA-ROOT/networks, subnets and bridges claimed host-wide
        // (other berthds: tests, benchmarks); the predefined bridge/host/none made at the first start and kept.
        // The container service and the networks know each other: the run step reads the definitions, the
        // definitions ask which containers use them.
        var containersRef = new java.util.concurrent.atomic.AtomicReference<ContainerService>();
        var networksRef = new java.util.concurrent.atomic.AtomicReference<ContainerNetworks>();
        NetworkService networkService = NetworkService.open(options.dataRoot().resolve("networks"),
                new io.berth.network.NetworkUsers() {
                    @Override
                    public List<String> containersUsing(io.berth.network.Network n) {
                        return networksRef.get().containersUsing(n);
                    }

                    @Override
                    public void removed(io.berth.network.Network n) {
                        networksRef.get().removed(n);
                    }
                },
                (action, n) -> events.publish("network", action, n.id(), java.util.Map.of("name", n.name(), "type", n.driver())),
                new HostNetworkClaims(HOST_RUN_DIR, options.dataRoot()), options.defaultNetworkOptions());
        networkService.ensurePredefined();
        ContainerNetworks containerNetworks = new ContainerNetworks(networkService, containersRef::get);
        networksRef.set(containerNetworks);
        NetworkSteps networkSteps = NetworkSteps.create(options.execRoot(), containerNetworks.catalog(),
                containerNetworks.leases(), containerNetworks::pidOf, containerNetworks::describe);
        containerNetworks.attacher(networkSteps.attacher());
        containerNetworks.warm(networkSteps.warm());
        // AutoRemove removes a container's anonymous volumes; the volume service exists only after the containers
        var containerVolumes = new java.util.concurrent.atomic.AtomicReference<ContainerVolumes>(ContainerVolumes.NONE);
        // Links on user-defined networks are /etc/hosts lines of the linking container, set at its start and kept
        // current after every change that can move a name (docs/decisions.md)
        var peers = new io.berth.daemon.links.RunningPeers(containersRef::get, containerNetworks.statusSource());
        var linkRefresher = new io.berth.daemon.links.EndpointLinkRefresher(containersRef::get, peers::list);
        containerNetworks.afterChange(linkRefresher::refresh);
        ContainerService containers = new ContainerService(settings,
                (id, action, attrs) -> {
                    events.publish("container", action, id, attrs);
                    if (io.berth.daemon.links.EndpointLinkRefresher.ACTIONS.contains(action)) linkRefresher.refresh();
                },
                spec -> containerVolumes.get().removeAnonymous(spec), List.of(networkSteps.step(),
                        new io.berth.daemon.links.LinkStep(new io.berth.daemon.links.LinkTargets(containersRef::get, containerNetworks.statusSource())),
                        new io.berth.daemon.links.EndpointLinkStep(peers::list)));
        containersRef.set(containers);
        // Before recovery restarts any container: what a killed volume create, removal or copy-up left is swept
        // while no copy-up can be running, so a half-filled staging directory never outlives its start.
        VolumeStore volumeStore = new VolumeStore(options.dataRoot().resolve("volumes"));
        int halfDone = volumeStore.removeLeftovers();
        if (halfDone > 0) LOG.info("removed " + halfDone + " half-done volume create, removal or copy-up entries a kill left");
        containers.recover();
        // targets may have stopped or moved while berthd was down: the link lines catch up before the first request
        linkRefresher.refresh();
        // A tmpfs volume's tmpfs whose users all ended while berthd was down (recovery released each of them; this
        // catches a mount no recorded container names any more)
        for (Volume v : volumeStore.list()) {
            if (LocalOptions.parse(v.options()).isTmpfs()) containers.tmpfsVolumes().releaseIfUnused(v.name(), volumeStore.mountpoint(v.name()));
        }

        StoreServices store = opened(storeOpening);
        Router router = new Router();
        // An image prune also sweeps what failed or killed operations left, which no image record referenced.
        ImageService imageService = new ImageService(store.images(),
                () -> containers.list().stream().map(c -> new ImageUsers.ImageUser(c.id(), c.spec().imageId(),
                        c.state().isRunning() || c.state().status() == ContainerState.Status.RESTARTING)).toList(),
                (action, id, attrs) -> events.publish("image", action, id, attrs),
                () -> store.gc().collect().bytes());
        ImageLookup lookup = new ImageLookup(store.images(), imageService);
        RegistryClient registry = new RegistryClient(
                RegistryClientConfig.defaults().withInsecureRegistries(options.insecureRegistries()), store);
        RegistryRoutes registryRoutes = new RegistryRoutes(registry, store.images(), events);
        registryRoutes.register(router);
        // Volumes: a volume is in use while a container, running or not, mounts it (Docker's rule for rm and prune).
        VolumeService volumeService = new VolumeService(volumeStore,
                name -> containers.list().stream().filter(c -> c.spec().mounts().usesVolume(name)).map(c -> c.id()).toList(),
                (action, name, attrs) -> events.publish("volume", action, name, attrs));
        VolumeRoutes volumeRoutes = new VolumeRoutes(volumeService);
        volumeRoutes.register(router);
        // Leases of containers that no longer exist (a kill -9 between allocation and create, a removal while
        // berthd was down) are dropped.
        // (the placeholders' leases are berth's own: a network's is kept, made again at its next use or reused)
        java.util.Set<String> owners = containers.list().stream().map(c -> c.id()).collect(java.util.stream.Collectors.toSet());
        networkService.list((n, used) -> true).forEach(n -> owners.add(WarmNetworks.placeholderId(n.id())));
        int leaked = networkService.addresses().reconcile(owners);
        if (leaked > 0) LOG.info("released " + leaked + " address leases of containers that no longer exist");
        new NetworkRoutes(networkService, containerNetworks, containerNetworks).register(router);
        new StoreRoutes(store.check()).register(router);
        containerVolumes.set(new ServiceVolumes(volumeService, c -> containers.inspect(c).spec().mounts()));
        // Networks: the resolver finds the networks a create or build names, the status source what a running
        // container's networks became at its start.
        io.berth.daemon.api.NetworkResolver networks = containerNetworks.resolver();
        io.berth.daemon.api.NetworkStatusSource networkStatus = containerNetworks.statusSource();
        new ContainerRoutes(containers, lookup, containerVolumes.get(), networks, networkStatus, options.defaultLog()).register(router);
        new ContainerStreamRoutes(containers).register(router);
        new StatsRoutes(containers).register(router);
        new ArchiveRoutes(containers).register(router);
        new ExecRoutes(containers).register(router);
        new ImageRoutes(store.images(), store.importer(), store.loader(), store.saver(), imageService, events,
                registryRoutes).register(router);

        // A base image the store lacks is pulled, as the classic builder does.
        BaseImagePuller puller = (ref, output) -> registry.pull(ImageReference.parse(ref), null, e -> {
            if (!e.hasBytes()) output.accept(e.id() == null ? e.status() : e.id() + ": " + e.status());
        }).image();
        // RUN containers are on the default network; its id comes from the same resolver container create uses
        ImageBuilder builder = new ImageBuilder(store, containers, options.dataRoot().resolve("build-cache"), puller,
                name -> networks.resolve(name).id());
        Path buildContexts = options.dataRoot().resolve("build-contexts");
        new BuildRoutes(builder, buildContexts, events, store.leases(), store.gc()).register(router);
        new SystemRoutes(containers, lookup, events, store.gc(), volumeRoutes::usage, () -> BuildRoutes.diskUsage(builder),
                new SystemRoutes.DaemonFacts(EngineId.read(options.dataRoot()), options.dataRoot(), options.defaultRuntime(),
                        new java.util.TreeMap<>(java.util.Map.of("crun", settings.crunPath(), "runc", settings.runcPath())), settings.conmonPath(),
                        settings.initPath(), options.insecureRegistries(), options.defaultLog().driver())).register(router);
        // a commit writes its layer where the builder writes RUN layers: one scratch dir, swept by the same gc
        new ContainerFilesystemRoutes(containers, store, builder.scratchDir(), events).register(router);
        new ContainerUpdateRoutes(containers).register(router);
        new IndexSearchRoutes().register(router);
        new UnofferedRoutes().register(router);

        // What else keeps store content alive, and the scratch space of operations a kill -9 may have cut short;
        // then the start-time sweep, before the first request (no lease can be open yet).
        store.gc().addRoots(new ContainerReferences(containers::list, store.layout().snapshotsDir()));
        store.gc().addRoots(builder::cacheReferences);
        store.gc().addScratch(builder.scratchDir(), false);
        store.gc().addScratch(buildContexts, false);
        store.gc().addScratch(registry.partials(), true);
        store.gc().collectAtStart();

        return new Wired(router, containers, networkSteps, registry,
                containerNetworks.catalog().find(io.berth.runtime.NetworkSpec.DEFAULT_BRIDGE));
    }

    private static StoreServices opened(java.util.concurrent.FutureTask<StoreServices> opening) throws IOException {
        try {
            return opening.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the store opened", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException("opening the store failed", e.getCause());
        }
    }

    /** The TCP listeners' TLS, read before anything starts: a missing or unreadable file refuses the start. */
    static ServerTls serverTls(DaemonOptions.TlsFiles files) throws StartRefusedException {
        if (files == null) return null;
        try {
            return new ServerTls(TlsContexts.server(files.certificate(), files.key(), files.verifyClients() ? files.ca() : null),
                    files.verifyClients());
        } catch (IllegalArgumentException e) {
            throw new StartRefusedException("invalid TLS configuration: " + e.getMessage());
        }
    }

    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /**
     * Stops serving; containers keep running under conmon (a restarted berthd picks them up). The placeholders that
     * kept networks warm go: a bridge with no container left goes with its rules.
     */
    @Override
    public void close() {
        try {
            synchronized (this) {
                if (closing) return; // once: a failed wiring closes, then the shutdown hook would again (the lock's fd)
                closing = true;
                server.close();
                closeEngine();
                lock.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "shutdown", e);
        } finally {
            closed.countDown();
        }
    }

    /** What the wiring made, if it is done: a close during the start has nothing of it to close. */
    private void closeEngine() {
        if (containers == null) return;
        containers.close();
        networkSteps.retireAll();
        registry.close();
    }
}
