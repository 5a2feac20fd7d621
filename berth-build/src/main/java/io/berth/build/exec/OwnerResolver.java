package io.berth.build.exec;

import io.berth.oci.errors.InvalidArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Resolves COPY/ADD {@code --chown=user[:group]} against the stage's own /etc/passwd and /etc/group (read
 * through its layers, never the host's). Numeric IDs need no files; a user without a group takes the user's
 * primary group from /etc/passwd, or the same number when the user was numeric.
 */
final class OwnerResolver {
    record Owner(int uid, int gid) {
    }

    private OwnerResolver() {
    }

    static Owner resolve(String chown, RootfsView rootfs) {
        String[] parts = chown.split(":", 2);
        String user = parts[0];
        String group = parts.length > 1 ? parts[1] : null;
        int uid;
        Integer primaryGid = null;
        if (user.matches("\\d+")) {
            uid = Integer.parseInt(user);
        } else {
            String[] entry = lookup(rootfs, "etc/passwd", user)
                    .orElseThrow(() -> new InvalidArgumentException("unable to convert uid/gid chown string to host mapping: "
                            + "can't find uid for user " + user + ": no such user: " + user));
            uid = Integer.parseInt(entry[2]);
            primaryGid = Integer.parseInt(entry[3]);
        }
        int gid;
        if (group == null || group.isEmpty()) {
            gid = primaryGid != null ? primaryGid : uid;
        } else if (group.matches("\\d+")) {
            gid = Integer.parseInt(group);
        } else {
            gid = lookup(rootfs, "etc/group", group).map(e -> Integer.parseInt(e[2]))
                    .orElseThrow(() -> new InvalidArgumentException("unable to convert uid/gid chown string to host mapping: "
                            + "can't find gid for group " + group + ": no such group: " + group));
        }
        return new Owner(uid, gid);
    }

    private static Optional<String[]> lookup(RootfsView rootfs, String file, String name) {
        Optional<byte[]> data = rootfs.read(file);
        if (data.isEmpty()) {
            return Optional.empty();
        }
        for (String line : new String(data.get(), StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && f[0].equals(name) && f[2].matches("\\d+")
                    && (!file.endsWith("passwd") || (f.length >= 4 && f[3].matches("\\d+")))) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
