package io.berth.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.linux.AtomicFile;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;

/**
 * The network definitions on disk, one JSON document each:
 * <pre>
 * DATA-ROOT/networks/        0700
 *   &lt;id&gt;.json                0600, a {@link Network}, written whole by {@link AtomicFile}
 *   .tmp-&lt;id&gt;.json-&lt;rand&gt;     a write a kill cut short: removed at open
 *   ipam/                    the address leases ({@link AddressAllocator})
 * </pre>
 * A network exists exactly when its file does, so a kill -9 during create leaves the whole network or nothing.
 * Kept in memory after open; writes go to disk first. Names are unique by the caller's check ({@link NetworkService}
 * serialises every change); lookups follow Docker's order: full id, then full name, then a unique id prefix.
 */
public final class NetworkStore {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path dir;
    private final Map<String, Network> byId = new ConcurrentHashMap<>();

    private NetworkStore(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating, 0700) the directory, sweeps temp files a kill left and loads every definition. */
    public static NetworkStore open(Path dir) {
        NetworkStore s = new NetworkStore(dir);
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path e : entries) {
                    String f = e.getFileName().toString();
                    if (f.startsWith(".tmp-")) {
                        Files.deleteIfExists(e);
                    } else if (f.endsWith(".json") && ID.matcher(f.substring(0, f.length() - 5)).matches()) {
                        Network n = JSON.readValue(e.toFile(), Network.class);
                        s.byId.put(n.id(), n);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the network store " + dir, e);
        }
        return s;
    }

    public Path directory() {
        return dir;
    }

    /** Writes {@code n} durably, then makes it visible. */
    public void put(Network n) {
        if (!ID.matcher(n.id()).matches()) throw new IllegalArgumentException("not a network id: " + n.id());
        try {
            AtomicFile.write(file(n.id()), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n), AtomicFile.OWNER_ONLY);
        } catch (IOException e) {
            throw new SystemFailureException("cannot write network " + n.name() + ": " + e.getMessage(), e);
        }
        byId.put(n.id(), n);
    }

    public void remove(String id) {
        try {
            Files.deleteIfExists(file(id));
            AtomicFile.syncDirectory(dir);
        } catch (IOException e) {
            throw new SystemFailureException("cannot remove network " + id + ": " + e.getMessage(), e);
        }
        byId.remove(id);
    }

    /** Every network, by name. */
    public List<Network> list() {
        List<Network> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparing(Network::name));
        return all;
    }

    public Optional<Network> byName(String name) {
        return byId.values().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /**
     * Docker's lookup: a full id, else a full name, else an id prefix that matches exactly one network. An
     * ambiguous prefix and no match are both "not found" answers naming the reference.
     */
    public Optional<Network> find(String ref) {
        if (ref == null || ref.isEmpty()) return Optional.empty();
        Network exact = byId.get(ref);
        if (exact != null) return Optional.of(exact);
        Optional<Network> named = byName(ref);
        if (named.isPresent()) return named;
        List<Network> prefixed = byId.values().stream().filter(n -> n.id().startsWith(ref)).toList();
        if (prefixed.size() > 1) {
            throw new NotFoundException("network " + ref + " is ambiguous (" + prefixed.size() + " matches found based on ID prefix)");
        }
        return prefixed.stream().findFirst();
    }

    /** As {@link #find}, with Docker's "network X not found" when nothing matches. */
    public Network get(String ref) {
        return find(ref).orElseThrow(() -> new NotFoundException("network " + ref + " not found"));
    }

    private Path file(String id) {
        return dir.resolve(id + ".json");
    }
}
