package io.berth.runtime;

import io.berth.linux.AtomicFile;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Exec sessions by id (Docker's exec create, then start). Each one gets exec/&lt;execId&gt;/process.json, run
 * with `runtime exec --process`; sessions live until their container is removed.
 */
final class ExecRegistry {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, ExecSession> byId = new ConcurrentHashMap<>();
    private final OciRuntimes runtimes;
    private final OciConfig.Host host;
    private final ContainerEvents events;
    private final Function<String, Container> containers;

    /** {@code containers} finds the current snapshot of a container by id. */
    ExecRegistry(OciRuntimes runtimes, OciConfig.Host host, ContainerEvents events, Function<String, Container> containers) {
        this.runtimes = runtimes;
        this.host = host;
        this.events = events;
        this.containers = containers;
    }

    ExecSession create(Container c, ExecSpec spec) {
        if (c.state().status() != ContainerState.Status.RUNNING) {
            throw new ConflictException("Container " + c.id() + " is not running");
        }
        if (spec.args().isEmpty()) throw new InvalidArgumentException("No exec command specified");
        byte[] idBytes = new byte[32];
        RANDOM.nextBytes(idBytes);
        String execId = HexFormat.of().formatHex(idBytes);
        Path dir = c.paths().execDir().resolve(execId);
        try {
            Files.createDirectories(dir);
            // before the process can exist: it may change the container's network interface, which is then not recycled
            if (spec.privileged() && !Files.exists(c.paths().privilegedExecMarker())) Files.createFile(c.paths().privilegedExecMarker());
            ResolvedUser user = UserResolver.resolve(c.paths().mergedDir(), spec.user().isEmpty() ? c.spec().process().user() : spec.user(),
                    c.spec().process().groupAdd());
            ObjectNode process = OciConfig.execProcess(c.spec(), spec, user, host, StepEnv.read(c.paths()));
            // read by the runtime right away and never again after a crash: an fsync would only add latency
            AtomicFile.writeUnsynced(dir.resolve("process.json"), ContainerStore.JSON.writeValueAsBytes(process), AtomicFile.OWNER_ONLY);
        } catch (IOException ex) {
            throw new SystemFailureException("preparing exec: " + ex.getMessage(), ex);
        }
        List<String> cmd = runtimes.of(c).command("exec", "--process", dir.resolve("process.json").toString(),
                "--pid-file", dir.resolve("pid").toString(), c.id());
        ExecSession s = new ExecSession(execId, c.id(), spec, dir, cmd, done -> {
            Integer code = done.inspect().exitCode();
            events.emit(c.id(), "exec_die", Map.of("execID", done.id(), "exitCode", String.valueOf(code)));
        });
        byId.put(execId, s);
        events.emit(c.id(), "exec_create", Map.of("execID", execId));
        return s;
    }

    void start(String execId) {
        ExecSession s = session(execId);
        Container c = containers.apply(s.containerId());
        if (c.state().status() != ContainerState.Status.RUNNING) {
            throw new ConflictException("Container " + c.id() + " is not running");
        }
        s.start();
        events.emit(c.id(), "exec_start", Map.of("execID", execId));
    }

    ExecSession session(String execId) {
        ExecSession s = byId.get(execId);
        if (s == null) throw new NotFoundException("No such exec instance: " + execId);
        return s;
    }

    /** Drops a finished session and its files: a health check's exec is not kept like a user's. */
    void forget(String execId) {
        ExecSession s = byId.remove(execId);
        if (s == null) return;
        try (var files = Files.walk(s.dir())) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        } catch (IOException ignored) {
            // a stray exec directory goes with the container's run directory
        }
    }

    void forgetContainer(String containerId) {
        byId.values().removeIf(x -> x.containerId().equals(containerId));
    }
}
