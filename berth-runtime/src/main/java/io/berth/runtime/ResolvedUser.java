package io.berth.runtime;

import java.util.List;

/** A container user resolved against the image's /etc/passwd and /etc/group. */
public record ResolvedUser(int uid, int gid, List<Integer> additionalGids, String home) {
    public ResolvedUser {
        additionalGids = List.copyOf(additionalGids);
    }
}
