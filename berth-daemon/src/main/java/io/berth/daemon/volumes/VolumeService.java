package io.berth.daemon.volumes;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.store.volumes.Volume;
import io.berth.store.volumes.VolumeName;
import io.berth.store.volumes.VolumeStore;

/**
 * Docker's rules for volumes over the local {@link VolumeStore}: names, what create accepts, the existing name
 * answered with the existing volume, removal of used volumes refused, and prune. One lock serialises every
 * change, so two creates of one name yield one volume and a prune never races a create.
 * <p>
 * Only the local driver exists; of its options the bind of a host directory and tmpfs are applied ({@link LocalOptions}),
 * any other is refused by name rather than stored and ignored. A volume's users are the containers whose mounts name it, in any state.
 */
public final class VolumeService {
    public static final String LOCAL = "local";

    /** Which containers use a volume; a used volume is not dangling and cannot be removed or pruned. */
    @FunctionalInterface
    public interface VolumeUsers {
        List<String> containersUsing(String volume);
    }

    /** Where create and destroy events go (the daemon's event bus). */
    @FunctionalInterface
    public interface VolumeEvents {
        void publish(String action, String name, Map<String, String> attributes);
    }

    /** One volume as /system/df reports it. */
    public record Usage(Volume volume, long size, int refCount) {}

    public record PruneReport(List<String> deleted, long spaceReclaimed) {}

    private final VolumeStore store;
    private final VolumeUsers users;
    private final VolumeEvents events;

    public VolumeService(VolumeStore store, VolumeUsers users, VolumeEvents events) {
        this.store = store;
        this.users = users;
        this.events = events;
    }

    /**
     * POST /volumes/create. A null or empty name makes an anonymous volume (a random 64-hex name and Docker's
     * anonymous label); an existing name is answered with the existing volume, its labels unchanged, as Docker does.
     */
    public synchronized Volume create(String name, String driver, Map<String, String> labels,
                                      Map<String, String> options) {
        String d = driver == null || driver.isEmpty() ? LOCAL : driver;
        if (!d.equals(LOCAL)) {
            throw new InvalidArgumentException("berth does not support volume driver \"" + d + "\" (only \"local\")");
        }
        LocalOptions.parse(options);  // refuses what berth does not apply, before anything is made
        Map<String, String> l = labels == null ? new HashMap<>() : new HashMap<>(labels);
        String n = name;
        if (n == null || n.isEmpty()) {
            n = VolumeName.anonymous();
            l.put(Volume.ANONYMOUS_LABEL, "");
        } else {
            VolumeName.check(n);
            var existing = store.find(n);
            if (existing.isPresent()) return existing.get();
        }
        Volume v = new Volume(n, LOCAL, l, options, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        store.create(v);
        events.publish("create", n, Map.of("driver", LOCAL));
        return v;
    }

    public Volume inspect(String name) {
        return store.find(name).orElseThrow(() -> new NotFoundException("get " + name + ": no such volume"));
    }

    public Path mountpoint(String name) {
        return store.mountpoint(name);
    }

    /**
     * What a container's mount of the volume binds: its _data, or the host directory of a
     * {@code type=none,o=bind,device=..} volume, which must exist then (Docker's local driver fails the mount).
     */
    public Path source(Volume v) {
        Path data = store.mountpoint(v.name());
        Path source = LocalOptions.parse(v.options()).source(data);
        if (!source.equals(data) && !java.nio.file.Files.isDirectory(source)) {
            throw new InvalidArgumentException("error while mounting volume '" + data + "': failed to mount local volume: mount "
                    + source + ":" + data + ", flags: 0x1000: no such file or directory");
        }
        return source;
    }

    /** A tmpfs volume's kernel options, or null for a volume that is no tmpfs. */
    public List<String> tmpfsOptions(Volume v) {
        return LocalOptions.parse(v.options()).tmpfs();
    }

    public List<Volume> list(VolumeFilter filter) {
        return store.list().stream().filter(v -> filter.test(v, inUse(v.name()))).toList();
    }

    /** DELETE /volumes/{name}: force only makes a missing volume no error; a used one is refused either way. */
    public synchronized void remove(String name, boolean force) {
        if (store.find(name).isEmpty()) {
            if (force) return;
            throw new NotFoundException("get " + name + ": no such volume");
        }
        List<String> using = users.containersUsing(name);
        if (!using.isEmpty()) {
            throw new ConflictException("remove " + name + ": volume is in use - [" + String.join(", ", using) + "]");
        }
        store.remove(name);
        events.publish("destroy", name, Map.of("driver", LOCAL));
    }

    /** POST /volumes/prune: unused volumes that pass {@code filter} (anonymous ones only, unless all). */
    public synchronized PruneReport prune(VolumeFilter filter) {
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (Volume v : store.list()) {
            if (!filter.test(v, inUse(v.name()))) continue;
            long size = store.size(v.name());
            store.remove(v.name());
            events.publish("destroy", v.name(), Map.of("driver", LOCAL));
            deleted.add(v.name());
            reclaimed += size;
        }
        return new PruneReport(deleted, reclaimed);
    }

    /** Every volume with its size and the number of containers using it, for /system/df. */
    public List<Usage> usage() {
        return store.list().stream()
                .map(v -> new Usage(v, store.size(v.name()), users.containersUsing(v.name()).size()))
                .toList();
    }

    private boolean inUse(String name) {
        return !users.containersUsing(name).isEmpty();
    }
}
