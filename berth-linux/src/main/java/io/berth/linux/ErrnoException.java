package io.berth.linux;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A libc call that failed, with the errno it set (or, for the posix_spawn family, returned), so callers can
 * tell an expected failure (not mounted, not root, process gone) from a real one. The message is the operation
 * and the kernel's reason: {@code "mkfifo /run/x/fifo: No such file or directory"}.
 */
public final class ErrnoException extends IOException {
    private final int errno;

    /** @param operation what failed, as the caller names it: the function and usually its path */
    public ErrnoException(String operation, int errno) {
        super(operation + ": " + strerror(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) Strerror.HANDLE.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** Bound on the first failure: a process whose calls all succeed never pays for it. */
    private static final class Strerror {
        static final MethodHandle HANDLE = Libc.function("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }
}
