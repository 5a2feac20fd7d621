package io.berth.runtime;

import io.berth.linux.ErrnoException;
import io.berth.linux.Syscalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static io.berth.linux.Libc.capturingErrno;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Overlay mounts through the new mount API (fsopen, fsconfig, fsmount, move_mount). mount(2) takes every option
 * in one string of at most a page, which ~40 lowerdirs under berth's store already overflow; here each lower
 * layer is its own {@code lowerdir+} parameter (Linux 6.8+), so an image may have as many layers as overlay
 * stacks (500), and Docker's 128 fit. The handles live here so that they are bound only when a mount is made.
 */
final class FsMount {
    private static final int FSOPEN_CLOEXEC = 0x1;
    private static final int FSCONFIG_SET_STRING = 1;
    private static final int FSCONFIG_CMD_CREATE = 6;
    private static final int FSMOUNT_CLOEXEC = 0x1;
    private static final int MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    private static final int AT_FDCWD = -100;

    private static final boolean PRESENT = Linker.nativeLinker().defaultLookup().find("fsopen").isPresent();
    private static final MethodHandle FSOPEN = PRESENT
            ? capturingErrno("fsopen", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)) : null;
    private static final MethodHandle FSCONFIG = PRESENT
            ? capturingErrno("fsconfig", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT)) : null;
    private static final MethodHandle FSMOUNT = PRESENT
            ? capturingErrno("fsmount", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT)) : null;
    private static final MethodHandle MOVE_MOUNT = PRESENT
            ? capturingErrno("move_mount", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT)) : null;

    private FsMount() {}

    /** False when libc has no wrappers for the API (glibc before 2.36): mount(2) is then the only way. */
    static boolean present() {
        return PRESENT;
    }

    /** Mounts an overlay of {@code lowerDirs} (topmost first) at {@code target}; needs Linux 6.8 for {@code lowerdir+}. */
    static void mountOverlay(List<String> lowerDirs, String upper, String work, String target) throws ErrnoException {
        LinuxCalls.SYS.inArena("mount overlay at " + target, (a, st) -> {
            int fs = Syscalls.check("fsopen overlay", (int) FSOPEN.invokeExact(st, a.allocateFrom("overlay"), FSOPEN_CLOEXEC), st);
            try {
                for (String lower : lowerDirs) {
                    Syscalls.check("overlay lowerdir+ " + lower, (int) FSCONFIG.invokeExact(st, fs, FSCONFIG_SET_STRING,
                            a.allocateFrom("lowerdir+"), (MemorySegment) a.allocateFrom(lower), 0), st);
                }
                Syscalls.check("overlay upperdir " + upper, (int) FSCONFIG.invokeExact(st, fs, FSCONFIG_SET_STRING,
                        a.allocateFrom("upperdir"), (MemorySegment) a.allocateFrom(upper), 0), st);
                Syscalls.check("overlay workdir " + work, (int) FSCONFIG.invokeExact(st, fs, FSCONFIG_SET_STRING,
                        a.allocateFrom("workdir"), (MemorySegment) a.allocateFrom(work), 0), st);
                Syscalls.check("overlay create", (int) FSCONFIG.invokeExact(st, fs, FSCONFIG_CMD_CREATE,
                        MemorySegment.NULL, MemorySegment.NULL, 0), st);
                int mnt = Syscalls.check("fsmount overlay", (int) FSMOUNT.invokeExact(st, fs, FSMOUNT_CLOEXEC, 0), st);
                try {
                    Syscalls.check("move_mount " + target, (int) MOVE_MOUNT.invokeExact(st, mnt, a.allocateFrom(""),
                            AT_FDCWD, a.allocateFrom(target), MOVE_MOUNT_F_EMPTY_PATH), st);
                } finally {
                    LinuxCalls.close(mnt);
                }
            } finally {
                LinuxCalls.close(fs);
            }
            return null;
        });
    }
}
