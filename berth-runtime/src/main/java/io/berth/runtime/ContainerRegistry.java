package io.berth.runtime;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The containers this service knows, found the way Docker finds them: by full id, by name (with or without
 * the leading "/"), or by a unique id prefix. Names are claimed under one lock, so two creates or renames
 * cannot take the same name.
 */
final class ContainerRegistry {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, ContainerEntry> byId = new ConcurrentHashMap<>();
    private final Object namesLock = new Object();

    /**
     * Registers a new container under {@code requestedName} (a generated one if empty); {@code make} builds it
     * from the final name, still under the names lock, so its files exist before anyone can look it up.
     */
    ContainerEntry add(String id, String requestedName, Function<String, Container> make) {
        synchronized (namesLock) {
            if (byId.containsKey(id)) throw new ConflictException("container " + id + " already exists");
            String name = requestedName == null || requestedName.isEmpty() ? uniqueGeneratedName()
                    : ContainerNames.normalize(requestedName);
            checkNameFree(name, null);
            ContainerEntry entry = new ContainerEntry(make.apply(name));
            byId.put(id, entry);
            return entry;
        }
    }

    /** Adds a container loaded from disk; false if one with that id is known already. */
    boolean addRecovered(ContainerEntry e) {
        return byId.putIfAbsent(e.c.id(), e) == null;
    }

    void forget(String id) {
        byId.remove(id);
    }

    /** Renames under the names lock; {@code apply} publishes the renamed container. Returns the old name. */
    String rename(ContainerEntry e, String newName, Runnable apply) {
        synchronized (namesLock) {
            String old = e.c.name();
            if (old.equals(newName)) throw new ConflictException("Renaming a container with the same name as its current name");
            checkNameFree(newName, e.c.id());
            apply.run();
            return old;
        }
    }

    ContainerEntry find(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) throw new NotFoundException("No such container: " + idOrName);
        ContainerEntry e = byId.get(idOrName);
        if (e != null && !e.removed) return e;
        String name = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        e = findByName(name);
        if (e != null) return e;
        ContainerEntry match = null;
        for (ContainerEntry x : byId.values()) {
            if (!x.removed && x.c.id().startsWith(idOrName)) {
                if (match != null) throw new InvalidArgumentException("Multiple IDs found with provided prefix: " + idOrName);
                match = x;
            }
        }
        if (match == null) throw new NotFoundException("No such container: " + idOrName);
        return match;
    }

    /** Every entry not removed, in no order. */
    List<ContainerEntry> entries() {
        return byId.values().stream().filter(e -> !e.removed).toList();
    }

    /** Newest first, as docker ps lists them. */
    List<Container> list() {
        return byId.values().stream().filter(e -> !e.removed).map(e -> e.c)
                .sorted(Comparator.comparing((Container c) -> c.spec().created() == null ? Instant.EPOCH : c.spec().created()).reversed())
                .toList();
    }

    private String uniqueGeneratedName() {
        for (int i = 0; i < 100; i++) {
            String n = ContainerNames.generate();
            if (findByName(n) == null) return n;
        }
        String n;
        do {
            n = ContainerNames.generate() + "_" + RANDOM.nextInt(1000);
        } while (findByName(n) != null);
        return n;
    }

    private void checkNameFree(String name, String exceptId) {
        ContainerEntry other = findByName(name);
        if (other != null && !other.c.id().equals(exceptId)) {
            throw new ConflictException("Conflict. The container name \"/" + name + "\" is already in use by container \""
                    + other.c.id() + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
    }

    private ContainerEntry findByName(String name) {
        for (ContainerEntry e : byId.values()) if (!e.removed && e.c.name().equals(name)) return e;
        return null;
    }
}
