package io.berth.runtime;

import io.berth.linux.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.berth.linux.Libc.function;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Starts a program with glibc's posix_spawnp through FFM: one clone(CLONE_VM|CLONE_VFORK) and one exec, where
 * ProcessBuilder first execs the JDK's jspawnhelper (≈ 2–3 ms per process here), and with the child's fds laid
 * out exactly as {@link ChildFds} says (ProcessBuilder can only set 0, 1 and 2). The child gets an empty signal
 * mask, as ProcessBuilder's children do (JVM threads block some signals); a failed exec comes back as the
 * errno of posix_spawnp, not as a child that exits 127.
 */
final class PosixSpawn {
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** glibc's opaque types, rounded up generously (x86-64: file actions 80 bytes, attr 336, sigset_t 128). */
    private static final long FILE_ACTIONS_SIZE = 256;
    private static final long ATTR_SIZE = 512;
    private static final long SIGSET_SIZE = 128;

    private static final MethodHandle SPAWNP = function("posix_spawnp", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FA_INIT = function("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DESTROY = function("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_OPEN = function("posix_spawn_file_actions_addopen", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_DUP2 = function("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_CHDIR = function("posix_spawn_file_actions_addchdir_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FA_CLOSEFROM = function("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ATTR_INIT = function("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_DESTROY = function("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_SETFLAGS = function("posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ATTR_SETSIGMASK = function("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGEMPTYSET = function("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private PosixSpawn() {}

    /**
     * Spawns {@code argv} (the program found like a shell would, on PATH unless it has a slash) with exactly
     * {@code env}, in {@code workDir} (null: ours), with the fds {@code fds} describes and no others.
     */
    static SpawnedProcess spawn(List<String> argv, Map<String, String> env, Path workDir, ChildFds fds)
            throws ErrnoException {
        return new SpawnedProcess(prepareAndSpawn(argv, env, workDir, fds, true));
    }

    /**
     * Goes through everything a spawn does except starting the child. berthd calls it once at start-up, off any
     * request: linking the native calls and running them the first time costs ≈ 0.1 s here, which the first
     * container start would otherwise pay.
     */
    static void warmUp() {
        Path devNull = Path.of("/dev/null");
        try {
            prepareAndSpawn(List.of("true"), Map.of("PATH", "/bin"), devNull.getParent(),
                    new ChildFds().open(0, devNull, ChildFds.O_RDONLY).dup(1, 1).dup(2, 2), false);
        } catch (ErrnoException | RuntimeException e) {
            // only a warm-up: a real spawn reports the same failure where it matters
        }
    }

    /** The pid of the child, or 0 when {@code start} is false (a dry run). */
    private static int prepareAndSpawn(List<String> argv, Map<String, String> env, Path workDir, ChildFds fds, boolean start)
            throws ErrnoException {
        List<ChildFds.Action> actions = fds.actions();
        // the posix_spawn family returns its error number: the errno state goes unused
        return LinuxCalls.SYS.inArena("posix_spawnp", (a, unused) -> {
            MemorySegment fileActions = a.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment attr = a.allocate(ATTR_SIZE, 16);
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(fileActions));
            try {
                check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
                try {
                    for (ChildFds.Action act : actions) {
                        switch (act) {
                            case ChildFds.Dup2(int from, int to) ->
                                    check("adddup2", (int) FA_DUP2.invokeExact(fileActions, from, to));
                            case ChildFds.Open(int to, String path, int flags, int mode) ->
                                    check("addopen " + path, (int) FA_OPEN.invokeExact(fileActions, to, a.allocateFrom(path), flags, mode));
                        }
                    }
                    check("addclosefrom_np", (int) FA_CLOSEFROM.invokeExact(fileActions, fds.closeFrom()));
                    // last, so a relative path in the opens resolves from berthd's directory, like ProcessBuilder's redirects
                    if (workDir != null) check("addchdir_np", (int) FA_CHDIR.invokeExact(fileActions, a.allocateFrom(workDir.toString())));
                    MemorySegment mask = a.allocate(SIGSET_SIZE, 8);
                    check("sigemptyset", (int) SIGEMPTYSET.invokeExact(mask));
                    check("posix_spawnattr_setsigmask", (int) ATTR_SETSIGMASK.invokeExact(attr, mask));
                    check("posix_spawnattr_setflags", (int) ATTR_SETFLAGS.invokeExact(attr, POSIX_SPAWN_SETSIGMASK));
                    MemorySegment pid = a.allocate(JAVA_INT);
                    MemorySegment path = a.allocateFrom(argv.getFirst());
                    MemorySegment args = strings(a, argv);
                    MemorySegment envp = strings(a, env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
                    if (!start) return 0;
                    int rc = (int) SPAWNP.invokeExact(pid, path, fileActions, attr, args, envp);
                    if (rc != 0) throw new ErrnoException("posix_spawnp " + argv.getFirst(), rc);
                    return pid.get(JAVA_INT, 0);
                } finally {
                    int ignored = (int) ATTR_DESTROY.invokeExact(attr);
                }
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(fileActions);
            }
        });
    }

    /** The posix_spawn family returns the error number instead of setting errno. */
    private static void check(String what, int rc) throws ErrnoException {
        if (rc != 0) throw new ErrnoException(what, rc);
    }

    /** A NULL-terminated char*[] of C strings. */
    private static MemorySegment strings(Arena a, List<String> values) {
        MemorySegment array = a.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) array.setAtIndex(ADDRESS, i, a.allocateFrom(values.get(i)));
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }
}
