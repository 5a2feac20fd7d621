package io.berth.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One pass of the steps over a container (a start, a teardown): the container they work on and what earlier
 * steps hand to later ones and to the runtime's config (the network namespace to join, the lines the network
 * adds to /etc/hosts, the resolv.conf it wants).
 */
public final class StepRun {
    private final Container container;
    private Path networkNamespace;
    private boolean hostNetwork;
    private final List<String> hostsLines = new ArrayList<>();
    private String resolvConf;
    private final List<String> env = new ArrayList<>();

    /** Public so that steps made in other modules (the network's) can be tested on a run of their own. */
    public StepRun(Container container) {
        this.container = container;
    }

    public Container container() {
        return container;
    }

    /** The runtime joins this network namespace instead of creating an empty one. */
    public void joinNetworkNamespace(Path path) {
        this.networkNamespace = path;
        this.hostNetwork = false;
    }

    /** The container shares the host's network namespace (no network namespace of its own). */
    public void useHostNetwork() {
        this.hostNetwork = true;
        this.networkNamespace = null;
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

    public Optional<Path> networkNamespace() {
        return Optional.ofNullable(networkNamespace);
    }

    public boolean hostNetwork() {
        return hostNetwork;
    }

    public List<String> hostsLines() {
        return List.copyOf(hostsLines);
    }

    public Optional<String> resolvConfContent() {
        return Optional.ofNullable(resolvConf);
    }
}
