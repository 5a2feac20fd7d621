package io.berth.runtime;

import io.berth.linux.ErrnoException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Runs a host tool (netavark) to its end through {@link PosixSpawn}, the one way berthd starts programs, for
 * modules outside this one. Its stdout and stderr go to files, never to pipes: a tool that leaves a daemon
 * behind (netavark starts aardvark-dns, which inherits netavark's fds) would otherwise hold a pipe open and
 * make every reader wait for the daemon's end.
 */
public final class HostCommand {
    private static final Path DEV_NULL = Path.of("/dev/null");

    private HostCommand() {}

    /** What the tool did: its exit code and what it wrote. */
    public record Result(int exitCode, String stdout, String stderr) {}

    /**
     * Runs {@code argv} with {@code env}, stdin from /dev/null, stdout and stderr captured through
     * {@code outputPrefix}.out/.err (deleted afterwards). Killed and reported after {@code timeout}.
     */
    public static Result run(List<String> argv, Map<String, String> env, Path outputPrefix, Duration timeout) {
        Path out = outputPrefix.resolveSibling(outputPrefix.getFileName() + ".out");
        Path err = outputPrefix.resolveSibling(outputPrefix.getFileName() + ".err");
        int flags = ChildFds.O_WRONLY | ChildFds.O_CREAT | ChildFds.O_TRUNC;
        try {
            SpawnedProcess p = PosixSpawn.spawn(argv, env, null, new ChildFds()
                    .open(0, DEV_NULL, ChildFds.O_RDONLY).open(1, out, flags).open(2, err, flags));
            OptionalInt exit = p.waitFor(timeout);
            if (exit.isEmpty()) {
                p.destroyForcibly();
                throw new SystemFailureException(argv.getFirst() + " timed out after " + timeout.toMillis() + " ms");
            }
            return new Result(exit.getAsInt(), read(out), read(err));
        } catch (ErrnoException e) {
            throw new SystemFailureException("running " + argv.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("interrupted running " + argv.getFirst(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover output file in the run dir goes with the run dir
        }
    }
}
