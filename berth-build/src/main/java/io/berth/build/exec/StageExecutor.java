package io.berth.build.exec;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.build.dockerfile.Dockerfile;
import io.berth.build.dockerfile.DockerfileParser;
import io.berth.build.dockerfile.HealthcheckConfig;
import io.berth.build.dockerfile.Instruction;
import io.berth.build.dockerfile.VariableExpander;
import io.berth.oci.ContainerConfig;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.HistoryEntry;
import io.berth.oci.Json;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.runtime.Signals;
import io.berth.store.ImageRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the instructions of one stage, in order, the way Docker's classic builder does: each instruction
 * turns the current state into the next (a new layer for RUN/COPY/ADD, a config change otherwise), looked up
 * in the cache first. Variables are substituted per instruction with the stage's ENV and ARG values at that
 * point; ARGs are scoped to the stage (a global ARG is visible only when re-declared), ENV wins over ARG, and
 * ARG values reach RUN's environment without being stored in the image config.
 */
final class StageExecutor {
    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    private final BuildSession session;
    private final Dockerfile.Stage stage;
    private final List<Instruction> extra;
    private final int firstStep;
    private final int totalSteps;
    private final Consumer<String> out;

    private BuildState state;
    private final Map<String, String> args = new LinkedHashMap<>();
    private boolean cmdSet;
    private boolean cacheValid;
    private int step;

    /**
     * @param extra      instructions appended to the stage (--label becomes a trailing LABEL)
     * @param firstStep  the number of this stage's FROM in the "Step n/N" lines
     */
    StageExecutor(BuildSession session, Dockerfile.Stage stage, List<Instruction> extra, int firstStep, int totalSteps,
                  Consumer<String> out) {
        this.session = session;
        this.stage = stage;
        this.extra = extra;
        this.firstStep = firstStep;
        this.totalSteps = totalSteps;
        this.out = out;
        this.cacheValid = !session.request().noCache();
    }

    BuildState run() {
        step = firstStep;
        from(stage.from());
        List<Instruction> all = new ArrayList<>(stage.instructions());
        all.addAll(extra);
        for (Instruction instruction : all) {
            execute(instruction);
        }
        return state;
    }

    private void header(Instruction instruction) {
        out.accept("Step " + step++ + "/" + totalSteps + " : " + instruction.original());
    }

    // ------------------------------------------------------------------ FROM

    private void from(Instruction.From from) {
        header(from);
        String ref = VariableExpander.expand(from.image(), session.globalArgs()::get, session.escape());
        if (ref.isEmpty()) {
            throw error(from, "base name (" + from.image() + ") should not be blank");
        }
        BuildState earlier = session.stageResult().apply(ref.toLowerCase(java.util.Locale.ROOT));
        if (earlier != null) {
            state = earlier;
        } else if (ref.equals("scratch")) {
            state = session.committer().write(BuildState.scratchConfig(), List.of());
        } else {
            // --pull refreshes every base image; otherwise only a missing one is pulled.
            Optional<ImageRecord> local = session.request().pull() ? Optional.empty() : session.store().images().find(ref);
            ImageRecord r = local.orElseGet(() -> session.puller().pull(ref, out));
            state = new BuildState(r.config(), session.store().images().manifest(r.id()).layers(), r.id(), r.manifestDigest());
        }
        out.accept(" ---> " + state.configDigest().shortId());
        List<String> triggers = state.runConfig().onBuild();
        if (triggers != null && !triggers.isEmpty()) {
            // The child image does not inherit the triggers; they run now, as part of this FROM.
            out.accept("# Executing " + triggers.size() + " build trigger" + (triggers.size() == 1 ? "" : "s"));
            List<Instruction> parsed = new ArrayList<>();
            for (String trigger : triggers) {
                Dockerfile d = DockerfileParser.parse("ONBUILD", "FROM scratch\n" + trigger + "\n");
                parsed.addAll(d.stages().getFirst().instructions());
            }
            ContainerConfig cleared = rc(x -> x.with(b -> b.onBuild = null));
            state = session.committer().write(withRunConfig(state, cleared).config(), state.layers());
            for (Instruction i : parsed) {
                dispatch(i);
            }
        }
    }

