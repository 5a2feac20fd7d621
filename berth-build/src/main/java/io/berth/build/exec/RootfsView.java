package io.berth.build.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads an image's root filesystem straight from its overlay lowerdirs (topmost first), the way overlayfs
 * would show it, without mounting: the topmost layer holding a path wins, a 0/0 character device hides the
 * path in the layers below, and an opaque directory hides everything below it in lower layers. Paths are
 * relative to the root ("etc/passwd"); symlinks are resolved only where a method says so, always inside the root.
 */
final class RootfsView {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int MAX_SYMLINKS = 40;

    private final List<Path> lowerDirs;

    RootfsView(List<Path> lowerDirs) {
        this.lowerDirs = List.copyOf(lowerDirs);
    }

    static boolean isWhiteout(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            return ((Integer) a.get("mode") & S_IFMT) == S_IFCHR && ((Long) a.get("rdev")) == 0L;
        } catch (IOException e) {
            return false;
        }
    }

    /** The physical file that shows at {@code path} (not following a final symlink), if any. */
    Optional<Path> find(String path) {
        String rel = normalize(path);
        if (rel.isEmpty()) {
            return lowerDirs.isEmpty() ? Optional.empty() : Optional.of(lowerDirs.getFirst());
        }
        String[] parts = rel.split("/");
        for (Path layer : lowerDirs) {
            Path p = layer;
            boolean hidden = false;
            boolean opaqueAbove = false;
            for (int i = 0; i < parts.length; i++) {
                p = p.resolve(parts[i]);
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    break;
                }
                if (isWhiteout(p)) {
                    hidden = true;
                    break;
                }
                if (i == parts.length - 1) {
                    return Optional.of(p);
                }
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    hidden = true; // a file in this layer replaces whatever directory lower layers had
                    break;
                }
                if (Xattrs.isOpaque(p)) {
                    opaqueAbove = true;
                }
            }
            if (hidden || opaqueAbove) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    boolean isDirectory(String path) {
        return find(path).filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).isPresent();
    }

    /** Names in a directory as the merged view shows them, sorted. */
    List<String> list(String dir) {
        String rel = normalize(dir);
        TreeSet<String> names = new TreeSet<>();
        TreeSet<String> hidden = new TreeSet<>();
        for (Path layer : lowerDirs) {
            Path p = rel.isEmpty() ? layer : layer.resolve(rel);
            if (!rel.isEmpty() && !layerShows(layer, rel)) {
                break;
            }
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    break;
                }
                continue;
            }
            try (Stream<Path> s = Files.list(p)) {
                for (Path child : s.toList()) {
                    String name = child.getFileName().toString();
                    if (hidden.contains(name) || names.contains(name)) {
                        continue;
                    }
                    if (isWhiteout(child)) {
                        hidden.add(name);
                    } else {
                        names.add(name);
                    }
                }
            } catch (IOException e) {
                break;
            }
            if (Xattrs.isOpaque(p)) {
                break;
            }
        }
        return new ArrayList<>(names);
    }

    /** False when a parent of {@code rel} in this layer is a whiteout or a file (the path is gone from here down). */
    private static boolean layerShows(Path layer, String rel) {
        Path p = layer;
        for (String part : rel.split("/")) {
            p = p.resolve(part);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            if (isWhiteout(p)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Resolves every symlink in {@code path} inside the root (absolute targets and ".." stay inside), the final
     * component too when {@code followLast}; returns the resolved relative path.
     */
    String resolve(String path, boolean followLast) {
        List<String> pending = new ArrayList<>(List.of(normalize(path).split("/")));
        pending.removeIf(String::isEmpty);
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.removeFirst();
            if (part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            done.add(part);
            if (pending.isEmpty() && !followLast) {
                break;
            }
            Optional<Path> found = find(String.join("/", done));
            if (found.isPresent() && Files.isSymbolicLink(found.get()) && links++ < MAX_SYMLINKS) {
                String target;
                try {
                    target = Files.readSymbolicLink(found.get()).toString();
                } catch (IOException e) {
                    continue;
                }
                done.removeLast();
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> next = new ArrayList<>(List.of(target.split("/")));
                next.removeIf(String::isEmpty);
                next.addAll(pending);
                pending = next;
            }
        }
        return String.join("/", done);
    }

    /** Reads a small file (e.g. /etc/passwd) through symlinks, or empty when absent. */
    Optional<byte[]> read(String path) {
        Optional<Path> p = find(resolve(path, true));
        if (p.isEmpty() || !Files.isRegularFile(p.get(), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(p.get()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** "/a//b/./c/" -> "a/b/c" (".." is kept for {@link #resolve}). */
    static String normalize(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }
}
