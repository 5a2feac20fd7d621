package io.berth.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The file descriptors a spawned child starts with: 0, 1 and 2 and any extra ones (conmon's start and sync
 * pipes on 3 and 4), each opened from a path or duplicated from one of our own fds. Every other fd is closed
 * in the child, whatever its close-on-exec flag, so nothing of berthd leaks into conmon or a container.
 */
final class ChildFds {
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0x40;
    static final int O_TRUNC = 0x200;
    static final int O_APPEND = 0x400;

    /** Where one child fd comes from. */
    sealed interface Source permits OpenPath, ParentFd {}

    record OpenPath(Path path, int flags, int mode) implements Source {}

    record ParentFd(int fd) implements Source {}

    /** One step of posix_spawn's file actions, run in this order in the child. */
    sealed interface Action permits Dup2, Open {}

    record Dup2(int from, int to) implements Action {}

    record Open(int to, String path, int flags, int mode) implements Action {}

    private final SortedMap<Integer, Source> byTarget = new TreeMap<>();

    ChildFds open(int target, Path path, int flags) {
        return set(target, new OpenPath(path, flags, 0666));
    }

    ChildFds dup(int target, int parentFd) {
        return set(target, new ParentFd(parentFd));
    }

    private ChildFds set(int target, Source source) {
        if (target < 0) throw new IllegalArgumentException("bad child fd " + target);
        if (byTarget.putIfAbsent(target, source) != null) throw new IllegalArgumentException("child fd " + target + " given twice");
        return this;
    }

    /** The first fd the child must not keep: everything from here up is closed. */
    int closeFrom() {
        return byTarget.lastKey() + 1;
    }

    /**
     * The file actions, ordered so that no step overwrites one of our fds a later step still reads: a parent fd
     * that is also a target (possible when berthd's own low fds are closed) is first moved above every fd
     * involved. A dup onto itself stays: glibc then just clears close-on-exec, which is what we want.
     */
    List<Action> actions() {
        for (int fd = 0; fd <= 2; fd++) {
            // an unset standard stream would be berthd's own (its log), not what the child should write to
            if (!byTarget.containsKey(fd)) throw new IllegalArgumentException("child fd " + fd + " not given");
        }
        int scratch = byTarget.lastKey();
        for (Source s : byTarget.values()) if (s instanceof ParentFd(int fd)) scratch = Math.max(scratch, fd);
        List<Action> out = new ArrayList<>();
        Map<Integer, Integer> moved = new HashMap<>();
        for (var e : byTarget.entrySet()) {
            if (e.getValue() instanceof ParentFd(int fd) && fd != e.getKey() && byTarget.containsKey(fd)
                    && !moved.containsKey(fd)) {
                moved.put(fd, ++scratch);
                out.add(new Dup2(fd, scratch));
            }
        }
        for (var e : byTarget.entrySet()) {
            int target = e.getKey();
            switch (e.getValue()) {
                case ParentFd(int fd) -> out.add(new Dup2(fd == target ? fd : moved.getOrDefault(fd, fd), target));
                case OpenPath(Path path, int flags, int mode) -> out.add(new Open(target, path.toString(), flags, mode));
            }
        }
        return out;
    }
}