    // ------------------------------------------------------------------ dispatch

    private void execute(Instruction instruction) {
        header(instruction);
        dispatch(instruction);
    }

    private void dispatch(Instruction instruction) {
        switch (instruction) {
                case Instruction.Run r -> run(r);
                case Instruction.Copy c -> copy(c);
                case Instruction.Env e -> env(e);
                case Instruction.Arg a -> arg(a);
                case Instruction.Label l -> label(l);
                case Instruction.Workdir w -> workdir(w);
                case Instruction.User u -> {
                    String user = expand(u.user());
                    meta("USER " + user, rc(c -> c.with(b -> b.user = user)));
                }
                case Instruction.Cmd c -> {
                    List<String> cmd = command(c.command());
                    cmdSet = true;
                    meta("CMD " + jsonArray(cmd), rc(x -> x.with(b -> b.cmd = cmd)));
                }
                case Instruction.Entrypoint e -> {
                    List<String> ep = command(e.command());
                    boolean resetCmd = !cmdSet;
                    meta("ENTRYPOINT " + jsonArray(ep), rc(x -> x.with(b -> {
                        b.entrypoint = ep;
                        if (resetCmd) {
                            b.cmd = null; // Docker: a new ENTRYPOINT drops the base image's CMD
                        }
                    })));
                }
                case Instruction.Expose e -> expose(e);
                case Instruction.Volume v -> {
                    Map<String, Map<String, Object>> vols = new TreeMap<>(rc().volumes() == null ? Map.of() : rc().volumes());
                    List<String> added = new ArrayList<>();
                    for (String p : v.paths()) {
                        String path = expand(p);
                        if (path.isBlank()) {
                            throw error(v, "VOLUME specified can not be an empty string");
                        }
                        vols.put(path, Map.of());
                        added.add(path);
                    }
                    meta("VOLUME " + jsonArray(added), rc(x -> x.with(b -> b.volumes = vols)));
                }
                case Instruction.StopSignal s -> {
                    String sig = expand(s.signal());
                    // Refused here, as Docker's builder does, not later by every create from the image.
                    try {
                        Signals.parse(sig, Signals.SIGTERM);
                    } catch (InvalidArgumentException e) {
                        throw error(s, e.getMessage());
                    }
                    meta("STOPSIGNAL " + sig, rc(x -> x.with(b -> b.stopSignal = sig)));
                }
                case Instruction.Shell s -> meta("SHELL " + jsonArray(s.shell()), rc(x -> x.with(b -> b.shell = s.shell())));
                case Instruction.Healthcheck h -> healthcheck(h);
                case Instruction.OnBuild o -> {
                    List<String> triggers = new ArrayList<>(rc().onBuild() == null ? List.of() : rc().onBuild());
                    triggers.add(o.trigger());
                    meta("ONBUILD " + o.trigger(), rc(x -> x.with(b -> b.onBuild = triggers)));
                }
                case Instruction.Maintainer m -> {
                    String name = expand(m.name());
                    metaWith("MAINTAINER " + name, () -> {
                        var c = state.config();
                        var withAuthor = new io.berth.oci.ImageConfig(c.architecture(), c.os(), c.variant(), c.created(),
                                name, c.config(), c.rootfs(), c.history());
                        return session.committer().commit(new BuildState(withAuthor, state.layers(), state.configDigest(),
                                state.manifestDigest()), rc(), null, "/bin/sh -c #(nop)  MAINTAINER " + name, session.created());
                    });
                }
                case Instruction.From f -> throw error(f, "FROM inside a stage");
        }
    }

    // ------------------------------------------------------------------ metadata instructions

