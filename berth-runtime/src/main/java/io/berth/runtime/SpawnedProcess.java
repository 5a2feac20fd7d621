package io.berth.runtime;

import io.berth.linux.ErrnoException;
import io.berth.oci.errors.SystemFailureException;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child started by {@link PosixSpawn}, always reaped even if nobody waits for it: as the JDK does for its
 * own processes, a small platform "reaper" thread blocks in waitpid for it, so a waiting virtual thread
 * parks instead of pinning its carrier in a blocking syscall.
 */
final class SpawnedProcess {
    private static final ExecutorService REAPERS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("berth-reaper-", 0).stackSize(128 * 1024).factory());

    private final int pid;
    private final CompletableFuture<Integer> exitCode;

    SpawnedProcess(int pid) {
        this.pid = pid;
        this.exitCode = CompletableFuture.supplyAsync(() -> reap(pid), REAPERS);
    }

    private static int reap(int pid) {
        try {
            return exitCode(LinuxCalls.waitpid(pid, 0));
        } catch (ErrnoException e) {
            // ECHILD: reaped elsewhere, which nothing in berthd does; all we know is that it has ended
            return 255;
        }
    }

    /** Completes with the exit code when the child has been reaped. */
    CompletableFuture<Integer> onExit() {
        return exitCode.copy();
    }

    /** Waits for the child to end; its exit code. */
    int waitFor() throws InterruptedException {
        try {
            return exitCode.get();
        } catch (ExecutionException e) {
            throw new SystemFailureException("waiting for process " + pid, e.getCause());
        }
    }

    /** The exit code if the child has ended, else empty. Never blocks. */
    OptionalInt poll() {
        return exitCode.isDone() ? OptionalInt.of(exitCode.join()) : OptionalInt.empty();
    }

    /** Waits up to {@code timeout} for the child to end; its exit code, or empty if it still runs. */
    OptionalInt waitFor(Duration timeout) throws InterruptedException {
        try {
            return OptionalInt.of(exitCode.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return OptionalInt.empty();
        } catch (ExecutionException e) {
            throw new SystemFailureException("waiting for process " + pid, e.getCause());
        }
    }

    /** SIGKILL, unless it has been reaped already (then its pid may belong to someone else). */
    void destroyForcibly() {
        if (!exitCode.isDone()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Like ProcessBuilder's exit values: the exit status, or 128 + the signal that killed it. */
    static int exitCode(int waitStatus) {
        int signal = waitStatus & 0x7f;
        return signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal;
    }
}
