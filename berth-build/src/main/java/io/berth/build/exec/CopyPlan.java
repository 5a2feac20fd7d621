package io.berth.build.exec;

import io.berth.build.context.BuildContext;
import io.berth.build.context.ContextFile;
import io.berth.build.dockerfile.Instruction;
import io.berth.fs.BadArchiveException;
import io.berth.fs.RootedDir;
import io.berth.fs.TarApplier;
import io.berth.oci.Digest;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Plans the layer of one COPY or ADD: which files land where, with which owner and mode, following Docker's
 * rules. A destination ending in "/" (or an existing directory, or several sources) is a directory and sources
 * go inside it; a directory source copies its contents; a relative destination is relative to WORKDIR; missing
 * parent directories are created (owned by --chown's user); files are owned by 0:0 unless --chown says
 * otherwise; modes are kept unless --chmod; ADD unpacks a local tar (plain, gzip, bzip2, xz) into the
 * destination, and downloads an http(s) URL ({@link RemoteSource}) as one file that is never unpacked.
 *
 * @param entries   the layer's entries, including parent directories
 * @param sourceKey what the cache and history call the sources ("file:<hex>", "dir:<hex>", "multi:<hex>")
 * @param tempFiles files and directories (unpacked ADD archives) to delete after the layer is written
 */
record CopyPlan(List<LayerEntry> entries, String sourceKey, List<Path> tempFiles) {

    /** One source item before placement: relative path below its source ("" = the source itself). */
    private record Item(String relativePath, String baseName, boolean directory, boolean symlink, String linkTarget,
                        Path path, byte[] data, int mode, long size, boolean unpackable) {
    }

    static CopyPlan plan(Instruction.Copy copy, List<String> sources, String destination, String workdir,
                         BuildContext context, RootfsView fromRootfs, RootfsView target, Path tmpDir, char escape,
                         Map<String, String> heredocValues) {
        List<Path> temps = new ArrayList<>();
        try {
            return plan(copy, sources, destination, workdir, context, fromRootfs, target, tmpDir, heredocValues, temps);
        } catch (RuntimeException e) {
            deleteTrees(temps); // a download or an unpacked archive of a step that failed
            throw e;
        }
    }

    /** Deletes the plan's downloads and unpacked archives, once its layer is written or the step failed. */
    void deleteTempFiles() {
        deleteTrees(tempFiles);
    }

    private static void deleteTrees(List<Path> trees) {
        for (Path tmp : trees) {
            try (var tree = Files.walk(tmp)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | UncheckedIOException ignored) {
                // swept with the cache's tmp dir
            }
        }
    }

    private static CopyPlan plan(Instruction.Copy copy, List<String> sources, String destination, String workdir,
                                 BuildContext context, RootfsView fromRootfs, RootfsView target, Path tmpDir,
                                 Map<String, String> heredocValues, List<Path> temps) {
        List<Item> items = new ArrayList<>();
        int topLevel = 0;
        List<String> contextSources = new ArrayList<>();
        for (String src : sources) {
            Instruction.Heredoc heredoc = heredoc(copy, src);
            if (heredoc != null) {
                String text = heredocValues.getOrDefault(heredoc.name(), heredoc.content());
                byte[] data = text.getBytes(StandardCharsets.UTF_8);
                items.add(new Item("", heredoc.name(), false, false, null, null, data, 0644, data.length, false));
                topLevel++;
            } else if (RemoteSource.isRemote(src)) {
                if (!copy.add()) {
                    throw new InvalidArgumentException("COPY " + src + ": COPY takes no URLs; use ADD to download a file");
                }
                RemoteSource remote = RemoteSource.download(src, copy.checksum(), tmpDir);
                temps.add(remote.file());
                items.add(new Item("", remote.fileName(), false, false, null, remote.file(), null, 0600,
                        remote.size(), false));
                topLevel++;
            } else if (fromRootfs != null) {
                topLevel += fromRootfsItems(fromRootfs, src, items);
            } else {
                contextSources.add(src);
            }
        }
        String ownKey = sourceKey(items);
        String contextDigest = "";
        if (!contextSources.isEmpty()) {
            List<ContextFile> files = context.resolve(contextSources);
            contextDigest = context.contentDigest(files).hex();
            for (ContextFile f : files) {
                if (f.relativePath().isEmpty()) {
                    topLevel++;
                }
                items.add(new Item(f.relativePath(), f.path().getFileName().toString(), f.directory(), f.symlink(),
                        f.linkTarget(), f.path(), null, f.mode(), f.size(), true));
            }
            if (topLevel == 0 && files.isEmpty()) {
                throw new InvalidArgumentException((copy.add() ? "ADD" : "COPY") + " failed: no source files were specified");
            }
        }
        String kind = sources.size() > 1 || topLevel > 1 ? "multi"
                : items.size() == 1 && !items.getFirst().directory() ? "file" : "dir";
        String sourceKey = kind + ":" + Digest.sha256((ownKey + "\n" + contextDigest).getBytes(StandardCharsets.UTF_8)).hex();

        boolean multiple = sources.size() > 1 || topLevel > 1;
        String dest = destination.startsWith("/") ? destination : (workdir.endsWith("/") ? workdir : workdir + "/") + destination;
        boolean destSaysDir = destination.endsWith("/") || destination.equals(".") || destination.endsWith("/.");
        String destRel = target.resolve(RootfsView.normalize(dest), true);
        boolean destIsDir = destSaysDir || target.isDirectory(destRel);
        if (multiple && !destIsDir) {
            throw new InvalidArgumentException("When using " + (copy.add() ? "ADD" : "COPY")
                    + " with more than one source file, the destination must be a directory and end with a /");
        }
        OwnerResolver.Owner owner = copy.chown() == null || copy.chown().isEmpty() ? new OwnerResolver.Owner(0, 0)
                : OwnerResolver.resolve(copy.chown(), target);
        Integer chmod = parseChmod(copy.chmod());

        Map<String, LayerEntry> out = new TreeMap<>(LayerTarWriter.PATH_ORDER);
        for (Item item : items) {
            String name;
            if (item.relativePath().isEmpty()) {
                if (item.directory()) {
                    name = destRel;
                } else if (copy.add() && item.unpackable() && !item.symlink() && item.path() != null && isArchive(item.path())) {
                    extract(item.path(), destRel, out, temps, tmpDir);
                    continue;
                } else if ((destIsDir || multiple) && item.baseName() == null) {
                    throw new InvalidArgumentException("ADD: cannot determine a file name from the URL; give the "
                            + "destination as a file name, not a directory");
                } else {
                    name = destIsDir || multiple ? join(destRel, item.baseName()) : destRel;
                }
            } else {
                name = join(destRel, item.relativePath());
            }
            if (name.isEmpty()) {
                continue; // copying a directory onto "/": the root itself is not an entry
            }
            int mode = chmod != null ? chmod : item.mode() & 07777;
            LayerEntry e;
            if (item.directory()) {
                e = LayerEntry.directory(name, mode, owner.uid(), owner.gid());
            } else if (item.symlink()) {
                e = LayerEntry.symlink(name, owner.uid(), owner.gid(), item.linkTarget());
            } else if (item.data() != null) {
                e = LayerEntry.bytes(name, mode, owner.uid(), owner.gid(), item.data());
            } else {
                e = LayerEntry.file(name, mode, owner.uid(), owner.gid(), item.size(), item.path());
            }
            out.put(name, e);
        }
        // A directory source copies its contents, so the destination is a directory that must exist.
        if (items.stream().anyMatch(i -> !i.relativePath().isEmpty() || i.directory()) && !destRel.isEmpty()
                && !out.containsKey(destRel) && !target.isDirectory(destRel)) {
            out.put(destRel, LayerEntry.directory(destRel, 0755, owner.uid(), owner.gid()));
        }
        addParents(out, target, owner);
        return new CopyPlan(new ArrayList<>(out.values()), sourceKey, temps);
    }

    /** Directories above each entry: kept as the image has them, or created (owned by --chown's user). */
    static void addParents(Map<String, LayerEntry> out, RootfsView target, OwnerResolver.Owner owner) {
        for (String name : List.copyOf(out.keySet())) {
            String parent = name;
            while (parent.lastIndexOf('/') > 0) {
                parent = parent.substring(0, parent.lastIndexOf('/'));
                if (out.containsKey(parent)) {
                    continue;
                }
                Optional<Path> existing = target.find(parent);
                LayerEntry dir = LayerEntry.directory(parent, 0755, owner.uid(), owner.gid());
                if (existing.isPresent()) {
                    try {
                        Map<String, Object> a = Files.readAttributes(existing.get(), "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
                        dir = LayerEntry.directory(parent, (Integer) a.get("mode") & 07777, (Integer) a.get("uid"),
                                (Integer) a.get("gid"));
                    } catch (IOException e) {
                        throw new SystemFailureException("cannot stat " + parent + " in the image: " + e.getMessage(), e);
                    }
                }
                out.put(parent, dir);
            }
        }
    }

    private static Instruction.Heredoc heredoc(Instruction.Copy copy, String src) {
        if (!src.startsWith("<<") || copy.heredocs() == null) {
            return null;
        }
        String name = src.substring(2).replaceFirst("^-", "").replace("\"", "").replace("'", "");
        return copy.heredocs().stream().filter(h -> h.name().equals(name)).findFirst().orElse(null);
    }

    private static int fromRootfsItems(RootfsView view, String src, List<Item> items) {
        String rel = RootfsView.normalize(src);
        int slash = rel.lastIndexOf('/');
        String last = rel.substring(slash + 1);
        List<String> matches = new ArrayList<>();
        if (last.contains("*") || last.contains("?") || last.contains("[")) {
            String dir = slash < 0 ? "" : rel.substring(0, slash);
            String resolvedDir = view.resolve(dir, true);
            java.nio.file.PathMatcher m = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + last);
            for (String name : view.list(resolvedDir)) {
                if (m.matches(Path.of(name))) {
                    matches.add(resolvedDir.isEmpty() ? name : resolvedDir + "/" + name);
                }
            }
        } else {
            matches.add(view.resolve(rel, true));
        }
        int found = 0;
        for (String path : matches) {
            Optional<Path> p = view.find(path);
            if (p.isEmpty()) {
                continue;
            }
            found++;
            String base = path.isEmpty() ? "" : path.substring(path.lastIndexOf('/') + 1);
            walk(view, path, "", base, p.get(), items);
        }
        if (found == 0) {
            throw new InvalidArgumentException("COPY --from: source " + src + " not found in the source image");
        }
        return found;
    }

    private static void walk(RootfsView view, String path, String rel, String base, Path physical, List<Item> items) {
        try {
            Map<String, Object> a = Files.readAttributes(physical, "unix:mode,size", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode") & 07777;
            if (Files.isSymbolicLink(physical)) {
                items.add(new Item(rel, base, false, true, Files.readSymbolicLink(physical).toString(), physical, null, 0777, 0, false));
            } else if (Files.isDirectory(physical, LinkOption.NOFOLLOW_LINKS)) {
                items.add(new Item(rel, base, true, false, null, physical, null, mode, 0, false));
                for (String name : view.list(path)) {
                    String childPath = path.isEmpty() ? name : path + "/" + name;
                    Optional<Path> child = view.find(childPath);
                    if (child.isPresent()) {
                        walk(view, childPath, rel.isEmpty() ? name : rel + "/" + name, name, child.get(), items);
                    }
                }
            } else if (Files.isRegularFile(physical, LinkOption.NOFOLLOW_LINKS)) {
                items.add(new Item(rel, base, false, false, null, physical, null, mode, (Long) a.get("size"), false));
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot read " + path + " from the source image: " + e.getMessage(), e);
        }
    }

    /** A digest of names, modes, link targets and contents (not mtimes) of heredoc and --from sources. */
    private static String sourceKey(List<Item> items) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Item i : items) {
                md.update((i.relativePath() + "\0" + i.baseName() + "\0" + i.directory() + "\0" + i.symlink() + "\0"
                        + i.linkTarget() + "\0" + Integer.toOctalString(i.mode()) + "\0").getBytes(StandardCharsets.UTF_8));
                if (i.data() != null) {
                    md.update(i.data());
                } else if (!i.directory() && !i.symlink() && i.path() != null) {
                    try (InputStream in = Files.newInputStream(i.path())) {
                        byte[] buf = new byte[1 << 16];
                        for (int n; (n = in.read(buf)) > 0; ) {
                            md.update(buf, 0, n);
                        }
                    }
                }
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new SystemFailureException("cannot read COPY source: " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Integer parseChmod(String chmod) {
        if (chmod == null || chmod.isEmpty()) {
            return null;
        }
        if (!chmod.matches("[0-7]{3,4}")) {
            throw new InvalidArgumentException("invalid --chmod value " + chmod + ": only octal modes are supported");
        }
        return Integer.parseInt(chmod, 8);
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? RootfsView.normalize(name) : RootfsView.normalize(dir + "/" + name);
    }

    private static boolean isArchive(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] head = in.readNBytes(512);
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return true;
            if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') return true;
            if (head.length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X'
                    && head[4] == 'Z' && head[5] == 0) return true;
            return head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * ADD of a local archive: unpacked by berth-fs's {@link TarApplier} (the one applier, with the layer rules:
     * no "..", no absolute names, nothing written through a symlink, no device nodes) into a private directory
     * under {@code tmpDir}, whose tree then becomes the entries below the destination.
     */
    private static void extract(Path archive, String destRel, Map<String, LayerEntry> out, List<Path> temps, Path tmpDir) {
        String context = "ADD " + archive.getFileName();
        Path unpacked;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
            InputStream in;
            try {
                String format = CompressorStreamFactory.detect(raw);
                in = new BufferedInputStream(new CompressorStreamFactory().createCompressorInputStream(format, raw));
            } catch (CompressorException notCompressed) {
                in = raw;
            }
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            Files.createDirectories(tmpDir);
            unpacked = Files.createTempDirectory(tmpDir, "add-");
            temps.add(unpacked);
            TarApplier.Options options = new TarApplier.Options(RootedDir.Links.REFUSE, false, true, false, true, List.of());
            try (RootedDir root = RootedDir.open(unpacked); TarApplier applier = new TarApplier(root, "", context, options)) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    applier.apply(e, tar);
                }
                applier.finish();
            }
        } catch (BadArchiveException e) {
            throw new InvalidArgumentException(e.getMessage().replace(context + ": unsafe entry", context + ": archive entry"), e);
        } catch (IOException e) {
            throw new InvalidArgumentException(context + ": cannot unpack archive: " + e.getMessage());
        }
        addTree(unpacked, unpacked, destRel, out, new HashMap<>());
    }

    /** The entries of an unpacked tree, parents first; files with several links after the first are hardlinks. */
    private static void addTree(Path root, Path dir, String destRel, Map<String, LayerEntry> out, Map<Object, String> seen) {
        List<Path> children;
        try (var list = Files.list(dir)) {
            children = list.sorted().toList();
        } catch (IOException e) {
            throw new SystemFailureException("cannot list an unpacked ADD archive: " + e.getMessage(), e);
        }
        for (Path child : children) {
            String name = join(destRel, root.relativize(child).toString());
            try {
                Map<String, Object> a = Files.readAttributes(child, "unix:mode,uid,gid,size,nlink,ino,dev", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode") & 07777;
                int uid = (Integer) a.get("uid");
                int gid = (Integer) a.get("gid");
                if (Files.isSymbolicLink(child)) {
                    out.put(name, LayerEntry.symlink(name, uid, gid, Files.readSymbolicLink(child).toString()));
                } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(name, LayerEntry.directory(name, mode, uid, gid));
                    addTree(root, child, destRel, out, seen);
                } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                    String first = (Integer) a.get("nlink") > 1 ? seen.putIfAbsent(List.of(a.get("dev"), a.get("ino")), name) : null;
                    out.put(name, first != null
                            ? new LayerEntry(name, LayerEntry.Kind.HARDLINK, mode, uid, gid, 0, null, null, first, 0, 0, null)
                            : LayerEntry.file(name, mode, uid, gid, (Long) a.get("size"), child));
                }
            } catch (IOException e) {
                throw new SystemFailureException("cannot read an unpacked ADD archive: " + e.getMessage(), e);
            }
        }
    }
}
