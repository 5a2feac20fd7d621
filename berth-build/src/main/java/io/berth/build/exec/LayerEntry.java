package io.berth.build.exec;

import java.nio.file.Path;
import java.util.Map;

/**
 * One entry of a layer tar, before writing. Content comes from {@code source} (a file on disk) or {@code data};
 * whiteouts are written as OCI {@code .wh.} entries by {@link LayerTarWriter}.
 *
 * @param name       path inside the image, relative ("etc/passwd"), no leading or trailing slash
 * @param mode       permission bits (07777)
 * @param linkTarget symlink target, or the name of the entry a hardlink points at
 */
record LayerEntry(String name, Kind kind, int mode, int uid, int gid, long size, Path source, byte[] data,
                  String linkTarget, int devMajor, int devMinor, Map<String, byte[]> xattrs) {

    enum Kind { DIRECTORY, FILE, SYMLINK, HARDLINK, FIFO, CHAR_DEVICE, BLOCK_DEVICE, WHITEOUT, OPAQUE }

    LayerEntry {
        xattrs = xattrs == null ? Map.of() : Map.copyOf(xattrs);
    }

    static LayerEntry directory(String name, int mode, int uid, int gid) {
        return new LayerEntry(name, Kind.DIRECTORY, mode, uid, gid, 0, null, null, null, 0, 0, null);
    }

    static LayerEntry file(String name, int mode, int uid, int gid, long size, Path source) {
        return new LayerEntry(name, Kind.FILE, mode, uid, gid, size, source, null, null, 0, 0, null);
    }

    static LayerEntry bytes(String name, int mode, int uid, int gid, byte[] data) {
        return new LayerEntry(name, Kind.FILE, mode, uid, gid, data.length, null, data, null, 0, 0, null);
    }

    static LayerEntry symlink(String name, int uid, int gid, String target) {
        return new LayerEntry(name, Kind.SYMLINK, 0777, uid, gid, 0, null, null, target, 0, 0, null);
    }

    LayerEntry withOwner(int newUid, int newGid) {
        return new LayerEntry(name, kind, mode, newUid, newGid, size, source, data, linkTarget, devMajor, devMinor, xattrs);
    }

    LayerEntry withMode(int newMode) {
        return new LayerEntry(name, kind, newMode, uid, gid, size, source, data, linkTarget, devMajor, devMinor, xattrs);
    }

    LayerEntry withName(String newName) {
        return new LayerEntry(newName, kind, mode, uid, gid, size, source, data, linkTarget, devMajor, devMinor, xattrs);
    }
}
