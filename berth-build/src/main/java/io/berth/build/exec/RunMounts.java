package io.berth.build.exec;

import io.berth.fs.FileHandle;
import io.berth.fs.RootedDir;
import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.runtime.MountPoint;
import io.berth.runtime.MountsSpec;
import io.berth.runtime.OverlayMounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The mounts of one RUN, made before its container and undone after it. None of them reaches the layer: a mount
 * hides what the command writes there from the container's upper dir, and the directories the runtime creates as
 * mount points ({@link #stubs()}) are left out of the diff, as BuildKit removes its mount stubs.
 * <ul>
 * <li>bind: a private overlay of the build context (or of the stage or image {@code from}) with its upper dir in
 * this RUN's scratch, so a {@code rw} bind's writes are discarded with it; {@code source} is resolved inside that
 * view (symlinks followed inside it, never out) and the result bound, read-only unless {@code rw};</li>
 * <li>cache: a directory of {@link CacheMounts}, bound read-write (or read-only);</li>
 * <li>tmpfs: a tmpfs of the given size, exec allowed as in BuildKit.</li>
 * </ul>
 */
final class RunMounts implements AutoCloseable {
    private final Path scratch;
    private final List<CacheMounts.Use> uses = new ArrayList<>();
    private final List<MountPoint> mounts = new ArrayList<>();
    private final Set<String> stubs = new HashSet<>();

    private RunMounts(Path scratch) {
        this.scratch = scratch;
    }

    /**
     * @param contextRoot the build context's directory
     * @param lowersOf    the lower dirs (topmost first) of a stage or image named by {@code from}
     * @param image       the RUN's own rootfs, to tell which mount points the runtime will have to create
     */
    static RunMounts prepare(List<RunMount> requested, CacheMounts caches, Path contextRoot,
                             Function<String, List<Path>> lowersOf, RootfsView image) {
        if (requested.isEmpty()) return new RunMounts(null);
        RunMounts r;
        try {
            r = new RunMounts(caches.newScratch());
        } catch (IOException e) {
            throw new SystemFailureException("cannot make scratch space for RUN --mount: " + e.getMessage(), e);
        }
        try {
            int n = 0;
            for (RunMount m : requested) {
                switch (m.type()) {
                    case BIND -> r.bind(m, m.from().isEmpty() ? List.of(contextRoot) : lowersOf.apply(m.from()), n++);
                    case CACHE -> {
                        CacheMounts.Use use = caches.acquire(m, r.scratch);
                        r.uses.add(use);
                        r.mounts.add(MountPoint.bind(MountPoint.Origin.MOUNTS, use.dir().toString(), m.target(), m.readOnly(), "", "rprivate"));
                    }
                    case TMPFS -> r.mounts.add(MountPoint.tmpfs(MountPoint.Origin.MOUNTS, m.target(), false,
                            m.size().isEmpty() ? List.of("exec") : List.of("exec", "size=" + m.size())));
                }
                r.addStubs(m.target(), image);
            }
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            if (e instanceof RuntimeException re) throw re;
            throw new SystemFailureException("preparing RUN --mount: " + e.getMessage(), e);
        }
    }

    MountsSpec spec() {
        return new MountsSpec(mounts);
    }

    /** Paths (relative to the rootfs) that exist only as mount points: the target and parents the image lacks. */
    Set<String> stubs() {
        return Set.copyOf(stubs);
    }

    private void bind(RunMount m, List<Path> lowers, int n) throws IOException {
        Path part = Files.createDirectories(scratch.resolve(Integer.toString(n)));
        Path upper = Files.createDirectory(part.resolve("upper"));
        Path work = Files.createDirectory(part.resolve("work"));
        Path merged = Files.createDirectory(part.resolve("merged"));
        OverlayMounts.mount(lowers, upper, work, merged);
        String where = m.from().isEmpty() ? "the build context" : m.from();
        try (RootedDir root = RootedDir.open(merged)) {
            FileHandle h;
            try {
                h = root.resolve(m.source(), RootedDir.Links.FOLLOW_IN_ROOT, true);
            } catch (ErrnoException e) {
                if (e.errno() == FileCalls.ENOENT || e.errno() == FileCalls.ENOTDIR || e.errno() == FileCalls.ELOOP) {
                    throw new InvalidArgumentException("RUN --mount: source \"" + m.source() + "\" not found in " + where);
                }
                throw e;
            }
            try (h) {
                String rel = root.pathOf(h);
                if (rel == null) throw new InvalidArgumentException("RUN --mount: source \"" + m.source() + "\" is outside " + where);
                Path source = rel.isEmpty() ? merged : merged.resolve(rel);
                mounts.add(MountPoint.bind(MountPoint.Origin.MOUNTS, source.toString(), m.target(), m.readOnly(), "", "rprivate"));
            }
        }
    }

    private void addStubs(String target, RootfsView image) {
        for (String rel = target.substring(1); !rel.isEmpty(); rel = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : "") {
            if (image.find(rel).isEmpty()) stubs.add(rel);
        }
    }

    /** Ends the cache uses, unmounts the overlays and deletes the scratch (a mount that stays is left to the next start's sweep). */
    @Override
    public void close() {
        uses.forEach(CacheMounts.Use::close);
        if (scratch == null) return;
        try {
            CacheMounts.discardScratch(scratch);
        } catch (IOException | RuntimeException e) {
            java.util.logging.Logger.getLogger(RunMounts.class.getName()).warning("RUN --mount scratch " + scratch + ": " + e.getMessage());
        }
    }
}
