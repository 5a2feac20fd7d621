package io.berth.network.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads what a container's network setup made, for inspect's NetworkSettings and {@code docker port}. */
public final class NetworkStatusReader {
    private NetworkStatusReader() {}

    /** The status of the container whose run dir is {@code runDir}; empty when it has no network up. */
    public static Optional<NetworkStatus> read(Path runDir) throws IOException {
        return new NetworkRecords(runDir).readStatus();
    }

    /**
     * The container's interface counters when it got its namespace, as /proc/net/dev shows them: what stats subtract.
     * Empty when the namespace was made for it (its counters started at zero).
     */
    public static Optional<String> counterBaseline(Path runDir) throws IOException {
        return new NetworkRecords(runDir).readCounterBaseline();
    }
}
