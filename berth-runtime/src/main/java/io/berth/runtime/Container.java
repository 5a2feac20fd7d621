package io.berth.runtime;

import io.berth.runtime.health.Health;

import java.nio.file.Path;

/**
 * A snapshot of one container: what was asked for, what it is doing, and where its files are.
 *
 * @param name the current name without the leading "/"
 * @param runtime the OCI runtime name actually used ("crun" or "runc")
 * @param conmonPid the pid of the conmon that monitors the running container, 0 when none
 * @param manuallyStopped set by stop/kill so restart policies do not bring it back (Docker's rule)
 * @param health State.Health: null for a container that never ran a healthcheck
 */
public record Container(ContainerSpec spec, String name, ContainerState state, int restartCount, String runtime,
                        int conmonPid, boolean manuallyStopped, ContainerPaths paths, Health health) {

    public Container(ContainerSpec spec, String name, ContainerState state, int restartCount, String runtime,
                     int conmonPid, boolean manuallyStopped, ContainerPaths paths) {
        this(spec, name, state, restartCount, runtime, conmonPid, manuallyStopped, paths, null);
    }

    public String id() {
        return spec.id();
    }

    /** The file the log is read from: Docker's {@code <id>-json.log} for json-file, conmon's ctr.log otherwise. */
    public Path logPath() {
        return logFormat() == LogFormat.JSON_FILE ? paths.jsonLogFile() : paths.logFile();
    }

    LogFormat logFormat() {
        return LogFormat.of(spec.lifecycle().log(), paths);
    }

    public Path bundleDir() {
        return paths.bundleDir();
    }

    public Path mergedDir() {
        return paths.mergedDir();
    }

    public Path upperDir() {
        return paths.upperDir();
    }

    public Path workDir() {
        return paths.workDir();
    }

    Container withSpec(ContainerSpec s) {
        return new Container(s, name, state, restartCount, runtime, conmonPid, manuallyStopped, paths, health);
    }

    Container withState(ContainerState s) {
        return new Container(spec, name, s, restartCount, runtime, conmonPid, manuallyStopped, paths, health);
    }

    Container withName(String n) {
        return new Container(spec.withName(n), n, state, restartCount, runtime, conmonPid, manuallyStopped, paths, health);
    }

    Container withRestartCount(int n) {
        return new Container(spec, name, state, n, runtime, conmonPid, manuallyStopped, paths, health);
    }

    Container withConmonPid(int p) {
        return new Container(spec, name, state, restartCount, runtime, p, manuallyStopped, paths, health);
    }

    Container withPaths(ContainerPaths p) {
        return new Container(spec, name, state, restartCount, runtime, conmonPid, manuallyStopped, p, health);
    }

    Container withHealth(Health h) {
        return new Container(spec, name, state, restartCount, runtime, conmonPid, manuallyStopped, paths, h);
    }

    Container withManuallyStopped(boolean b) {
        return new Container(spec, name, state, restartCount, runtime, conmonPid, b, paths, health);
    }
}
