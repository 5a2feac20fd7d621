package io.berth.runtime;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Docker's create: checks what can be checked before start (id, layers, command, runtime, capabilities,
 * stop signal), claims the name, makes the container's directories and persists it as created.
 */
final class ContainerCreator {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    private final RuntimeSettings settings;
    private final ContainerRegistry registry;
    private final ContainerStore store;
    private final ContainerEvents events;

    ContainerCreator(RuntimeSettings settings, ContainerRegistry registry, ContainerStore store, ContainerEvents events) {
        this.settings = settings;
        this.registry = registry;
        this.store = store;
        this.events = events;
    }

    Container create(ContainerSpec spec) {
        if (spec.id() == null || !ID.matcher(spec.id()).matches()) {
            throw new InvalidArgumentException("container id must be 64 lowercase hex characters");
        }
        if (spec.rootfs() == null || spec.rootfs().lowerDirs().isEmpty()) {
            throw new InvalidArgumentException("container has no rootfs layers");
        }
        if (spec.process().args().isEmpty()) throw new InvalidArgumentException("No command specified");
        String asked = spec.lifecycle().runtime();
        String runtime = asked == null || asked.isEmpty() ? settings.defaultRuntime() : asked;
        settings.runtimePath(runtime);
        SecuritySpec security = spec.security();
        if (!security.capAdd().isEmpty() || !security.capDrop().isEmpty()) {
            Capabilities.compute(false, security.capAdd(), security.capDrop(), -1L);
        }
        if (spec.process().stopSignal() != null) Signals.parse(spec.process().stopSignal(), Signals.SIGTERM);
        ContainerPaths paths = ContainerPaths.of(settings.dataRoot(), settings.runRoot(), spec.id());
        ContainerEntry entry = registry.add(spec.id(), spec.name(), name -> {
            Container c = new Container(spec.withName(name), name, ContainerState.created(), 0, runtime, 0, false, paths);
            try {
                for (Path d : List.of(paths.dir(), paths.bundleDir(), paths.upperDir(), paths.workDir(), paths.mergedDir(),
                        paths.exitDir(), paths.persistDir(), paths.socketDir(), paths.execDir())) {
                    Files.createDirectories(d);
                }
                Files.setPosixFilePermissions(paths.dir(), PosixFilePermissions.fromString("rwx------"));
                store.save(c);
            } catch (IOException | RuntimeException e) {
                // A directory without its container.json is one no listing shows and nothing removes.
                ContainerRemover.deleteTreeQuietly(paths.dir());
                ContainerRemover.deleteTreeQuietly(paths.runDir());
                if (e instanceof RuntimeException r) throw r;
                throw new SystemFailureException("creating container directories: " + e.getMessage(), e);
            }
            return c;
        });
        events.emit(spec.id(), "create", Map.of("name", entry.c.name(), "image", spec.image()));
        return entry.c;
    }
}
