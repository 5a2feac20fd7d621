package io.berth.runtime;

import io.berth.oci.errors.SystemFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A host tool's exit code and output, and no waiting for daemons it leaves behind. */
class HostCommandTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    @TempDir
    Path tmp;

    @Test
    void exitCodeStdoutAndStderrComeBackSeparately() {
        var r = HostCommand.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), ENV, tmp.resolve("cmd"), Duration.ofSeconds(10));
        assertThat(r).isEqualTo(new HostCommand.Result(3, "out\n", "err\n"));
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aDaemonLeftBehindWithTheSameOutputDoesNotHoldTheCallerUp() {
        long t0 = System.nanoTime();
        var r = HostCommand.run(List.of("sh", "-c", "sleep 5 & echo started"), ENV, tmp.resolve("cmd"), Duration.ofSeconds(10));
        assertThat(r.stdout()).isEqualTo("started\n");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aHungToolIsKilledAfterTheTimeout() {
        assertThatThrownBy(() -> HostCommand.run(List.of("sleep", "30"), ENV, tmp.resolve("cmd"), Duration.ofMillis(300)))
                .isInstanceOf(SystemFailureException.class).hasMessageContaining("timed out");
    }

    @Test
    void aMissingProgramIsAFailureNamingIt() throws Exception {
        assertThatThrownBy(() -> HostCommand.run(List.of(tmp.resolve("nope").toString()), ENV, tmp.resolve("cmd"), Duration.ofSeconds(5)))
                .isInstanceOf(SystemFailureException.class).hasMessageContaining("nope");
        assertThat(Files.list(tmp)).isEmpty();
    }
}
