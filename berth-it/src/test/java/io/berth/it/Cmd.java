package io.berth.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion and keeps its output, for assertions. */
final class Cmd {
    record Result(int exitCode, String stdout, String stderr) {
        Result orFail() {
            if (exitCode != 0) throw new AssertionError("exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            return this;
        }

        String out() {
            return stdout.strip();
        }
    }

    private static final java.util.concurrent.ExecutorService READERS = Executors.newVirtualThreadPerTaskExecutor();

    private Cmd() {}

    static Result run(List<String> cmd, Map<String, String> env, byte[] stdin, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        if (stdin != null) {
            // written aside, so that a command that stops reading its input still meets the timeout
            READERS.submit(() -> {
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException stoppedReading) {
                    // the command ended or closed its input; its exit code and output tell
                }
            });
        }
        return finish(p, cmd, timeout, out, err);
    }

    /** Runs {@code cmd} with its standard input read from {@code input}, as a shell's {@code < input} does. */
    static Result runWithInput(List<String> cmd, Map<String, String> env, java.nio.file.Path input, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(input.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        return finish(p, cmd, timeout, drain(p.getInputStream()), drain(p.getErrorStream()));
    }

    private static Result finish(Process p, List<String> cmd, Duration timeout, CompletableFuture<byte[]> out,
                                 CompletableFuture<byte[]> err) throws InterruptedException {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out after " + timeout + ": " + cmd);
        }
        return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, READERS);
    }
}
