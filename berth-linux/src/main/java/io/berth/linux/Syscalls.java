package io.berth.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.BiFunction;

/**
 * Runs libc calls the way every berth wrapper does: in a confined arena that frees the call's C strings and
 * buffers when it returns, with a fresh errno state, and with a negative result turned into an
 * {@link ErrnoException} naming the operation. A wrapper becomes one line:
 * <pre>{@code
 * sys.call("mkfifo " + path, (arena, errno) -> (int) MKFIFO.invokeExact(errno, arena.allocateFrom(path), mode));
 * }</pre>
 *
 * <p>Anything else thrown inside (a handle invoked with the wrong types, memory exhausted) means the call could
 * not be made at all, which no errno describes. Each user says in its constructor what that becomes: the
 * engine reports it as its own SystemFailureException, which lives in berth-oci and which callers up the stack
 * catch by type, so this module (which depends on nothing) cannot choose the exception for them.
 */
public final class Syscalls {
    /** The native calls to make; {@code errno} goes first to every capturing handle. */
    @FunctionalInterface
    public interface Body<T> {
        T run(Arena arena, MemorySegment errno) throws Throwable;
    }

    private final BiFunction<String, Throwable, RuntimeException> unexpected;

    /** @param unexpected what to throw when {@code operation} failed other than with an ErrnoException */
    public Syscalls(BiFunction<String, Throwable, RuntimeException> unexpected) {
        this.unexpected = unexpected;
    }

    /** One call that returns -1 and sets errno on failure (mkfifo, pipe2, epoll_create1…): its result otherwise. */
    public int call(String operation, Body<Integer> call) throws ErrnoException {
        return inArena(operation, (arena, errno) -> check(operation, call.run(arena, errno), errno));
    }

    /** Several calls sharing one arena and errno state; {@code body} checks their results itself. */
    public <T> T inArena(String operation, Body<T> body) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            return body.run(arena, arena.allocate(Libc.ERRNO_STATE));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected.apply(operation, t);
        }
    }

    /** {@code result}, unless it is negative: then the errno the call left in {@code errno}, as an exception. */
    public static int check(String operation, int result, MemorySegment errno) throws ErrnoException {
        if (result < 0) throw new ErrnoException(operation, Libc.errno(errno));
        return result;
    }
}
