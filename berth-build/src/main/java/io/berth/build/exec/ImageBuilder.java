package io.berth.build.exec;

import io.berth.build.dockerfile.Dockerfile;
import io.berth.build.dockerfile.DockerfileParser;
import io.berth.build.dockerfile.Instruction;
import io.berth.build.dockerfile.VariableExpander;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageReference;
import io.berth.oci.errors.BerthException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.runtime.ContainerService;
import io.berth.store.ImageRecord;
import io.berth.store.Lease;
import io.berth.store.StoreReference;
import io.berth.store.StoreServices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import java.util.function.UnaryOperator;

import io.berth.runtime.NetworkSpec;

/**
 * Builds images from a Dockerfile and a build context, like Docker's classic builder ({@code POST /build}).
 * <p>
 * Each stage runs its instructions in order: RUN in a container of the {@link ContainerService} on the stage's
 * current layers (its upper dir becomes the layer), COPY/ADD write a layer tar directly, everything else only
 * changes the config. Every intermediate state is committed to the content store (layer, config, manifest) so
 * the next RUN gets its lowerdirs from the snapshot store and the cache can point at it. Only the final state
 * becomes an image in the {@link io.berth.store.ImageStore}.
 * <p>
 * Reproducibility: layer tars are sorted, carry uid/gid and modes from the filesystem, and every mtime — for
 * COPY/ADD and RUN layers alike — is SOURCE_DATE_EPOCH when given, else 0, so equal inputs give equal layers.
 * Config {@code created} and history timestamps are the build's time, as Docker's, unless SOURCE_DATE_EPOCH is
 * given: then they are that instant too and equal inputs give the same image ID on any machine, unless a RUN
 * command itself writes different bytes.
 * <p>
 * Cache: see {@link BuildCache}. {@code --cache-from} images lend layers for RUN/COPY/ADD steps when their
 * history (created_by texts and diff IDs) matches ours up to that step and their next entry is this step.
 * <p>
 * Stages the target needs run concurrently on virtual threads; a stage waits for the stages it uses.
 */
public final class ImageBuilder {
    private final StoreServices store;
    private final ContainerService containers;
    private final BuildCache cache;
    private final Path emptyDir;
    private final BaseImagePuller puller;
    private final UnaryOperator<String> networkIds;

    public ImageBuilder(StoreServices store, ContainerService containers, Path cacheDir) {
        this(store, containers, cacheDir, BaseImagePuller.NONE);
    }

    public ImageBuilder(StoreServices store, ContainerService containers, Path cacheDir, BaseImagePuller puller) {
        this(store, containers, cacheDir, puller, name -> "");
    }

