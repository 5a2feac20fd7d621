package io.berth.daemon.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.runtime.MountPoint;
import io.berth.runtime.MountPoint.Origin;
import io.berth.runtime.MountsSpec;
import io.berth.runtime.TmpfsOptions;

/**
 * A create body's HostConfig.Binds, Mounts, Tmpfs and VolumesFrom → the container's mounts, with Docker's rules and messages:
 *
 * <pre>
 * Binds   /host:/ctr[:ro|rw][,z|Z][,PROPAGATION]   a missing host path is created (0755, as Docker)
 *         NAME:/ctr[:ro|rw][,nocopy][,z|Z]           a named volume, created when missing
 * Mounts  {Type: bind, Source, Target, ReadOnly, BindOptions.Propagation}   a missing Source is a 400
 *         {Type: volume, Source (empty: anonymous), Target, ReadOnly, VolumeOptions.NoCopy}
 *         {Type: tmpfs, Target, ReadOnly, TmpfsOptions.SizeBytes, Mode}
 * Tmpfs   {"/run": "size=64m,mode=1777"}
 * VolumesFrom ["other:ro"]  other's volumes and binds at their destinations (see {@link VolumesFrom})
 * Config.Volumes {"/data": {}}   an anonymous volume, unless a bind or mount already has that destination
 * </pre>
 *
 * Volumes are provided (created) only once every entry has passed its checks, so a refused request leaves no
 * volume behind. The host paths are the daemon's own
 * (a bind is what the API's caller, root-equivalent by the socket's mode, asks for); container paths are only
 * checked for form here, the runtime resolves them inside the rootfs.
 */
final class MountRequests {
    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");

    private MountRequests() {}

    static MountsSpec parse(JsonNode hostConfig) {
        return parse(hostConfig, null, ContainerVolumes.NONE);
    }

    /** @param configVolumes the body's Config.Volumes (may be null) */
    static MountsSpec parse(JsonNode hostConfig, JsonNode configVolumes, ContainerVolumes volumes) {
        List<MountPoint> out = new ArrayList<>();
        for (JsonNode bind : hostConfig.path("Binds")) out.add(bind(bind.asText()));
        for (JsonNode mount : hostConfig.path("Mounts")) out.add(mount(mount));
        hostConfig.path("Tmpfs").properties().forEach(e -> out.add(tmpfs(e.getKey(), e.getValue().asText())));
        Set<String> destinations = new HashSet<>();
        for (MountPoint m : out) {
            if (!destinations.add(m.destination())) throw new InvalidArgumentException("Duplicate mount point: " + m.destination());
        }
        // Docker's order: a later VolumesFrom entry wins over an earlier one at the same destination, and the
        // request's own Binds, Mounts and Tmpfs win over all of them; the copies are looked up before any volume
        // is provided, so an unknown container leaves nothing behind
        Map<String, MountPoint> shared = new LinkedHashMap<>();
        for (JsonNode from : hostConfig.path("VolumesFrom")) {
            VolumesFrom v = VolumesFrom.parse(from.asText());
            for (MountPoint copy : v.copies(volumes.mountsOf(v.container()))) shared.put(copy.destination(), copy);
        }
        List<MountPoint> copies = shared.values().stream().filter(m -> destinations.add(m.destination())).toList();
        if (configVolumes != null) {
            for (var e : configVolumes.properties()) {
                String destination = destination("volume", e.getKey(), null);
                if (destinations.add(destination)) {
                    out.add(MountPoint.volume(Origin.VOLUMES, "", "", destination, false, "", true, true));
                }
            }
        }
        List<MountPoint> provided = new ArrayList<>(copies);
        for (MountPoint m : out) {
            if (m.kind() != MountPoint.Kind.VOLUME) {
                provided.add(m);
                continue;
            }
            ContainerVolumes.Provided v = volumes.provide(m.volume());
            provided.add(v.tmpfs() != null
                    ? MountPoint.tmpfsVolume(m.origin(), v.name(), v.data().toString(), m.destination(), m.readOnly(), m.mode(),
                            m.volume().isEmpty(), v.tmpfs())
                    : MountPoint.volume(m.origin(), v.name(), v.data().toString(), m.destination(), m.readOnly(), m.mode(),
                            m.volume().isEmpty(), m.copyUp() && v.copyUp()));
        }
        return new MountsSpec(provided);
    }

