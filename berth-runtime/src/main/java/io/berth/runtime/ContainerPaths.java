package io.berth.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where one container's files live. Its lasting state is under the data root; what only matters while its
 * processes run (exit codes, pids, sockets, FIFOs, execs) is under the exec root, on tmpfs as Docker keeps it:
 * a full data disk then cannot cost a container its exit code, nor stop an exec, kill or stop from working.
 * <pre>
 * DATA-ROOT/containers/&lt;id&gt;/        dir
 *   container.json        spec + state (temp, fsync, rename)
 *   bundle/config.json    the OCI runtime spec; conmon also puts ctl, winsz and attach here
 *   upper/ work/          overlay upper and work dirs (the container's writable layer)
 *   merged/               overlay mountpoint, the bundle's root.path
 *   ctr.log               k8s-file log written by conmon (k8s-file, local, and json-file logs begun before berthd wrote json)
 *   &lt;id&gt;-json.log         json-file log, written by berthd from conmon's spool ({@link JsonLogCopier})
 *   hostname hosts resolv.conf   bind-mounted into /etc
 * EXEC-ROOT/containers/&lt;id&gt;/        runDir
 *   conmon.pid conmon.err pid of the daemonized conmon, and what it said when it failed
 *   pidfile               pid of the container's init process (written by the runtime)
 *   exits/&lt;id&gt;          exit code written by conmon
 *   persist/              conmon's persist dir (exit, oom)
 *   sock/                 conmon's attach socket
 *   start.fifo sync.fifo  conmon's start and sync pipes
 *   log.spool[.1] log.spool.pos   a json-file container's k8s-file records from conmon, and how far berthd copied them
 *   exec/&lt;execId&gt;/        process.json and pid file of each exec
 * </pre>
 * Containers made before the split keep everything in {@code dir} ({@link #load}).
 */
public record ContainerPaths(Path dir, Path runDir) {
    public static ContainerPaths of(Path dataRoot, Path execRoot, String id) {
        return new ContainerPaths(dataRoot.resolve("containers").resolve(id), execRoot.resolve("containers").resolve(id));
    }

    /** The paths of a container read back from disk: the legacy single-directory layout if that is what it has. */
    static ContainerPaths load(Path dataRoot, Path execRoot, String id) {
        ContainerPaths split = of(dataRoot, execRoot, id);
        return Files.isDirectory(split.dir().resolve("exits")) ? new ContainerPaths(split.dir(), split.dir()) : split;
    }

    public Path stateFile() { return dir.resolve("container.json"); }
    public Path bundleDir() { return dir.resolve("bundle"); }
    public Path configFile() { return bundleDir().resolve("config.json"); }
    public Path upperDir() { return dir.resolve("upper"); }
    public Path workDir() { return dir.resolve("work"); }
    public Path mergedDir() { return dir.resolve("merged"); }
    public Path logFile() { return dir.resolve("ctr.log"); }
    public Path jsonLogFile() { return dir.resolve(dir.getFileName() + "-json.log"); }
    public Path spoolFile() { return runDir.resolve("log.spool"); }
    public Path spoolCheckpoint() { return runDir.resolve("log.spool.pos"); }
    public Path conmonPidFile() { return runDir.resolve("conmon.pid"); }
    public Path conmonErrFile() { return runDir.resolve("conmon.err"); }
    public Path pidFile() { return runDir.resolve("pidfile"); }
    public Path exitDir() { return runDir.resolve("exits"); }
    public Path persistDir() { return runDir.resolve("persist"); }
    public Path socketDir() { return runDir.resolve("sock"); }
    public Path hostnameFile() { return dir.resolve("hostname"); }
    public Path hostsFile() { return dir.resolve("hosts"); }
    public Path resolvConfFile() { return dir.resolve("resolv.conf"); }
    public Path execDir() { return runDir.resolve("exec"); }
    /**
     * Present once an exec with {@code Privileged} (every capability, NET_ADMIN included) was made in the container:
     * its network interface is then never handed to another container.
     */
    public Path privilegedExecMarker() { return runDir.resolve("privileged-exec"); }
    public Path seccompFile() { return bundleDir().resolve("seccomp.json"); }
    public Path winszFifo() { return bundleDir().resolve("winsz"); }
    public Path ctlFifo() { return bundleDir().resolve("ctl"); }
    public Path startFifo() { return runDir.resolve("start.fifo"); }
    public Path syncFifo() { return runDir.resolve("sync.fifo"); }
}