    /** @param networkIds a network's full id from its name: RUN containers are on the default network, "bridge" */
    public ImageBuilder(StoreServices store, ContainerService containers, Path cacheDir, BaseImagePuller puller,
                        UnaryOperator<String> networkIds) {
        this.networkIds = networkIds;
        this.puller = puller;
        this.store = store;
        this.containers = containers;
        this.cache = new BuildCache(cacheDir);
        this.emptyDir = cacheDir.resolve("empty-rootfs");
        try {
            Files.createDirectories(emptyDir);
            try (Stream<Path> leftovers = Files.list(cache.tmpDir())) {
                for (Path p : leftovers.toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot prepare build cache dir " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code docker builder prune}: forgets cached steps; returns the keys of those removed. Without {@code all}
     * only steps whose state is not an image in the store go (Docker's dangling cache); {@code until} keeps
     * steps cached at or after that instant.
     */
    public List<String> prune(boolean all, Instant until) {
        return cache.prune((entry, written) -> (until == null || written.isBefore(until))
                && (all || store.images().get(entry.config()).isEmpty()));
    }

    /**
     * A build cache record as `docker system df` lists it: the step's created_by, the layer it added (0 for a step
     * that only changed the config), and whether an image uses that state or layer, so a prune without all keeps it.
     */
    public record CacheRecord(String id, String description, long size, boolean shared, Instant lastUsed) {}

    /** The records whose blobs are all still there (the others are misses, and cost nothing). */
    public List<CacheRecord> cacheRecords() {
        java.util.Set<Digest> imageLayers = new java.util.HashSet<>();
        for (ImageRecord image : store.images().list()) {
            store.images().manifest(image.id()).layers().forEach(l -> imageLayers.add(l.digest()));
        }
        StateCommitter reader = new StateCommitter(store.content(), cache.tmpDir());
        List<CacheRecord> out = new ArrayList<>();
        for (BuildCache.Record r : cache.records()) {
            BuildState state = reader.load(r.entry().config(), r.entry().manifest());
            if (state == null) continue;
            var history = state.config().history() == null ? List.<io.berth.oci.HistoryEntry>of() : state.config().history();
            io.berth.oci.HistoryEntry last = history.isEmpty() ? null : history.getLast();
            boolean addedLayer = last != null && !Boolean.TRUE.equals(last.emptyLayer()) && !state.layers().isEmpty();
            Descriptor layer = addedLayer ? state.layers().getLast() : null;
            boolean shared = store.images().get(r.entry().config()).isPresent()
                    || (layer != null && imageLayers.contains(layer.digest()));
            out.add(new CacheRecord(r.key(), last == null || last.createdBy() == null ? "" : last.createdBy(),
                    layer == null ? 0 : layer.size(), shared, r.written()));
        }
        return out;
    }

    /**
     * What the build cache keeps alive, for the store's garbage collector: each step record's manifest (with its
     * config, layers and their snapshots). Not required: a record whose blobs are gone is a cache miss.
     */
    public List<StoreReference> cacheReferences() {
        List<StoreReference> refs = new ArrayList<>();
        for (BuildCache.Entry entry : cache.entries()) {
            refs.add(new StoreReference("build cache", StoreReference.Kind.MANIFEST, entry.manifest(), false));
            refs.add(new StoreReference("build cache", StoreReference.Kind.BLOB, entry.config(), false));
        }
        return refs;
    }

    /** The directory of layer tars and entries being written: scratch for the store's garbage collector. */
    public Path scratchDir() {
        return cache.tmpDir();
    }

    /** Number of cached steps. */
    public int cacheEntries() {
        return cache.size();
    }

    public BuildResult build(BuildRequest request, BuildOutput output) {
        // The lease holds every intermediate layer, config, manifest and snapshot until the image record and the
        // cache records reference them; a failed or killed build leaves the rest to the garbage collector.
        try (Lease lease = store.leases().acquire("build")) {
            return buildLeased(request, output);
        }
    }

    private BuildResult buildLeased(BuildRequest request, BuildOutput output) {
        NetworkSpec runNetwork = RunNetwork.forBuild(request.network(), networkIds).withExtraHosts(request.extraHosts());
        BuildOutput sink = request.quiet() ? new QuietOutput(output) : output;
        String text = request.context().readDockerfile(request.dockerfile());
        Dockerfile dockerfile = DockerfileParser.parse(request.dockerfile(), text);
        char escape = dockerfile.escape();

        Set<String> consumed = ConcurrentHashMap.newKeySet();
        Map<String, String> globalArgs = new LinkedHashMap<>();
        for (Instruction.Arg arg : dockerfile.globalArgs()) {
            for (Instruction.ArgDecl decl : arg.args()) {
                String value = request.buildArgs().get(decl.name());
                if (value != null) {
                    consumed.add(decl.name());
                } else if (decl.defaultValue() != null) {
                    value = VariableExpander.expand(decl.defaultValue(), globalArgs::get, escape);
                }
                globalArgs.put(decl.name(), value);
            }
        }

        StageGraph graph = new StageGraph(dockerfile);
        int target = graph.target(request.target());
        List<Integer> needed = graph.needed(target, globalArgs, escape);
        List<Instruction> labels = request.labels().isEmpty() ? List.of() : List.of(labelInstruction(request.labels()));

        int total = 0;
        Map<Integer, Integer> firstStep = new HashMap<>();
        for (int i : needed) {
            firstStep.put(i, total + 1);
            total += 1 + dockerfile.stages().get(i).instructions().size() + (i == target ? labels.size() : 0);
        }

        Instant epoch = request.sourceDateEpoch() == null ? Instant.EPOCH : Instant.ofEpochSecond(request.sourceDateEpoch());
        // What Docker users read as the image's age: the build's time, unless SOURCE_DATE_EPOCH pins it too.
        Instant created = request.sourceDateEpoch() == null ? Instant.now() : epoch;
        List<BuildSession.CacheFromImage> cacheFrom = new ArrayList<>();
        for (String ref : request.cacheFrom()) {
            Optional<ImageRecord> image;
            try {
                image = store.images().find(ref);
            } catch (InvalidArgumentException e) {
                image = Optional.empty(); // Docker skips a --cache-from it cannot look up, invalid ones too
            }
            image.ifPresent(img -> cacheFrom.add(
                    new BuildSession.CacheFromImage(img.config(), store.images().manifest(img.id()))));
        }
        StateCommitter committer = new StateCommitter(store.content(), cache.tmpDir());
        OrderedOutput ordered = new OrderedOutput(sink, needed);
        Map<Integer, CompletableFuture<BuildState>> results = new HashMap<>();
        for (int i : needed) {
            results.put(i, new CompletableFuture<>());
        }
        int totalSteps = total;
        List<Thread> threads = new ArrayList<>();
        for (int i : needed) {
            int index = i;
            BuildSession session = new BuildSession(store, containers, committer, cache, request, created.toString(), epoch,
                    escape, globalArgs, consumed, name -> {
                        int dep = graph.find(name, index);
                        if (dep < 0 || !results.containsKey(dep)) {
                            return null;
                        }
                        return await(results.get(dep));
                    }, cacheFrom, emptyDir, puller, runNetwork);
            Dockerfile.Stage stage = dockerfile.stages().get(i);
            threads.add(Thread.ofVirtual().name("build-stage-" + i).start(() -> {
                try {
                    results.get(index).complete(new StageExecutor(session, stage, index == target ? labels : List.of(),
                            firstStep.get(index), totalSteps, ordered.sink(index)).run());
                } catch (Throwable t) {
                    results.get(index).completeExceptionally(t);
                } finally {
                    ordered.finish(index);
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SystemFailureException("build interrupted", e);
            }
        }
        for (int i : needed) {
            if (results.get(i).isCompletedExceptionally()) {
                await(results.get(i)); // throws the stage's own error, the earliest stage first
            }
        }
        BuildState result = results.get(target).join();

        List<String> unused = new ArrayList<>(new TreeSet<>(request.buildArgs().keySet()));
        unused.removeAll(consumed);
        if (!unused.isEmpty()) {
            sink.line("[Warning] One or more build-args " + unused + " were not consumed");
        }
        ImageRecord image = store.images().add(result.manifestDigest(), List.of());
        Digest id = image.id();
        sink.aux(id);
        sink.line("Successfully built " + id.shortId());
        List<String> tags = new ArrayList<>();
        for (String tag : request.tags()) {
            store.images().tag(id, tag);
            String familiar = ImageReference.parse(tag).familiar();
            tags.add(familiar);
            sink.line("Successfully tagged " + familiar);
        }
        if (request.quiet()) {
            output.line(id.toString());
        }
        return new BuildResult(id, tags);
    }

    private static BuildState await(CompletableFuture<BuildState> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("build interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BerthException be) {
                throw be;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new SystemFailureException("build failed: " + cause, cause);
        }
    }

    private static Instruction.Label labelInstruction(Map<String, String> labels) {
        List<Instruction.KeyValue> pairs = new ArrayList<>();
        StringBuilder original = new StringBuilder("LABEL");
        labels.forEach((k, v) -> {
            pairs.add(new Instruction.KeyValue(k, v));
            original.append(' ').append(quote(k)).append('=').append(quote(v));
        });
        return new Instruction.Label(new Instruction.SourceLocation("--label", 1, 1), original.toString(), pairs);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** -q: only the image ID reaches the client (printed by {@link #build} at the end). */
    private record QuietOutput(BuildOutput target) implements BuildOutput {
        @Override
        public void line(String text) {
        }

        @Override
        public void aux(Digest imageId) {
            target.aux(imageId);
        }
    }
}