    /** One Binds entry. Docker splits on ":" (a Linux path in a bind may not hold one). */
    static MountPoint bind(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            if (parts.length == 1 && !spec.isEmpty()) {
                return MountPoint.volume(Origin.BINDS, "", "", destination("volume", spec, spec), false, "", true, true);
            }
            throw new InvalidArgumentException("invalid volume specification: '" + spec + "'");
        }
        String source = parts[0];
        if (source.indexOf('\0') >= 0) throw new InvalidArgumentException("invalid volume specification: '" + spec.replace("\0", "\\0") + "'");
        boolean volume = !source.startsWith("/");
        String destination = destination(volume ? "volume" : "bind", parts[1], spec);
        boolean readOnly = false;
        boolean nocopy = false;
        String propagation = "";
        if (parts.length == 3) {
            int rw = 0;
            int label = 0;
            int copy = 0;
            for (String mode : parts[2].split(",", -1)) {
                switch (mode) {
                    case "ro", "rw" -> { rw++; readOnly = mode.equals("ro"); }
                    case "z", "Z" -> label++;  // SELinux relabelling: berth applies no LSM labels, as with label=disable
                    case "nocopy" -> {
                        if (!volume) throw new InvalidArgumentException("invalid volume specification: '" + spec + "': invalid mode: " + parts[2]);
                        copy++;
                        nocopy = true;
                    }
                    default -> {
                        if (volume || !PROPAGATIONS.contains(mode) || !propagation.isEmpty()) {
                            throw new InvalidArgumentException("invalid volume specification: '" + spec + "': invalid mode: " + parts[2]);
                        }
                        propagation = mode;
                    }
                }
            }
            if (rw > 1 || label > 1 || copy > 1) {
                throw new InvalidArgumentException("invalid volume specification: '" + spec + "': invalid mode: " + parts[2]);
            }
        }
        if (volume) {
            // checked here so that nothing is created for a request that is refused later
            try {
                io.berth.store.volumes.VolumeName.check(source);
            } catch (RuntimeException e) {
                throw new InvalidArgumentException("invalid volume specification: '" + spec + "': " + e.getMessage());
            }
            return MountPoint.volume(Origin.BINDS, source, "", destination, readOnly, parts.length == 3 ? parts[2] : "", false, !nocopy);
        }
        Path host = Path.of(source).normalize();
        if (!Files.exists(host)) {
            try {
                Files.createDirectories(host, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            } catch (IOException e) {
                throw new SystemFailureException("error while creating mount source path '" + host + "': " + e.getMessage(), e);
            }
        }
        return MountPoint.bind(Origin.BINDS, host.toString(), destination, readOnly, parts.length == 3 ? parts[2] : "",
                propagation.isEmpty() ? "rprivate" : propagation);
    }

