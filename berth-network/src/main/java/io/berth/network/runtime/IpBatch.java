package io.berth.network.runtime;

import io.berth.runtime.HostCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * iproute2's {@code ip} run inside a network namespace: spawned from a thread that has joined it ({@link Netns#inside}),
 * so no nsenter in between. What berth changes in a namespace beside netavark (a recycled interface's addresses and
 * routes, the bridge routes' TCP) goes through here.
 */
final class IpBatch {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    /** iproute2's ip by its path: a spawn searches berthd's own PATH for a bare name (8 misses here), not the child's. */
    private static final String IP = java.util.stream.Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")
            .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse("ip");

    private IpBatch() {}

    /**
     * Runs {@code lines} as one {@code ip -batch} inside the namespace on {@code netns}; the batch file is
     * {@code dir/name.ip} while it runs, and ip's output goes under {@code dir/name}. A failure says what ip said.
     */
    static void run(Path netns, List<String> lines, Path dir, String name) throws IOException {
        Path batch = dir.resolve(name + ".ip");
        Files.writeString(batch, String.join("\n", lines) + "\n");
        try {
            command(netns, List.of("-batch", batch.toString()), dir, name);
        } finally {
            Files.deleteIfExists(batch);
        }
    }

    /** Runs {@code ip ARGS} inside the namespace on {@code netns}; its output goes under {@code dir/name}. */
    static void command(Path netns, List<String> args, Path dir, String name) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of(IP));
        argv.addAll(args);
        HostCommand.Result r = Netns.inside(netns, () -> HostCommand.run(argv, ENV, dir.resolve(name), TIMEOUT));
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", argv) + " in " + netns + " failed: "
                    + (r.stderr().strip() + " " + r.stdout().strip()).strip());
        }
    }
}
