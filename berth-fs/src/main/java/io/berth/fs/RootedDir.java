package io.berth.fs;

import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.berth.linux.FileCalls.O_CLOEXEC;
import static io.berth.linux.FileCalls.O_DIRECTORY;
import static io.berth.linux.FileCalls.O_NOFOLLOW;
import static io.berth.linux.FileCalls.O_PATH;
import static io.berth.linux.FileCalls.RESOLVE_IN_ROOT;
import static io.berth.linux.FileCalls.RESOLVE_NO_MAGICLINKS;
import static io.berth.linux.FileCalls.RESOLVE_NO_SYMLINKS;

/**
 * A directory taken as "/" for every path resolved in it: a container's root filesystem, a layer being
 * unpacked, the target of a copy. The kernel resolves each path inside it ({@code openat2} with
 * {@code RESOLVE_IN_ROOT}: ".." stops at the root, an absolute symlink starts again from it, /proc magic links
 * are refused), so no path, however its symlinks are swapped while it is resolved, reaches anything outside.
 * What the resolution returns is a {@link FileHandle}: later calls act on that descriptor, not on a path.
 */
public final class RootedDir implements AutoCloseable {
    /** How symlinks on the way are treated. */
    public enum Links {
        /** Followed, inside the root, as a process chrooted there would see them (docker cp). */
        FOLLOW_IN_ROOT,
        /** Refused (ELOOP): a layer never writes through a symlink. */
        REFUSE
    }

    private final Path path;
    private final FileHandle root;

    private RootedDir(Path path, FileHandle root) {
        this.path = path;
        this.root = root;
    }

    /** Holds {@code dir} (which must be a directory, not a symlink to one) as a root. */
    public static RootedDir open(Path dir) throws ErrnoException {
        int fd = FileCalls.openat(FileCalls.AT_FDCWD, dir.toString(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        return new RootedDir(dir, new FileHandle(fd));
    }

    /** Where this root is on the host, for messages. */
    public Path path() {
        return path;
    }

    /** The root directory itself; owned by this object, not to be closed by the caller. */
    public FileHandle handle() {
        return root;
    }

    /**
     * {@code path} (absolute or relative, both taken from the root) resolved inside the root; the final
     * component is followed when {@code followLast}, else a symlink there is the symlink itself.
     */
    public FileHandle resolve(String path, Links links, boolean followLast) throws ErrnoException {
        int flags = O_PATH | O_CLOEXEC | (followLast ? 0 : O_NOFOLLOW);
        return new FileHandle(FileCalls.openat2(root.fd(), relative(path), flags, 0, resolveFlags(links)));
    }

    /** The directory at {@code path}, resolved inside the root; ENOTDIR if it is something else. */
    public FileHandle resolveDir(String path, Links links) throws ErrnoException {
        return new FileHandle(FileCalls.openat2(root.fd(), relative(path), O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
                resolveFlags(links)));
    }

    /**
     * Where {@code handle} is now, as a path from this root ("" is the root): the kernel's name for the held
     * object, for naming it (a cp's top entry) or resolving it again later. Null if it is not below the root.
     */
    public String pathOf(FileHandle handle) throws IOException {
        String rootReal = Files.readSymbolicLink(root.procPath()).toString();
        String real = Files.readSymbolicLink(handle.procPath()).toString();
        if (real.equals(rootReal)) {
            return "";
        }
        String prefix = rootReal.endsWith("/") ? rootReal : rootReal + "/";
        return real.startsWith(prefix) ? real.substring(prefix.length()) : null;
    }

    private static long resolveFlags(Links links) {
        long flags = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
        return links == Links.REFUSE ? flags | RESOLVE_NO_SYMLINKS : flags;
    }

    /** openat2 with RESOLVE_IN_ROOT takes "/" as the root anyway; "" would be refused, so it becomes ".". */
    private static String relative(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.isEmpty() ? "." : p;
    }

    @Override
    public void close() {
        root.close();
    }
}
