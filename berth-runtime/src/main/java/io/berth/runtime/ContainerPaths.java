package io.berth.runtime;

import java.nio.file.Path;

/**
 * Where one container's files live. The layout under the data root:
 * <pre>
 * containers/&lt;id&gt;/
 *   container.json        spec + state (temp, fsync, rename)
 *   bundle/config.json    the OCI runtime spec; conmon also puts ctl, winsz and attach here
 *   upper/ work/          overlay upper and work dirs (the container's writable layer)
 *   merged/               overlay mountpoint, the bundle's root.path
 *   ctr.log               k8s-file log written by conmon
 *   conmon.pid            pid of the daemonized conmon
 *   pidfile               pid of the container's init process (written by the runtime)
 *   exits/&lt;id&gt;          exit code written by conmon
 *   persist/              conmon's persist dir (exit, oom)
 *   hostname hosts resolv.conf   bind-mounted into /etc
 *   exec/&lt;execId&gt;/        process.json and pid file of each exec
 * </pre>
 */
public record ContainerPaths(Path dir) {
    public static ContainerPaths of(Path dataRoot, String id) {
        return new ContainerPaths(dataRoot.resolve("containers").resolve(id));
    }

    public Path stateFile() { return dir.resolve("container.json"); }
    public Path bundleDir() { return dir.resolve("bundle"); }
    public Path configFile() { return bundleDir().resolve("config.json"); }
    public Path upperDir() { return dir.resolve("upper"); }
    public Path workDir() { return dir.resolve("work"); }
    public Path mergedDir() { return dir.resolve("merged"); }
    public Path logFile() { return dir.resolve("ctr.log"); }
    public Path conmonPidFile() { return dir.resolve("conmon.pid"); }
    public Path conmonErrFile() { return dir.resolve("conmon.err"); }
    public Path pidFile() { return dir.resolve("pidfile"); }
    public Path exitDir() { return dir.resolve("exits"); }
    public Path persistDir() { return dir.resolve("persist"); }
    public Path socketDir() { return dir.resolve("sock"); }
    public Path hostnameFile() { return dir.resolve("hostname"); }
    public Path hostsFile() { return dir.resolve("hosts"); }
    public Path resolvConfFile() { return dir.resolve("resolv.conf"); }
    public Path execDir() { return dir.resolve("exec"); }
    public Path seccompFile() { return bundleDir().resolve("seccomp.json"); }
    public Path winszFifo() { return bundleDir().resolve("winsz"); }
    public Path ctlFifo() { return bundleDir().resolve("ctl"); }
    public Path startFifo() { return dir.resolve("start.fifo"); }
    public Path syncFifo() { return dir.resolve("sync.fifo"); }
}
