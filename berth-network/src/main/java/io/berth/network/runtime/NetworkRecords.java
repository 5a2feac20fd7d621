package io.berth.network.runtime;

import io.berth.linux.AtomicFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A container's network records under its run dir (tmpfs: they describe the current run only).
 * <pre>
 * RUN-DIR/network/
 *   teardown.json   write-ahead: what must be undone. Written before the addresses are leased (networks only)
 *                   and again before netavark setup runs (with the exact options given to it)
 *   status.json     the result: addresses, MACs, gateways, host ports; written after setup succeeded
 *   netavark.json   the options file of the last netavark call (its --file), scratch
 * </pre>
 * Tear-down works from teardown.json alone, so a kill at any point between the two writes and the setup leaves
 * enough behind to undo everything.
 */
public final class NetworkRecords {
    private final Path dir;

    public NetworkRecords(Path runDir) {
        this.dir = runDir.resolve("network");
    }

    /**
     * What to undo: the networks whose addresses may be leased, and the netavark options of the setup that may
     * have run (null until it is about to run).
     */
    public record Teardown(String netns, List<String> networkIds, NetavarkJson.Options options) {
        public Teardown {
            networkIds = List.copyOf(networkIds);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path netavarkInput() {
        return dir.resolve("netavark.json");
    }

    public Path teardownFile() {
        return dir.resolve("teardown.json");
    }

    public Path statusFile() {
        return dir.resolve("status.json");
    }

    /** The counters at the hand-over ({@link NetworkStatus#counters}); empty when the namespace was made for the container. */
    public Optional<String> readCounterBaseline() throws IOException {
        return readStatus().map(NetworkStatus::counters);
    }

    public void writeTeardown(Teardown t) throws IOException {
        write(teardownFile(), NetavarkJson.MAPPER.writeValueAsBytes(t));
    }

    public Optional<Teardown> readTeardown() throws IOException {
        return read(teardownFile(), Teardown.class);
    }

    public void writeStatus(NetworkStatus s) throws IOException {
        write(statusFile(), NetavarkJson.MAPPER.writeValueAsBytes(s));
    }

    public Optional<NetworkStatus> readStatus() throws IOException {
        return read(statusFile(), NetworkStatus.class);
    }

    /** Removes every record; the status goes first, so a half-done removal never shows a network that is gone. */
    public void delete() throws IOException {
        Files.deleteIfExists(statusFile());
        Files.deleteIfExists(netavarkInput());
        Files.deleteIfExists(teardownFile());
        try {
            Files.deleteIfExists(dir);
        } catch (java.nio.file.DirectoryNotEmptyException ignored) {
            // a leftover output file of netavark's; the run dir's removal takes it
        }
    }

    private void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(dir);
        AtomicFile.write(file, content, AtomicFile.OWNER_ONLY);
    }

    private static <T> Optional<T> read(Path file, Class<T> type) throws IOException {
        try {
            return Optional.of(NetavarkJson.MAPPER.readValue(Files.readAllBytes(file), type));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
