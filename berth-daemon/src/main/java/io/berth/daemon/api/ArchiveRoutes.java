package io.berth.daemon.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;
import io.berth.store.DirectoryTar;
import io.berth.store.DirectoryUntar;
import io.berth.store.ScopedPath;

/**
 * docker cp: HEAD/GET/PUT /containers/{id}/archive. Paths are resolved inside the container's rootfs with
 * symlinks kept in scope (ScopedPath), so a container cannot make berthd read or write host files.
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
        Path root = containers.rootfs(c.id());
        Path target = ScopedPath.resolve(root, path, false);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotFoundException("Could not find the file " + path + " in container " + c.name());
        }
        rs.header("X-Docker-Container-Path-Stat", stat(target, path));
        if (rq.method().equals("HEAD")) {
            rs.empty(200);
            return;
        }
        String name = target.getFileName() == null ? "/" : target.getFileName().toString();
        try (OutputStream out = rs.stream(200, "application/x-tar")) {
            DirectoryTar.write(target, name, out);
        }
    }

    private void put(HttpRequest rq, HttpResponse rs) throws Exception {
        String path = requirePath(rq);
        Container c = containers.inspect(rq.pathParam("id"));
        if (c.spec().readOnlyRootfs() && c.state().isRunning()) {
            throw new io.berth.oci.errors.ConflictException("container rootfs is marked read-only");
        }
        Path root = containers.rootfs(c.id());
        if (!ScopedPath.exists(root, path)) {
            throw new NotFoundException("Could not find the file " + path + " in container " + c.name());
        }
        DirectoryUntar.extract(rq.body(), root, path, rq.queryFlag("copyUIDGID"));
        rs.empty(200);
    }

    private static String requirePath(HttpRequest rq) {
        String path = rq.queryParam("path");
        if (path == null || path.isEmpty()) throw new InvalidArgumentException("path must not be empty");
        return path;
    }

    /** The header docker cp reads: base64 JSON {name, size, mode (Go FileMode bits), mtime, linkTarget}. */
    private static String stat(Path target, String requested) throws IOException {
        PosixFileAttributes a = Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long mode = 0;
        for (PosixFilePermission p : a.permissions()) mode |= 1L << (8 - p.ordinal());
        if (a.isDirectory()) mode |= 1L << 31;
        if (a.isSymbolicLink()) mode |= 1L << 27;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", target.getFileName() == null ? "/" : target.getFileName().toString());
        m.put("size", a.size());
        m.put("mode", mode);
        m.put("mtime", a.lastModifiedTime().toInstant().toString());
        m.put("linkTarget", a.isSymbolicLink() ? Files.readSymbolicLink(target).toString() : "");
        return Base64.getEncoder().encodeToString(ApiJson.MAPPER.writeValueAsString(m).getBytes(StandardCharsets.UTF_8));
    }
}
