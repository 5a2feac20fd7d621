package io.berth.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real libc calls, no root needed. */
class SyscallsTest {
    private static final int ENOENT = 2;
    private static final int EEXIST = 17;
    private static final MethodHandle MKFIFO = Libc.capturingErrno("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final Syscalls SYS = new Syscalls((operation, t) -> new IllegalStateException(operation + " call failed", t));

    @TempDir
    Path dir;

    private void mkfifo(Path path) throws ErrnoException {
        SYS.call("mkfifo " + path, (a, st) -> (int) MKFIFO.invokeExact(st, a.allocateFrom(path.toString()), 0600));
    }

    @Test
    void aSuccessfulCallReturnsItsResult() throws Exception {
        Path fifo = dir.resolve("fifo");
        mkfifo(fifo);
        assertThat(Files.readAttributes(fifo, PosixFileAttributes.class).isOther()).isTrue();
    }

    @Test
    void aFailedCallCarriesTheOperationAndTheKernelsReason() {
        Path fifo = dir.resolve("missing").resolve("fifo");
        assertThatThrownBy(() -> mkfifo(fifo))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(ENOENT))
                .hasMessage("mkfifo " + fifo + ": No such file or directory");
    }

    @Test
    void errnoIsTheOneOfThisCallNotOfAnEarlierOne() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThatThrownBy(() -> mkfifo(dir.resolve("missing").resolve("fifo"))).isInstanceOf(ErrnoException.class);
        mkfifo(fifo);
        assertThatThrownBy(() -> mkfifo(fifo))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(EEXIST))
                .hasMessageEndingWith(": File exists");
    }

    @Test
    void anErrnoExceptionThrownInsideGoesUpAsItIs() {
        ErrnoException thrown = new ErrnoException("posix_spawnp x", ENOENT);
        assertThatThrownBy(() -> SYS.inArena("posix_spawnp", (a, st) -> {
            throw thrown;
        })).isSameAs(thrown);
    }

    @Test
    void anyOtherFailureBecomesWhatTheCallerChose() {
        assertThatThrownBy(() -> SYS.call("mkfifo x", (a, st) -> (int) MKFIFO.invokeExact(st, 0600)))
                .isInstanceOf(IllegalStateException.class).hasMessage("mkfifo x call failed")
                .hasCauseInstanceOf(java.lang.invoke.WrongMethodTypeException.class);
    }

    @Test
    void checkPassesNonNegativeResultsThrough() throws Exception {
        int result = SYS.inArena("check", (a, st) -> Syscalls.check("check", 7, st));
        assertThat(result).isEqualTo(7);
    }

    @Test
    void anUnknownErrnoStillReadsAsANumber() {
        assertThat(new ErrnoException("x", 4242).getMessage()).startsWith("x: ").contains("4242");
    }
}
