package io.berth.network.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The namespaces berth wires on its own behalf (a warm network's placeholder, a prewired namespace): each lives in a
 * home directory of its own with the same write-ahead records a container's network step keeps, so it is undone from
 * those records alone, whether berthd made it a moment ago or a killed berthd left it behind.
 */
final class NamespaceHomes {
    private static final Logger LOG = Logger.getLogger(NamespaceHomes.class.getName());

    /**
     * A home's second namespace file: the spent namespace an interface is being moved out of
     * ({@link PrewiredNamespaces#recycle}), until the move is done.
     */
    static final String MOVING_FROM = "spent-netns";

    private NamespaceHomes() {}

    /** The homes under {@code dir}; none when it is missing or unreadable (logged). */
    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(dir)) {
            List<Path> out = new ArrayList<>();
            homes.forEach(out::add);
            return out;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "reading " + dir + ": " + e.getMessage());
            return List.of();
        }
    }

    /**
     * netavark's teardown when the record names options and the namespace is still mounted (and of the spent
     * namespace an interface was being moved out of, {@link #MOVING_FROM}), then each network's lease
     * (held by {@code owner.apply(record, networkId)}), then the namespace file and the home. Every part runs even
     * when netavark fails (after a kill mid-hand-over another tear-down may have removed the veth already); nothing
     * there at all is fine.
     */
    static void tearDown(Path home, Netavark netavark, AddressLeases leases,
                         BiFunction<NetworkRecords.Teardown, String, String> owner) {
        NetworkRecords records = new NetworkRecords(home);
        try {
            Optional<NetworkRecords.Teardown> record = records.readTeardown();
            Path netns = record.map(t -> Path.of(t.netns())).orElse(home.resolve("netns"));
            // the interface is in one of them: the record's, or the spent one it was being moved out of
            for (Path ns : List.of(netns, home.resolve(MOVING_FROM))) {
                if (record.isPresent() && record.get().options() != null && Netns.isMounted(ns)) {
                    try {
                        netavark.teardown(ns, record.get().options(), records.netavarkInput());
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "netavark teardown of " + ns + ": " + e.getMessage());
                    }
                }
            }
            if (record.isPresent()) {
                for (String id : record.get().networkIds()) leases.release(id, owner.apply(record.get(), id));
            }
            removeFiles(home, netns);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "removing " + home + ": " + e.getMessage());
        }
    }

    /** The namespace's mount and file, the records and netavark's output files beside them, and the home itself. */
    static void removeFiles(Path home, Path netns) throws IOException {
        Netns.delete(netns);
        Netns.delete(home.resolve(MOVING_FROM));
        new NetworkRecords(home).delete();
        try (var files = Files.walk(home)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (NoSuchFileException ignored) {
            // already gone
        }
    }
}
