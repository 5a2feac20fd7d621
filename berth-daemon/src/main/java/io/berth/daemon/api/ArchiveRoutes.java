package io.berth.daemon.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.berth.daemon.http.ApiJson;
import io.berth.fs.FileHandle;
import io.berth.fs.RootedDir;
import io.berth.fs.TreeTarWriter;
import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;
import io.berth.store.DirectoryUntar;

/**
 * docker cp: HEAD/GET/PUT /containers/{id}/archive. Every path is resolved by the kernel inside the container's
 * rootfs (berth-fs's {@link RootedDir}) and the stat, the tar and the extraction act on held descriptors, so a
 * container swapping directories for symlinks while cp runs cannot make berthd read or write host files.
 */
public final class ArchiveRoutes {
    private final ContainerService containers;

    public ArchiveRoutes(ContainerService containers) {
        this.containers = containers;
    }

    public void register(Router router) {
        router.add("GET", "/containers/{id}/archive", this::get)
              .add("PUT", "/containers/{id}/archive", this::put);
    }

    private void get(HttpRequest rq, HttpResponse rs) throws Exception {
        String path = requirePath(rq);
        Container c = containers.inspect(rq.pathParam("id"));
        MountedPath where = MountedPath.of(c, containers.rootfs(c.id()), path, containers.tmpfsVolumes()::mounted, false);
        try (RootedDir root = RootedDir.open(where.root());
             FileHandle target = find(root, where.path(), path, c)) {
            String name = where.name().isEmpty() ? name(root, target) : where.name();
            FileCalls.Stat st = target.stat();
            rs.header("X-Docker-Container-Path-Stat", stat(target, st, name));
            if (rq.method().equals("HEAD")) {
                rs.empty(200);
                return;
            }
            try (OutputStream out = rs.bulkStream(200, "application/x-tar")) {
                TreeTarWriter.write(target, name, out);
            }
        }
    }

    /** The object at {@code path}, resolved inside the container's root; a final symlink is the symlink. */
    private static FileHandle find(RootedDir root, String path, String asAsked, Container c) throws ErrnoException {
        try {
            return root.resolve(path, RootedDir.Links.FOLLOW_IN_ROOT, false);
        } catch (ErrnoException e) {
            if (e.errno() == FileCalls.ENOENT || e.errno() == FileCalls.ENOTDIR || e.errno() == FileCalls.ELOOP) {
                throw new NotFoundException("Could not find the file " + asAsked + " in container " + c.name());
            }
            throw e;
        }
    }

    /** The copied object's name as docker cp names it: its last component where it is now, "/" for the root. */
    private static String name(RootedDir root, FileHandle target) throws IOException {
        String where = root.pathOf(target);
        if (where == null || where.isEmpty()) {
            return "/";
        }
        return where.substring(where.lastIndexOf('/') + 1);
    }

    private void put(HttpRequest rq, HttpResponse rs) throws Exception {
        String path = requirePath(rq);
        Container c = containers.inspect(rq.pathParam("id"));
        if (c.spec().security().readOnlyRootfs() && c.state().isRunning()) {
            throw new io.berth.oci.errors.ConflictException("container rootfs is marked read-only");
        }
        MountedPath where = MountedPath.of(c, containers.rootfs(c.id()), path, containers.tmpfsVolumes()::mounted, true);
        if (where.readOnly()) throw new io.berth.oci.errors.ConflictException("mounted volume is marked read-only");
        Path root = where.root();
        try (RootedDir rooted = RootedDir.open(root); FileHandle ignored = find(rooted, where.path(), path, c)) {
            // exists: DirectoryUntar resolves it again, inside the root, as the directory to extract into
        }
        DirectoryUntar.extract(rq.body(), root, where.path(), rq.queryFlag("copyUIDGID"), rq.queryFlag("noOverwriteDirNonDir"));
        rs.empty(200);
    }

    private static String requirePath(HttpRequest rq) {
        String path = rq.queryParam("path");
        if (path == null || path.isEmpty()) throw new InvalidArgumentException("path must not be empty");
        return path;
    }

    /** The header docker cp reads: base64 JSON {name, size, mode (Go FileMode bits), mtime, linkTarget}. */
    private static String stat(FileHandle target, FileCalls.Stat st, String name) throws IOException {
        long mode = st.mode() & 0777;
        if (st.isDirectory()) mode |= 1L << 31;
        if (st.isSymlink()) mode |= 1L << 27;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("size", st.size());
        m.put("mode", mode);
        m.put("mtime", Instant.ofEpochSecond(st.mtimeSeconds(), st.mtimeNanos()).toString());
        m.put("linkTarget", st.isSymlink() ? target.readlink() : "");
        return Base64.getEncoder().encodeToString(ApiJson.MAPPER.writeValueAsString(m).getBytes(StandardCharsets.UTF_8));
    }
}
