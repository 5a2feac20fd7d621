package io.berth.runtime;

import io.berth.oci.errors.InvalidArgumentException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns Docker's --user forms ("", "name", "uid", "uid:gid", "name:group", "uid:group") into numeric ids the
 * way Docker does: names must exist in the rootfs's passwd/group files, numbers need not; the user's
 * supplementary groups come from /etc/group membership, then {@code --group-add}'s (a name must be in /etc/group, a
 * number need not).
 */
final class UserResolver {
    private record PasswdEntry(String name, int uid, int gid, String home) {}
    private record GroupEntry(String name, int gid, List<String> members) {}

    private UserResolver() {}

    static ResolvedUser resolve(Path rootfs, String user) {
        return resolve(rootfs, user, List.of());
    }

    static ResolvedUser resolve(Path rootfs, String user, List<String> groupAdd) {
        List<PasswdEntry> passwd = readPasswd(rootfs.resolve("etc/passwd"));
        List<GroupEntry> groups = readGroups(rootfs.resolve("etc/group"));
        String spec = user == null || user.isEmpty() ? "0" : user;
        int colon = spec.indexOf(':');
        String userPart = colon < 0 ? spec : spec.substring(0, colon);
        String groupPart = colon < 0 ? null : spec.substring(colon + 1);

        PasswdEntry entry;
        int uid;
        if (isNumber(userPart)) {
            uid = Integer.parseInt(userPart);
            entry = passwd.stream().filter(p -> p.uid == uid).findFirst().orElse(null);
        } else {
            entry = passwd.stream().filter(p -> p.name.equals(userPart)).findFirst()
                    .orElseThrow(() -> new InvalidArgumentException(
                            "unable to find user " + userPart + ": no matching entries in passwd file"));
            uid = entry.uid;
        }
        int gid;
        if (groupPart == null || groupPart.isEmpty()) {
            gid = entry == null ? 0 : entry.gid;
        } else if (isNumber(groupPart)) {
            gid = Integer.parseInt(groupPart);
        } else {
            gid = groups.stream().filter(g -> g.name.equals(groupPart)).findFirst()
                    .orElseThrow(() -> new InvalidArgumentException(
                            "unable to find group " + groupPart + ": no matching entries in group file")).gid;
        }
        List<Integer> extra = new ArrayList<>();
        // Docker only adds membership groups when no explicit group was given.
        if (entry != null && groupPart == null) {
            for (GroupEntry g : groups) {
                if (g.members.contains(entry.name) && g.gid != gid && !extra.contains(g.gid)) extra.add(g.gid);
            }
        }
        for (String added : groupAdd) {
            int addedGid = additionalGroup(added, groups);
            if (!extra.contains(addedGid)) extra.add(addedGid);
        }
        String home = entry == null || entry.home.isEmpty() ? "/" : entry.home;
        return new ResolvedUser(uid, gid, extra, home);
    }

    /** The group's own entry wins (by name, or by gid for a number); a number without one is used as it is. */
    private static int additionalGroup(String added, List<GroupEntry> groups) {
        boolean numeric = !added.isEmpty() && added.chars().allMatch(Character::isDigit);
        if (numeric && (added.length() > 10 || Long.parseLong(added) > Integer.MAX_VALUE)) {
            throw new InvalidArgumentException("uids and gids must be in range 0-" + Integer.MAX_VALUE);
        }
        for (GroupEntry g : groups) {
            if (g.name.equals(added) || numeric && g.gid == Integer.parseInt(added)) return g.gid;
        }
        if (numeric) return Integer.parseInt(added);
        throw new InvalidArgumentException("unable to find group " + added + ": no matching entries in group file");
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 10;
    }

    private static List<String> lines(Path file) {
        try {
            if (!Files.isRegularFile(file)) return List.of();
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<PasswdEntry> readPasswd(Path file) {
        List<PasswdEntry> out = new ArrayList<>();
        for (String line : lines(file)) {
            String[] f = line.split(":", -1);
            if (f.length < 4 || line.startsWith("#") || !isNumber(f[2]) || !isNumber(f[3])) continue;
            out.add(new PasswdEntry(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f.length > 5 ? f[5] : ""));
        }
        return out;
    }

    private static List<GroupEntry> readGroups(Path file) {
        List<GroupEntry> out = new ArrayList<>();
        for (String line : lines(file)) {
            String[] f = line.split(":", -1);
            if (f.length < 3 || line.startsWith("#") || !isNumber(f[2])) continue;
            List<String> members = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
            out.add(new GroupEntry(f[0], Integer.parseInt(f[2]), members));
        }
        return out;
    }
}
