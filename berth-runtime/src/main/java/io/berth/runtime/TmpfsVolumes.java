package io.berth.runtime;

import io.berth.linux.ErrnoException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The tmpfs of local tmpfs volumes ({@code volume create -o type=tmpfs}), as Docker's local driver does it: a tmpfs
 * is mounted on the volume's _data when the first running container that uses it starts, and unmounted when the
 * last one's run ends, its content going with it.
 * <p>
 * The count of users is a directory of marker files on the exec root, which is tmpfs like the mounts themselves,
 * so a reboot clears both together:
 * <pre>
 * EXEC-ROOT/volume-users/&lt;volume&gt;/&lt;container id&gt;   one empty file per run that uses the volume
 * </pre>
 * A user's marker is written before the mount is made and removed before the unmount is decided, so after a
 * {@code kill -9} of berthd a marker may name a run that is over, never the reverse. Recovery tears down every run
 * that is over, which removes its marker and unmounts a volume no marker names any more; a running container's
 * marker keeps its volume mounted. One lock orders acquire and release, so two containers starting on one volume
 * mount it once. Volume names ({@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}) and container ids are safe path components.
 */
public final class TmpfsVolumes {
    private static final int EBUSY = 16;
    private final Path usersDir;
    private final Object lock = new Object();

    public TmpfsVolumes(Path execRoot) {
        this.usersDir = execRoot.resolve("volume-users");
    }

    /** Counts {@code containerId} as a user of the volume of {@code m}, and mounts its tmpfs when it is the first. */
    void acquire(String containerId, MountPoint m) throws IOException {
        Path data = Path.of(m.source());
        synchronized (lock) {
            Path users = Files.createDirectories(usersDir.resolve(m.volume()));
            try {
                Files.createFile(users.resolve(containerId));
            } catch (FileAlreadyExistsException again) {
                // a start after a killed one: the same user
            }
            if (OverlayMount.isMounted(data)) return;
            String options = String.join(",", m.tmpfsOptions());
            LinuxCalls.mount("tmpfs", data.toString(), "tmpfs", 0, options.isEmpty() ? null : options);
        }
    }

    /** Ends {@code containerId}'s use of the volume of {@code m}; the last user's end unmounts the tmpfs. */
    void release(String containerId, MountPoint m) throws IOException {
        synchronized (lock) {
            Path users = usersDir.resolve(m.volume());
            Files.deleteIfExists(users.resolve(containerId));
            unmountIfUnused(m.volume(), Path.of(m.source()));
        }
    }

    /**
     * Unmounts the tmpfs of volume {@code name} at {@code data} when no run uses it: what the daemon's start does for
     * every tmpfs volume after recovery, for a mount whose users all went while berthd was down.
     */
    public void releaseIfUnused(String name, Path data) {
        synchronized (lock) {
            try {
                unmountIfUnused(name, data);
            } catch (IOException e) {
                throw new SystemFailureException("unmounting tmpfs volume " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /** Whether the volume's tmpfs is mounted now (a running container uses it). */
    public boolean mounted(Path data) {
        return OverlayMount.isMounted(data);
    }

    private void unmountIfUnused(String name, Path data) throws IOException {
        Path users = usersDir.resolve(name);
        try (var left = Files.list(users)) {
            if (left.findAny().isPresent()) return;
        } catch (NoSuchFileException none) {
            // never used since the exec root was made
        }
        try {
            while (OverlayMount.isMounted(data)) {
                try {
                    LinuxCalls.umount2(data.toString(), 0);
                } catch (ErrnoException e) {
                    // a cp or du of berthd's own may hold it for a moment: it goes when they let go
                    if (e.errno() != EBUSY) throw e;
                    LinuxCalls.umount2(data.toString(), LinuxCalls.MNT_DETACH);
                }
            }
        } catch (ErrnoException e) {
            if (e.errno() != LinuxCalls.EINVAL && e.errno() != LinuxCalls.ENOENT) throw e;
        }
        Files.deleteIfExists(users);
    }
}
