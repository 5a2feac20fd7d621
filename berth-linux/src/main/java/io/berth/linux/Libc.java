package io.berth.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * libc as FFM sees it: the one native linker and symbol lookup, and downcall handles bound from them. Binding
 * is the costly part of a native call (tens of milliseconds for the first in a JVM), so callers keep handles in
 * static finals of classes that load only when those calls are needed.
 */
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    /** The state a capturing handle writes errno into; {@link Syscalls} allocates one per call. */
    static final StructLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Libc() {}

    /**
     * A handle that also captures errno: its first parameter is the errno state segment {@link Syscalls} passes
     * (errno itself would be overwritten by whatever the JVM calls next).
     */
    public static MethodHandle capturingErrno(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = CAPTURE_ERRNO;
        return function(name, descriptor, all);
    }

    /** A handle without errno capture, for calls that return their error (posix_spawn) or whose errors are ignored. */
    public static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LOOKUP.find(name).orElseThrow(), descriptor, options);
    }

    /** The errno a capturing call left in {@code state}. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