    /** One Mounts entry: each field of another type's options is refused, as Docker does. */
    static MountPoint mount(JsonNode m) {
        String type = m.path("Type").asText("");
        String target = m.path("Target").asText("");
        String source = m.path("Source").asText("");
        boolean readOnly = m.path("ReadOnly").asBoolean(false);
        for (String field : List.of("Consistency", "ClusterOptions")) {
            if (!UnsupportedFields.isEmpty(m.get(field)) && !(field.equals("Consistency") && m.path(field).asText().equals("default"))) {
                throw new InvalidArgumentException("berth does not support HostConfig.Mounts." + field + " yet");
            }
        }
        switch (type) {
            case "bind" -> {
                optionsOnlyFor(m, "bind", "BindOptions");
                JsonNode bindOptions = m.path("BindOptions");
                bindOptions.properties().forEach(e -> {
                    if (!e.getKey().equals("Propagation") && !UnsupportedFields.isEmpty(e.getValue())) {
                        throw new InvalidArgumentException("berth does not support HostConfig.Mounts.BindOptions." + e.getKey() + " yet");
                    }
                });
                String propagation = bindOptions.path("Propagation").asText("");
                if (!propagation.isEmpty() && !PROPAGATIONS.contains(propagation)) {
                    throw new InvalidArgumentException("invalid mount config for type \"bind\": invalid propagation mode: " + propagation);
                }
                if (source.isEmpty()) throw new InvalidArgumentException("invalid mount config for type \"bind\": field Source must not be empty");
                if (target.isEmpty()) throw new InvalidArgumentException("invalid mount config for type \"bind\": field Target must not be empty");
                if (!source.startsWith("/")) {
                    throw new InvalidArgumentException("invalid mount config for type \"bind\": invalid mount path: '" + source
                            + "' mount path must be absolute");
                }
                if (source.indexOf('\0') >= 0) throw new InvalidArgumentException("invalid mount path: '" + source.replace("\0", "\\0") + "'");
                String destination = destination("bind", target, null);
                Path host = Path.of(source).normalize();
                if (!Files.exists(host)) {
                    throw new InvalidArgumentException("invalid mount config for type \"bind\": bind source path does not exist: " + host);
                }
                return MountPoint.bind(Origin.MOUNTS, host.toString(), destination, readOnly, "",
                        propagation.isEmpty() ? "rprivate" : propagation);
            }
            case "tmpfs" -> {
                optionsOnlyFor(m, "tmpfs", "TmpfsOptions");
                if (!source.isEmpty()) throw new InvalidArgumentException("invalid mount config for type \"tmpfs\": field Source must not be specified");
                if (target.isEmpty()) throw new InvalidArgumentException("invalid mount config for type \"tmpfs\": field Target must not be empty");
                JsonNode t = m.path("TmpfsOptions");
                t.properties().forEach(e -> {
                    if (!Set.of("SizeBytes", "Mode").contains(e.getKey()) && !UnsupportedFields.isEmpty(e.getValue())) {
                        throw new InvalidArgumentException("berth does not support HostConfig.Mounts.TmpfsOptions." + e.getKey() + " yet");
                    }
                });
                List<String> options = new ArrayList<>();
                long size = t.path("SizeBytes").asLong(0);
                if (size < 0) throw new InvalidArgumentException("invalid mount config for type \"tmpfs\": invalid tmpfs size: " + size);
                if (size > 0) options.add("size=" + size);
                // Mode is a Go os.FileMode: the permission bits as a number (the CLI parses tmpfs-mode as octal)
                long mode = t.path("Mode").asLong(0);
                if (mode != 0) options.add("mode=" + Long.toOctalString(mode & 07777));
                return MountPoint.tmpfs(Origin.MOUNTS, destination("tmpfs", target, null), readOnly, options);
            }
            case "volume" -> {
                optionsOnlyFor(m, "volume", "VolumeOptions");
                m.path("VolumeOptions").properties().forEach(e -> {
                    if (!e.getKey().equals("NoCopy") && !UnsupportedFields.isEmpty(e.getValue())) {
                        throw new InvalidArgumentException("berth does not support HostConfig.Mounts.VolumeOptions." + e.getKey() + " yet");
                    }
                });
                if (target.isEmpty()) throw new InvalidArgumentException("invalid mount config for type \"volume\": field Target must not be empty");
                if (!source.isEmpty()) {
                    try {
                        io.berth.store.volumes.VolumeName.check(source);
                    } catch (RuntimeException e) {
                        throw new InvalidArgumentException("invalid mount config for type \"volume\": " + e.getMessage());
                    }
                }
                boolean nocopy = m.path("VolumeOptions").path("NoCopy").asBoolean(false);
                return MountPoint.volume(Origin.MOUNTS, source, "", destination("volume", target, null), readOnly, "", false, !nocopy);
            }
            case "" -> throw new InvalidArgumentException("invalid mount config: mount type must be specified");
            default -> throw new InvalidArgumentException("berth does not support HostConfig.Mounts of type \"" + type + "\"");
        }
    }

    static MountPoint tmpfs(String destination, String options) {
        List<String> parsed;
        try {
            parsed = TmpfsOptions.parse(options);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(e.getMessage());
        }
        boolean readOnly = parsed.contains("ro");
        return MountPoint.tmpfs(Origin.TMPFS, destination("tmpfs", destination, null), readOnly, parsed);
    }

    private static void optionsOnlyFor(JsonNode m, String type, String allowed) {
        for (String field : List.of("BindOptions", "VolumeOptions", "TmpfsOptions")) {
            if (!field.equals(allowed) && !UnsupportedFields.isEmpty(m.get(field))) {
                throw new InvalidArgumentException("invalid mount config for type \"" + type + "\": " + field
                        + " must not be specified on mount type \"" + type + "\"");
            }
        }
    }

    /** An absolute, clean container path other than "/"; "..", "." and doubled slashes are cleaned as Go's filepath.Clean does. */
    private static String destination(String type, String path, String spec) {
        if (path.indexOf('\0') >= 0) throw new InvalidArgumentException("invalid mount path: '" + path.replace("\0", "\\0") + "'");
        if (!path.startsWith("/")) {
            String prefix = spec == null ? "" : "invalid volume specification: '" + spec + "': ";
            throw new InvalidArgumentException(prefix + "invalid mount config for type \"" + type + "\": invalid mount path: '"
                    + path + "' mount path must be absolute");
        }
        String clean = Path.of(path).normalize().toString();
        if (clean.equals("/")) throw new InvalidArgumentException("invalid specification: destination can't be '/'");
        return clean;
    }
}
