package io.berth.daemon.api;

import java.util.ArrayList;
import java.util.List;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.MountPoint;
import io.berth.runtime.MountsSpec;

/**
 * One HostConfig.VolumesFrom entry, {@code CONTAINER[:MODE]}, with Docker's rules: the new container gets each
 * volume and bind of CONTAINER at the same destination. With {@code ro} every copy is read-only; otherwise each
 * keeps its own mode (a read-only mount stays read-only: {@code rw} never widens it). The mode may also hold
 * {@code z}/{@code Z} (accepted, berth applies no LSM labels); propagation and {@code nocopy} are refused, as
 * Docker refuses them here (a copy keeps the original's propagation, and nothing is copied up into a volume
 * another container already uses).
 *
 * @param container the source container's id or name
 * @param readOnly {@code ro} was asked for
 */
record VolumesFrom(String container, boolean readOnly) {
    static VolumesFrom parse(String spec) {
        if (spec.isEmpty()) throw new InvalidArgumentException("volumes-from specification cannot be an empty string");
        int colon = spec.indexOf(':');
        if (colon < 0) return new VolumesFrom(spec, false);
        String container = spec.substring(0, colon);
        String mode = spec.substring(colon + 1);
        if (container.isEmpty()) throw new InvalidArgumentException("invalid volumes-from specification: '" + spec + "'");
        boolean readOnly = false;
        int rw = 0;
        int label = 0;
        for (String option : mode.split(",", -1)) {
            switch (option) {
                case "ro", "rw" -> { rw++; readOnly = option.equals("ro"); }
                case "z", "Z" -> label++;
                default -> throw new InvalidArgumentException("invalid mode: " + mode);
            }
        }
        if (rw > 1 || label > 1) throw new InvalidArgumentException("invalid mode: " + mode);
        return new VolumesFrom(container, readOnly);
    }

    /**
     * The copies of {@code source}'s volumes and binds. A tmpfs is private to its container and is not shared.
     * A copy never copies up (the volume already has its content) and keeps the original's anonymous flag, so
     * {@code rm -v} of the last user removes an anonymous volume, as Docker's does.
     */
    List<MountPoint> copies(MountsSpec source) {
        List<MountPoint> out = new ArrayList<>();
        for (MountPoint m : source.mounts()) {
            if (m.kind() == MountPoint.Kind.TMPFS) continue;
            out.add(new MountPoint(m.kind(), m.origin(), m.source(), m.destination(), m.readOnly() || readOnly, m.mode(),
                    m.propagation(), m.tmpfsOptions(), m.volume(), m.anonymous(), false, m.tmpfsVolume()));
        }
        return out;
    }
}
