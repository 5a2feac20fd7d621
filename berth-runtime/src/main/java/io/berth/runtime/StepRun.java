package io.berth.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One pass of the steps over a container (a start, a teardown): the container they work on and what earlier
 * steps hand to later ones and to the runtime's config (the network namespace to join, the lines the network
 * adds to /etc/hosts, the resolv.conf it wants, the namespaces of other containers it joins, the host's devices).
 */
public final class StepRun {
    private static final String NETWORK = "network";
    private final Container container;
    /** Namespaces by config.json's type ("network", "pid", "ipc"): joined at a path, or the host's own. */
    private final Map<String, Path> joined = new HashMap<>();
    private final Set<String> hostNamespaces = new HashSet<>();
    private final List<String> hostsLines = new ArrayList<>();
    private String resolvConf;
    private final List<String> env = new ArrayList<>();
    private final List<java.util.concurrent.Future<?>> beforeStart = new ArrayList<>();
    private Path devShm;
    private final List<HostDevices.LinuxDevice> devices = new ArrayList<>();
    private final List<DeviceCgroupRule> deviceRules = new ArrayList<>();

    /** Public so that steps made in other modules (the network's) can be tested on a run of their own. */
    public StepRun(Container container) {
        this.container = container;
    }

    public Container container() {
        return container;
    }

    /** The runtime joins this network namespace instead of creating an empty one. */
    public void joinNetworkNamespace(Path path) {
        joinNamespace(NETWORK, path);
    }

    /** The container shares the host's network namespace (no network namespace of its own). */
    public void useHostNetwork() {
        hostNamespaces.add(NETWORK);
        joined.remove(NETWORK);
    }

    /** The runtime joins the namespace of this type ("pid", "ipc") at {@code path} instead of creating one. */
    void joinNamespace(String type, Path path) {
        joined.put(type, path);
        hostNamespaces.remove(type);
    }

    Optional<Path> joinedNamespace(String type) {
        return Optional.ofNullable(joined.get(type));
    }

    /** The container's /dev/shm is this directory of another container's (it joined that one's IPC namespace). */
    void shareDevShm(Path source) {
        this.devShm = source;
    }

    Optional<Path> sharedDevShm() {
        return Optional.ofNullable(devShm);
    }

    /** A host device node made in the container, and the devices cgroup rule that lets it be used (null: none). */
    void addDevice(HostDevices.LinuxDevice device, DeviceCgroupRule rule) {
        devices.add(device);
        if (rule != null) deviceRules.add(rule);
    }

    List<HostDevices.LinuxDevice> devices() {
        return List.copyOf(devices);
    }

    List<DeviceCgroupRule> deviceRules() {
        return List.copyOf(deviceRules);
    }

    /** Lines (e.g. "10.88.0.2\tweb") written to /etc/hosts after the localhost entries. */
    public void addHostsLine(String line) {
        hostsLines.add(line);
    }

    /** The whole resolv.conf the container gets, instead of the host's filtered copy. */
    public void resolvConf(String content) {
        this.resolvConf = content;
    }

    /**
     * Variables ("NAME=value") the main process gets before the container's own, which override them (Docker puts
     * the link variables there).
     */
    public void addEnv(String variable) {
        env.add(variable);
    }

    public List<String> env() {
        return List.copyOf(env);
    }

    /**
     * Work a step started that must be done before the container's process runs, while the runtime creates the
     * container meanwhile (netavark wiring the namespace the runtime joins by path). The starter waits for it
     * between the runtime's create and its start ({@link #awaitBeforeStart}).
     */
    public synchronized void finishBeforeStart(java.util.concurrent.Future<?> work) {
        beforeStart.add(work);
    }

    /** Waits for the work of {@link #finishBeforeStart}; the first failure is thrown as it was raised. */
    public void awaitBeforeStart() throws java.io.IOException {
        List<java.util.concurrent.Future<?>> pending;
        synchronized (this) {
            pending = List.copyOf(beforeStart);
        }
        for (java.util.concurrent.Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted waiting for the set-up of container " + container.id());
            } catch (java.util.concurrent.ExecutionException e) {
                switch (e.getCause()) {
                    case RuntimeException r -> throw r;
                    case java.io.IOException io -> throw io;
                    case Error err -> throw err;
                    default -> throw new java.io.IOException(e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }

    public Optional<Path> networkNamespace() {
        return joinedNamespace(NETWORK);
    }

    public boolean hostNetwork() {
        return hostNamespaces.contains(NETWORK);
    }

    public List<String> hostsLines() {
        return List.copyOf(hostsLines);
    }

    public Optional<String> resolvConfContent() {
        return Optional.ofNullable(resolvConf);
    }
}
