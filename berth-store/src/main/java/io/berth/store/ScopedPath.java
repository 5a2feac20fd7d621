package io.berth.store;

import io.berth.oci.errors.InvalidArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a path inside a root directory (a container's rootfs) as if the root were "/": symlinks are
 * followed but their targets, absolute or with "..", are interpreted inside the root, so the result can never
 * leave it. This is how {@code docker cp} must treat paths in a container, whose symlinks were written by
 * whoever built the image.
 */
public final class ScopedPath {
    private static final int MAX_SYMLINKS = 255;

    private ScopedPath() {
    }

    /** Resolves every component of {@code path} (absolute or relative, both taken from the root). */
    public static Path resolve(Path root, String path) {
        return resolve(root, path, true);
    }

    /**
     * Resolves {@code path} inside {@code root}; when {@code followLast} is false the final component is taken as
     * is (a symlink there is the object itself, to be replaced or archived, not followed).
     */
    public static Path resolve(Path root, String path, boolean followLast) {
        Deque<String> todo = new ArrayDeque<>(split(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path candidate = join(root, done).resolve(part);
            boolean last = todo.stream().allMatch(p -> p.isEmpty() || p.equals("."));
            if ((followLast || !last) && Files.isSymbolicLink(candidate)) {
                if (++links > MAX_SYMLINKS) {
                    throw new InvalidArgumentException("too many levels of symbolic links in " + path);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException e) {
                    throw new InvalidArgumentException("cannot read symlink " + candidate + ": " + e.getMessage());
                }
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> targetParts = split(target);
                for (int i = targetParts.size() - 1; i >= 0; i--) {
                    todo.push(targetParts.get(i));
                }
                continue;
            }
            done.add(part);
        }
        return join(root, done);
    }

    /** True when {@code path} exists in the root after scoped resolution, without following a final symlink. */
    public static boolean exists(Path root, String path) {
        return Files.exists(resolve(root, path, false), LinkOption.NOFOLLOW_LINKS);
    }

    private static List<String> split(String path) {
        return List.of(path.split("/"));
    }

    private static Path join(Path root, List<String> parts) {
        Path p = root;
        for (String part : parts) {
            p = p.resolve(part);
        }
        return p;
    }
}
