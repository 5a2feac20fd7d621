package io.berth.build.context;

import io.berth.fs.FileHandle;
import io.berth.fs.RootedDir;
import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;
import io.berth.oci.Digest;
import io.berth.oci.errors.BerthException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.store.DirectoryUntar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files a build may read: a directory on disk, or a tar (the Engine API's {@code POST /build} body)
 * extracted into a scratch directory that {@link #close()} removes.
 *
 * <p>Everything is looked up <em>inside</em> {@link #root()}: a COPY source is cleaned as if the root were "/"
 * ({@code ../outside} and {@code /etc/passwd} name {@code outside} and {@code etc/passwd} in the context, as in
 * Docker), symlinks in the middle of a source path are resolved within the root, and a symlink that is itself
 * copied (a source, or an entry inside a copied directory) is returned as a symlink, never followed. So no
 * source can make the builder read a file outside the context. {@code .dockerignore} in the root hides what it
 * excludes from {@link #resolve}; the Dockerfile and {@code .dockerignore} themselves stay readable through
 * {@link #readDockerfile} as Docker's builder needs them even when they are excluded.
 *
 * <p>Only metadata is read while resolving; file contents are read by {@link #contentDigest} and by whoever
 * copies the files, and only for the files a COPY/ADD names.
 */
public final class BuildContext implements AutoCloseable {
    private static final String IGNORE_FILE = ".dockerignore";
    /** Dockerfiles bigger than this are refused before reading them into memory. */
    private static final long MAX_DOCKERFILE = 64L << 20;

    private final Path root;
    private final DockerIgnore ignore;
    private final boolean ownsRoot;

    private BuildContext(Path root, DockerIgnore ignore, boolean ownsRoot) {
        this.root = root;
        this.ignore = ignore;
        this.ownsRoot = ownsRoot;
    }

    /** A context that reads {@code dir} in place (nothing is copied; close() leaves it alone). */
    public static BuildContext fromDirectory(Path dir) {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            throw new NotFoundException("build context " + dir + " does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new InvalidArgumentException("build context " + dir + " is not a directory");
        }
        return new BuildContext(root, readIgnore(root), false);
    }

    /**
     * Extracts a tar (plain or gzip-compressed) into {@code scratchDir}, which this context then owns and
     * {@link #close()} deletes. Unsafe entries (absolute names, "..", writes through symlinks, device nodes)
     * are refused with the same rules as a {@code docker cp} into a container; ownership in the tar is ignored.
     */
    public static BuildContext fromTar(InputStream tar, Path scratchDir) {
        Path root;
        try {
            Files.createDirectories(scratchDir);
            root = scratchDir.toRealPath();
        } catch (IOException e) {
            throw new SystemFailureException("cannot create build context directory " + scratchDir + ": " + e.getMessage(), e);
        }
        try {
            DirectoryUntar.extract(tar, root, "/", false, false);
        } catch (BerthException e) {
            deleteTree(root);
            throw new InvalidArgumentException("invalid build context tar: " + e.getMessage(), e);
        }
        return new BuildContext(root, readIgnore(root), true);
    }

    public Path root() {
        return root;
    }

    public DockerIgnore ignore() {
        return ignore;
    }

    /**
     * Reads the Dockerfile at {@code path} (relative to the root; null or empty means "Dockerfile", falling back
     * to "dockerfile" as Docker does). The path must stay inside the context; symlinks are resolved inside it.
     */
    public String readDockerfile(String path) {
        boolean defaulted = path == null || path.isBlank();
        String name = defaulted ? "Dockerfile" : path;
        String relative = insideContext(name);
        Path file = inRoot(relative, true);
        if (defaulted && (file == null || !Files.isRegularFile(file))) {
            Path lower = inRoot("dockerfile", true);
            if (lower != null && Files.isRegularFile(lower)) {
                file = lower;
            }
        }
        if (file == null || !Files.isRegularFile(file)) {
            throw new NotFoundException("Cannot locate specified Dockerfile: " + name);
        }
        try {
            if (Files.size(file) > MAX_DOCKERFILE) {
                throw new InvalidArgumentException("Dockerfile " + name + " is larger than " + (MAX_DOCKERFILE >> 20) + " MiB");
            }
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SystemFailureException("cannot read Dockerfile " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where {@code relative} is, resolved by the kernel inside the root (symlinks lead inside it; the final one is
     * followed when {@code followLast}), as a host path; null when nothing is there. The context is berthd's own
     * extraction or the caller's directory, which no container changes, so a path is fine as the result.
     */
    private Path inRoot(String relative, boolean followLast) {
        try (RootedDir dir = RootedDir.open(root);
             FileHandle found = dir.resolve(relative, RootedDir.Links.FOLLOW_IN_ROOT, followLast)) {
            String where = dir.pathOf(found);
            return where == null ? null : where.isEmpty() ? root : root.resolve(where);
        } catch (ErrnoException e) {
            if (e.errno() == FileCalls.ENOENT || e.errno() == FileCalls.ENOTDIR || e.errno() == FileCalls.ELOOP) {
                return null;
            }
            throw new SystemFailureException("cannot look up " + relative + " in the build context: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SystemFailureException("cannot look up " + relative + " in the build context: " + e.getMessage(), e);
        }
    }

    /** A path given for the Dockerfile, relative to the root; refuses one that leaves the context. */
    private String insideContext(String name) {
        Path given = Path.of(name);
        if (given.isAbsolute()) {
            Path normalized = given.normalize();
            if (!normalized.startsWith(root)) {
                throw new InvalidArgumentException("the Dockerfile (" + name + ") must be within the build context");
            }
            return root.relativize(normalized).toString();
        }
        String cleaned = DockerIgnore.clean(name);
        if (cleaned.equals("..") || cleaned.startsWith("../")) {
            throw new InvalidArgumentException("the Dockerfile (" + name + ") must be within the build context");
        }
        return cleaned;
    }

    /**
     * Resolves COPY/ADD sources to the files to copy, in order. For each source:
     * <ul>
     *   <li>a file or symlink yields one {@link ContextFile} with {@code relativePath ""} (it goes to the
     *       destination itself, or to destination/its name when the destination is a directory);</li>
     *   <li>a directory yields its contents, not itself: every entry below it, parents before children, names
     *       sorted, with {@code relativePath} relative to that directory (Docker copies a directory's
     *       contents);</li>
     *   <li>wildcards ({@code * ? [...]}, per path segment, never crossing "/") expand to each match in name
     *       order, each handled as above.</li>
     * </ul>
     * Paths excluded by {@code .dockerignore} are invisible. A directory excluded itself but holding
     * re-included entries is still listed so that the copy creates it.
     *
     * @throws NotFoundException when a source matches nothing
     */
    public List<ContextFile> resolve(List<String> sources) {
        List<ContextFile> result = new ArrayList<>();
        for (String source : sources) {
            List<Path> matches = matches(source);
            if (matches.isEmpty()) {
                throw new NotFoundException("COPY failed: file not found in build context or excluded by .dockerignore: stat "
                        + source + ": file does not exist");
            }
            for (Path match : matches) {
                ContextFile file = describe(match, "");
                if (file.directory()) {
                    walk(match, "", result);
                } else {
                    result.add(file);
                }
            }
        }
        return List.copyOf(result);
    }

    /** The paths one source names, after cleaning it inside the root and expanding wildcards. */
    private List<Path> matches(String source) {
        String cleaned = DockerIgnore.clean("/" + source);
        if (cleaned.equals(".")) {
            return List.of(root);
        }
        String[] segments = cleaned.split("/");
        if (!hasWildcard(cleaned)) {
            // Intermediate symlinks are followed inside the root; a final symlink is the object copied.
            Path path = inRoot(cleaned, false);
            return path != null && visible(path) ? List.of(path) : List.of();
        }
        List<Path> current = List.of(root);
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            List<Path> next = new ArrayList<>();
            for (Path dir : current) {
                Path scoped = inRoot(relative(dir), true);
                if (scoped == null || !Files.isDirectory(scoped, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (!hasWildcard(segments[i])) {
                    Path child = scoped.resolve(unescape(segments[i]));
                    if (Files.exists(child, LinkOption.NOFOLLOW_LINKS)) {
                        next.add(child);
                    }
                    continue;
                }
                Pattern pattern = Pattern.compile(DockerIgnore.toRegex(segments[i]));
                for (Path child : list(scoped)) {
                    if (pattern.matcher(child.getFileName().toString()).matches()) {
                        next.add(child);
                    }
                }
            }
            // An excluded directory in the middle may still hold re-included entries; excluded() checks parents.
            current = last ? next.stream().filter(this::visible).toList() : next;
        }
        return current;
    }

    /** Not excluded, or an excluded directory under which an exception may re-include something. */
    private boolean visible(Path path) {
        String rel = relative(path);
        return !ignore.excluded(rel)
                || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && ignore.mayIncludeBelow(rel);
    }

    /** Appends the entries below {@code dir} (not following symlinks), skipping what .dockerignore hides. */
    private void walk(Path dir, String prefix, List<ContextFile> out) {
        for (Path child : list(dir)) {
            String rel = relative(child);
            String placed = prefix.isEmpty() ? child.getFileName().toString() : prefix + "/" + child.getFileName();
            ContextFile file = describe(child, placed);
            boolean excluded = ignore.excluded(rel);
            if (file.directory()) {
                if (!excluded) {
                    out.add(file);
                    walk(child, placed, out);
                } else if (ignore.mayIncludeBelow(rel)) {
                    List<ContextFile> below = new ArrayList<>();
                    walk(child, placed, below);
                    if (!below.isEmpty()) {
                        out.add(file);
                        out.addAll(below);
                    }
                }
            } else if (!excluded) {
                out.add(file);
            }
        }
    }

    /**
     * A stable digest of what the files would put in a layer: for each file, in order, where it goes, its type,
     * permission bits, link target and content. Modification times, ownership and the context's location on
     * disk are left out, so an unchanged context gives the same digest on any machine.
     */
    public Digest contentDigest(List<ContextFile> files) {
        MessageDigest sha = newSha256();
        byte[] buffer = new byte[64 * 1024];
        for (ContextFile file : files) {
            // A top-level file keeps its own name when the destination is a directory, so the name counts.
            String name = file.relativePath().isEmpty() ? "/" + file.path().getFileName() : file.relativePath();
            String type = file.directory() ? "d" : file.symlink() ? "l" : "f";
            String header = type + "\0" + name + "\0" + Integer.toOctalString(file.mode()) + "\0"
                    + (file.symlink() ? file.linkTarget() : "") + "\0" + (file.directory() || file.symlink() ? 0 : file.size()) + "\0";
            sha.update(header.getBytes(StandardCharsets.UTF_8));
            if (!file.directory() && !file.symlink()) {
                requireInside(file.path());
                try (InputStream in = Files.newInputStream(file.path(), LinkOption.NOFOLLOW_LINKS)) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        sha.update(buffer, 0, n);
                    }
                } catch (IOException e) {
                    throw new SystemFailureException("cannot read " + relative(file.path()) + " from the build context: " + e.getMessage(), e);
                }
            }
        }
        return Digest.of(Digest.SHA256, sha.digest());
    }

    @Override
    public void close() {
        if (ownsRoot) {
            deleteTree(root);
        }
    }

    private ContextFile describe(Path path, String placed) {
        requireInside(path);
        try {
            PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int mode = permissionBits(path, attrs);
            String target = attrs.isSymbolicLink() ? Files.readSymbolicLink(path).toString() : null;
            return new ContextFile(placed, path, attrs.isDirectory(), attrs.isSymbolicLink(), target,
                    attrs.isRegularFile() ? attrs.size() : 0, mode, attrs.lastModifiedTime().toMillis());
        } catch (IOException e) {
            throw new SystemFailureException("cannot stat " + relative(path) + " in the build context: " + e.getMessage(), e);
        }
    }

    /** Permission bits including setuid/setgid/sticky (the "unix:mode" view has them; POSIX perms do not). */
    private static int permissionBits(Path path, PosixFileAttributes attrs) throws IOException {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (mode instanceof Integer m) {
                return m & 07777;
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // Fall through to the portable view.
        }
        int bits = 0;
        for (PosixFilePermission p : attrs.permissions()) {
            bits |= 1 << (8 - p.ordinal());
        }
        return bits;
    }

    private void requireInside(Path path) {
        if (!path.normalize().startsWith(root)) {
            throw new InvalidArgumentException("path " + path + " is outside the build context");
        }
    }

    private String relative(Path path) {
        String rel = root.relativize(path).toString();
        return rel.isEmpty() ? "." : rel;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new SystemFailureException("cannot list " + dir + " in the build context: " + e.getMessage(), e);
        }
    }

    private static boolean hasWildcard(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '*' || c == '?' || c == '[') {
                return true;
            }
        }
        return false;
    }

    private static String unescape(String segment) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '\\' && i + 1 < segment.length()) {
                c = segment.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    private static DockerIgnore readIgnore(Path root) {
        Path file = root.resolve(IGNORE_FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return DockerIgnore.NONE;
        }
        try {
            return DockerIgnore.parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SystemFailureException("cannot read .dockerignore: " + e.getMessage(), e);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new SystemFailureException("cannot remove build context " + dir + ": " + e.getMessage(), e);
        }
    }
}
