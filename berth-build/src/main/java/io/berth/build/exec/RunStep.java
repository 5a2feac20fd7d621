package io.berth.build.exec;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.AttachSession;
import io.berth.runtime.ContainerService;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.MountsSpec;
import io.berth.runtime.RootfsLayers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one RUN command in a throwaway container on the stage's current layers and hands its upper dir (the
 * command's changes) to the caller before the container is removed. Output is streamed line by line.
 */
final class RunStep {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContainerService containers;
    private final io.berth.runtime.Resources resources;

    /** @param resources the build's limits for its RUN containers (--shm-size, --ulimit) */
    RunStep(ContainerService containers, io.berth.runtime.Resources resources) {
        this.containers = containers;
        this.resources = resources;
    }

    /**
     * @param network the RUN container's network (the build's, or the step's --network=none)
     * @param mounts  the RUN's --mount mounts ({@link RunMounts}), bound over the rootfs
     * @param display the command as Docker names it in the failure message ("/bin/sh -c false")
     * @param onUpper reads the container's upper dir after a successful exit
     */
    <T> T run(List<Path> lowerDirs, io.berth.runtime.NetworkSpec network, MountsSpec mounts, List<String> args, List<String> env, String user, String workingDir,
              String display, Consumer<String> output, Function<Path, T> onUpper) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String id = HexFormat.of().formatHex(raw);
        output.accept(" ---> Running in " + id.substring(0, 12));
        ContainerSpec spec = ContainerSpec.builder(id).args(args).env(env).workingDir(workingDir).user(user)
                .network(network).resources(resources)
                .labels(Map.of("io.berth.build", "true")).rootfs(new RootfsLayers(lowerDirs)).mounts(mounts).created(Instant.now()).build();
        containers.create(spec);
        try {
            int exit;
            try (AttachSession attach = containers.attach(id, false, true, true, false)) {
                Thread out = Thread.ofVirtual().start(() -> pump(attach.stdout(), output));
                Thread err = Thread.ofVirtual().start(() -> pump(attach.stderr(), output));
                containers.start(id);
                exit = containers.waitForExit(id, "not-running");
                join(out);
                join(err);
            }
            if (exit != 0) {
                throw new InvalidArgumentException("The command '" + display + "' returned a non-zero code: " + exit);
            }
            return onUpper.apply(containers.inspect(id).upperDir());
        } finally {
            containers.remove(id, true);
            output.accept("Removing intermediate container " + id.substring(0, 12));
        }
    }

    private static void join(Thread t) {
        try {
            t.join(java.time.Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(InputStream in, Consumer<String> output) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        output.accept(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(buf[i]);
                    }
                }
            }
        } catch (IOException ignored) {
            // the stream ends with the container
        }
        if (line.size() > 0) {
            output.accept(line.toString(StandardCharsets.UTF_8));
        }
    }
}