    private void env(Instruction.Env e) {
        Map<String, String> env = envMap();
        List<String> shown = new ArrayList<>();
        Map<String, String> updates = new LinkedHashMap<>();
        for (Instruction.KeyValue kv : e.pairs()) {
            String key = expand(kv.key());
            String value = expand(kv.value());
            updates.put(key, value);
            shown.add(key + "=" + value);
        }
        env.putAll(updates);
        List<String> list = env.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue()).toList();
        meta("ENV " + String.join(" ", shown), rc(x -> x.with(b -> b.env = list)));
    }

    private void arg(Instruction.Arg a) {
        List<String> shown = new ArrayList<>();
        for (Instruction.ArgDecl decl : a.args()) {
            String name = decl.name();
            String value;
            if (session.request().buildArgs().containsKey(name) && session.request().buildArgs().get(name) != null) {
                value = session.request().buildArgs().get(name);
                session.consumedArgs().add(name);
            } else if (decl.defaultValue() != null) {
                value = expand(decl.defaultValue());
            } else {
                value = session.globalArgs().get(name);
            }
            args.put(name, value);
            shown.add(decl.defaultValue() == null ? name : name + "=" + decl.defaultValue());
        }
        meta("ARG " + String.join(" ", shown), rc());
    }

    private void label(Instruction.Label l) {
        Map<String, String> labels = new TreeMap<>(rc().labels() == null ? Map.of() : rc().labels());
        List<String> shown = new ArrayList<>();
        for (Instruction.KeyValue kv : l.pairs()) {
            String key = expand(kv.key());
            String value = expand(kv.value());
            labels.put(key, value);
            shown.add(key + "=" + value);
        }
        meta("LABEL " + String.join(" ", shown), rc(x -> x.with(b -> b.labels = labels)));
    }

    private void expose(Instruction.Expose e) {
        Map<String, Map<String, Object>> ports = new TreeMap<>(rc().exposedPorts() == null ? Map.of() : rc().exposedPorts());
        List<String> shown = new ArrayList<>();
        for (String raw : e.ports()) {
            for (String word : VariableExpander.expandWords(raw, this::lookup, session.escape())) {
                String[] pp = word.split("/", 2);
                String proto = pp.length > 1 ? pp[1].toLowerCase(java.util.Locale.ROOT) : "tcp";
                String[] range = pp[0].split("-", 2);
                try {
                    int lo = Integer.parseInt(range[0]);
                    int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                    if (lo < 0 || hi > 65535 || hi < lo) {
                        throw new NumberFormatException();
                    }
                    for (int p = lo; p <= hi; p++) {
                        ports.put(p + "/" + proto, Map.of());
                        shown.add(p + "/" + proto);
                    }
                } catch (NumberFormatException ex) {
                    throw error(e, "invalid containerPort: " + word);
                }
            }
        }
        meta("EXPOSE " + String.join(" ", shown), rc(x -> x.with(b -> b.exposedPorts = ports)));
    }

    private void healthcheck(Instruction.Healthcheck h) {
        JsonNode node = HealthcheckConfig.of(h);
        meta("HEALTHCHECK " + h.original().replaceFirst("(?i)^HEALTHCHECK\\s*", ""),
                rc(x -> x.with(b -> b.healthcheck = node)));
    }

    private void workdir(Instruction.Workdir w) {
        String path = expand(w.path());
        String current = rc().workingDir() == null || rc().workingDir().isEmpty() ? "/" : rc().workingDir();
        String abs = "/" + RootfsView.normalize(path.startsWith("/") ? path : current + "/" + path);
        ContainerConfig next = rc(x -> x.with(b -> b.workingDir = abs));
        String createdBy = "/bin/sh -c #(nop)  WORKDIR " + abs;
        cached("WORKDIR " + abs, List.of(), () -> {
            RootfsView view = new RootfsView(lowerDirs());
            String rel = view.resolve(RootfsView.normalize(abs), true);
            if (rel.isEmpty() || view.isDirectory(rel)) {
                return session.committer().commit(state, next, null, createdBy, session.created());
            }
            // Docker creates a missing WORKDIR; that takes a layer holding the directory (and missing parents).
            Map<String, LayerEntry> entries = new TreeMap<>(LayerTarWriter.PATH_ORDER);
            entries.put(rel, LayerEntry.directory(rel, 0755, 0, 0));
            CopyPlan.addParents(entries, view, new OwnerResolver.Owner(0, 0));
            Descriptor layer = session.committer().putLayer(entries.values(), session.mtime());
            return session.committer().commit(state, next, layer, createdBy, session.created());
        });
    }

    private void meta(String text, ContainerConfig next) {
        metaWith(text, () -> session.committer().commit(state, next, null, "/bin/sh -c #(nop)  " + text, session.created()));
    }

    private void metaWith(String text, Supplier<BuildState> exec) {
        cached(text, List.of(), exec);
    }

    // ------------------------------------------------------------------ RUN

    /**
     * RUN's BuildKit flags are parsed (a Dockerfile with them is valid) but only what berth's RUN really does may
     * pass: --network=none (loopback only) or default (the build's network, {@link RunNetwork}), the default
     * sandbox. Host networking and insecure mode are refused, never skipped ({@link RunMount} refuses the mounts
     * berth does not make).
     */
    private void refuseUnappliedFlags(Instruction.Run r) {
        try {
            RunNetwork.forStep(session.runNetwork(), r.flags().get("network"));
        } catch (InvalidArgumentException e) {
            throw error(r, e.getMessage());
        }
        String security = r.flags().get("security");
        if (security != null && !security.equals("sandbox")) {
            throw error(r, "berth does not support RUN --security=" + security + " yet");
        }
    }

    private void run(Instruction.Run r) {
        refuseUnappliedFlags(r);
        ContainerConfig cfg = rc();
        List<String> shell = cfg.shell() != null && !cfg.shell().isEmpty() ? cfg.shell() : DEFAULT_SHELL;
        List<String> argv;
        if (r.command().shellForm()) {
            String script = r.command().args().getFirst();
            if (r.heredocs() != null && !r.heredocs().isEmpty()) {
                script = withHeredocs(script, r.heredocs());
            }
            argv = new ArrayList<>(shell);
            argv.add(script);
        } else {
            argv = r.command().args();
        }
        if (argv.isEmpty()) {
            throw error(r, "RUN needs a command");
        }
        Map<String, String> env = envMap();
        TreeMap<String, String> visibleArgs = new TreeMap<>();
        args.forEach((k, v) -> {
            if (v != null && !env.containsKey(k)) {
                visibleArgs.put(k, v);
            }
        });
        String display = String.join(" ", argv);
        String createdBy = (visibleArgs.isEmpty() ? "" : "|" + visibleArgs.size() + " " + String.join(" ",
                visibleArgs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()) + " ") + display;
        List<String> runEnv = new ArrayList<>(cfg.env() == null ? List.of() : cfg.env());
        visibleArgs.forEach((k, v) -> runEnv.add(k + "=" + v));
        String wd = cfg.workingDir() == null || cfg.workingDir().isEmpty() ? "/" : cfg.workingDir();
        // BuildKit's key: the RUN line with its --mount flags, never a cache's content; what a bind shows is an
        // input (the stage's config, or the digest of the context files under its source)
        String mountFlags = r.flags().containsKey("mount") ? expand(r.flags().get("mount")) : "";
        List<RunMount> mounts;
        try {
            mounts = RunMount.parseAll(mountFlags, wd);
        } catch (InvalidArgumentException e) {
            throw error(r, e.getMessage());
        }
        List<String> inputs = new ArrayList<>(List.of("run"));
        for (RunMount m : mounts) {
            if (m.type() != RunMount.Type.BIND) continue;
            inputs.add(m.from().isEmpty() ? "mount context " + m.source() + " " + contextDigest(r, m.source())
                    : "mount from " + fromState(m.from()).configDigest());
        }
        String key = mounts.isEmpty() ? createdBy
                : String.join(" ", mountFlags.lines().map(f -> "--mount=" + f).toList()) + " " + createdBy;
        cached(key, inputs, () -> {
            Lent fromCache = fromCacheImages(createdBy);
            if (fromCache != null) {
                return session.committer().commit(state, cfg, fromCache.layer(), createdBy, fromCache.created(session.created()));
            }
            List<Path> lowers = lowerDirs();
            RootfsView view = new RootfsView(lowers);
            List<Path> containerLowers = lowers.isEmpty() ? List.of(session.emptyLowerDir()) : lowers;
            try (RunMounts runMounts = RunMounts.prepare(mounts, session.cache().mounts(), session.request().context().root(),
                    this::fromLowerDirs, view)) {
                Descriptor layer = new RunStep(session.containers(), session.request().runResources()).run(containerLowers,
                        RunNetwork.forStep(session.runNetwork(), r.flags().get("network")), runMounts.spec(), argv, runEnv,
                        cfg.user() == null ? "" : cfg.user(), wd, display, out, upper -> {
                            try {
                                return session.committer().putLayer(UpperDirDiff.diff(upper, view, runMounts.stubs()), session.mtime());
                            } catch (IOException e) {
                                throw new SystemFailureException("cannot read the changes of RUN: " + e.getMessage(), e);
                            }
                        });
                return session.committer().commit(state, cfg, layer, createdBy, session.created());
            }
        });
    }

    private Digest contextDigest(Instruction.Run r, String source) {
        try {
            return session.request().context().contentDigest(session.request().context().resolve(List.of(source)));
        } catch (io.berth.oci.errors.NotFoundException e) {
            throw error(r, "RUN --mount: source \"" + source + "\" not found in the build context");
        }
    }

    /** Docker's heredoc RUN: a lone {@code <<EOF} runs the body as the script; otherwise the shell reads it. */
    private static String withHeredocs(String command, List<Instruction.Heredoc> heredocs) {
        if (heredocs.size() == 1 && command.trim().matches("<<-?[\"']?" + java.util.regex.Pattern.quote(
                heredocs.getFirst().name()) + "[\"']?")) {
            return heredocs.getFirst().content();
        }
        StringBuilder sb = new StringBuilder(command).append('\n');
        for (Instruction.Heredoc h : heredocs) {
            sb.append(h.content());
            if (!h.content().endsWith("\n")) {
                sb.append('\n');
            }
            sb.append(h.name()).append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ COPY / ADD

    private void copy(Instruction.Copy c) {
        String name = c.add() ? "ADD" : "COPY";
        List<String> sources = new ArrayList<>();
        for (String s : c.sources()) {
            sources.add(s.startsWith("<<") ? s : expand(s));
        }
        String dest = expand(c.destination());
        RootfsView fromView = null;
        String fromDigest = "";
        if (c.from() != null && !c.from().isEmpty()) {
            BuildState src = fromState(expand(c.from()));
            fromView = new RootfsView(session.store().snapshots().prepare(src.layers(), src.config().diffIds()));
            fromDigest = src.configDigest().toString();
        }
        Map<String, String> heredocValues = new LinkedHashMap<>();
        if (c.heredocs() != null) {
            for (Instruction.Heredoc h : c.heredocs()) {
                heredocValues.put(h.name(), h.expand() ? VariableExpander.expand(h.content(), this::lookup, session.escape())
                        : h.content());
            }
        }
        String workdir = rc().workingDir() == null || rc().workingDir().isEmpty() ? "/" : rc().workingDir();
        RootfsView target = new RootfsView(lowerDirs());
        CopyPlan plan = CopyPlan.plan(c, sources, dest, workdir, session.request().context(), fromView, target,
                session.cache().tmpDir(), session.escape(), heredocValues);
        try {
            StringBuilder flags = new StringBuilder();
            if (c.chown() != null) flags.append("--chown=").append(c.chown()).append(' ');
            if (c.chmod() != null) flags.append("--chmod=").append(c.chmod()).append(' ');
            String createdBy = "/bin/sh -c #(nop) " + name + " " + flags + plan.sourceKey() + " in " + dest + " ";
            ContainerConfig cfg = rc();
            cached(createdBy, List.of("from " + fromDigest), () -> {
                Lent fromCache = fromCacheImages(createdBy);
                Descriptor layer = fromCache != null ? fromCache.layer() : session.committer().putLayer(plan.entries(), session.mtime());
                return session.committer().commit(state, cfg, layer, createdBy,
                        fromCache != null ? fromCache.created(session.created()) : session.created());
            });
        } finally {
            plan.deleteTempFiles();
        }
    }

    // ------------------------------------------------------------------ cache

    /** Looks the step up in the cache, else runs it and records the result. */
    private void cached(String text, List<String> inputs, Supplier<BuildState> exec) {
        Digest key = BuildCache.key(state.configDigest(), text, inputs);
        if (cacheValid) {
            Optional<BuildCache.Entry> hit = session.cache().get(key);
            if (hit.isPresent()) {
                BuildState loaded = session.committer().load(hit.get().config(), hit.get().manifest());
                if (loaded != null) {
                    state = loaded;
                    out.accept(" ---> Using cache");
                    out.accept(" ---> " + state.configDigest().shortId());
                    return;
                }
            }
            cacheValid = false; // Docker: after the first miss the rest of the stage is built, not looked up
        }
        state = exec.get();
        session.cache().put(key, state);
        out.accept(" ---> " + state.configDigest().shortId());
    }

    /**
     * A --cache-from image's layer for a step, with the time its history gives the step: kept, so a build that takes
     * every step from the image gives that image again (Docker's classic builder reuses the image itself).
     */
    private record Lent(Descriptor layer, String stepCreated) {
        String created(String fallback) {
            return stepCreated == null || stepCreated.isEmpty() ? fallback : stepCreated;
        }
    }

    /**
     * --cache-from: an image whose history starts like ours and whose next history entry is this step lends
     * its layer (compared by created_by text, empty_layer and diff IDs so far).
     */
    private Lent fromCacheImages(String createdBy) {
        if (session.request().noCache()) {
            return null;
        }
        List<HistoryEntry> ours = state.config().history() == null ? List.of() : state.config().history();
        List<Digest> ourDiffs = state.config().diffIds();
        for (BuildSession.CacheFromImage candidate : session.cacheFrom()) {
            List<HistoryEntry> theirs = candidate.config().history() == null ? List.of() : candidate.config().history();
            List<Digest> theirDiffs = candidate.config().diffIds();
            if (theirs.size() <= ours.size() || theirDiffs.size() <= ourDiffs.size()
                    || !theirDiffs.subList(0, ourDiffs.size()).equals(ourDiffs)) {
                continue;
            }
            boolean prefix = true;
            for (int i = 0; i < ours.size() && prefix; i++) {
                prefix = java.util.Objects.equals(ours.get(i).createdBy(), theirs.get(i).createdBy())
                        && ours.get(i).addsLayer() == theirs.get(i).addsLayer();
            }
            HistoryEntry next = theirs.get(ours.size());
            if (prefix && next.addsLayer() && createdBy.equals(next.createdBy())) {
                Descriptor layer = candidate.manifest().layers().get(ourDiffs.size());
                if (session.store().content().has(layer.digest())) {
                    out.accept(" ---> Using cache from --cache-from image");
                    return new Lent(layer, next.created());
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ helpers

    /** The state a --from names: an earlier stage (by name or index), else an image, pulled when missing. */
    private BuildState fromState(String from) {
        BuildState src = session.stageResult().apply(from.toLowerCase(java.util.Locale.ROOT));
        if (src != null) return src;
        ImageRecord img = session.store().images().find(from).orElseGet(() -> session.puller().pull(from, out));
        return new BuildState(img.config(), session.store().images().manifest(img.id()).layers(), img.id(), img.manifestDigest());
    }

    /** The rootfs of a --from as lower dirs, topmost first (an empty image: the empty directory). */
    private List<Path> fromLowerDirs(String from) {
        BuildState src = fromState(from);
        List<Path> lowers = session.store().snapshots().prepare(src.layers(), src.config().diffIds());
        return lowers.isEmpty() ? List.of(session.emptyLowerDir()) : lowers;
    }

    private List<Path> lowerDirs() {
        return session.store().snapshots().prepare(state.layers(), state.config().diffIds());
    }

    private ContainerConfig rc() {
        return state.runConfig();
    }

    private ContainerConfig rc(Function<ConfigChange, ContainerConfig> change) {
        return change.apply(new ConfigChange(rc()));
    }

    private static BuildState withRunConfig(BuildState s, ContainerConfig cfg) {
        var c = s.config();
        return new BuildState(new io.berth.oci.ImageConfig(c.architecture(), c.os(), c.variant(), c.created(), c.author(),
                cfg, c.rootfs(), c.history()), s.layers(), s.configDigest(), s.manifestDigest());
    }

    private Map<String, String> envMap() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : rc().env() == null ? List.<String>of() : rc().env()) {
            int eq = e.indexOf('=');
            env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        return env;
    }

    private String lookup(String name) {
        Map<String, String> env = envMap();
        return env.containsKey(name) ? env.get(name) : args.get(name);
    }

    private String expand(String word) {
        return VariableExpander.expand(word, this::lookup, session.escape());
    }

    private List<String> command(Instruction.Command c) {
        if (!c.shellForm()) {
            return c.args();
        }
        List<String> shell = rc().shell() != null && !rc().shell().isEmpty() ? rc().shell() : DEFAULT_SHELL;
        List<String> out = new ArrayList<>(shell);
        out.addAll(c.args());
        return out;
    }

    private static String jsonArray(List<String> values) {
        return Json.toString(values);
    }

    private static InvalidArgumentException error(Instruction i, String message) {
        return new InvalidArgumentException(i.location() + ": " + message);
    }

    /** A mutable copy of a ContainerConfig for one instruction's change. */
    static final class ConfigChange {
        private final ContainerConfig base;

        ConfigChange(ContainerConfig base) {
            this.base = base;
        }

        ContainerConfig with(Consumer<Fields> edit) {
            Fields f = new Fields(base);
            edit.accept(f);
            return new ContainerConfig(f.user, f.exposedPorts, f.env, f.entrypoint, f.cmd, f.volumes, f.workingDir,
                    f.labels, f.stopSignal, f.onBuild, f.shell, f.healthcheck);
        }
    }

    static final class Fields {
        String user;
        Map<String, Map<String, Object>> exposedPorts;
        List<String> env;
        List<String> entrypoint;
        List<String> cmd;
        Map<String, Map<String, Object>> volumes;
        String workingDir;
        Map<String, String> labels;
        String stopSignal;
        List<String> onBuild;
        List<String> shell;
        com.fasterxml.jackson.databind.JsonNode healthcheck;

        Fields(ContainerConfig c) {
            user = c.user();
            exposedPorts = c.exposedPorts();
            env = c.env();
            entrypoint = c.entrypoint();
            cmd = c.cmd();
            volumes = c.volumes();
            workingDir = c.workingDir();
            labels = c.labels();
            stopSignal = c.stopSignal();
            onBuild = c.onBuild();
            shell = c.shell();
            healthcheck = c.healthcheck();
        }
    }
}
