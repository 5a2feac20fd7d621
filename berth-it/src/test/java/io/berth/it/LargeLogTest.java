package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A 200 MB log through the docker CLI: berthd streams it in bounded memory (before: the whole log was held,
 * 1.2 GB of RSS kept afterwards) and {@code --tail} starts from the end (before: the whole file was parsed).
 */
@Tag("privileged")
class LargeLogTest {
    private static final String LINE = "0123456789".repeat(7);
    private static final long BYTES = 200_000_000L;
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("large-log");
        daemon.cli("run", "--name", "chatty", "busybox", "sh", "-c", "yes " + LINE + " | head -c " + BYTES).orFail();
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void theWholeLogStreamsInBoundedMemory() throws Exception {
        long before = rssKb();
        Cmd.Result r = Cmd.run(List.of("sh", "-c", "docker logs chatty | wc -c"), Map.of("DOCKER_HOST", daemon.host()), null,
                Duration.ofSeconds(120)).orFail();
        assertThat(Long.parseLong(r.out().trim())).isEqualTo(BYTES);
        assertThat(rssKb() - before).as("RSS growth in KiB").isLessThan(64 * 1024);
    }

    @Test
    void aTailIsReadFromTheEnd() throws Exception {
        long start = System.nanoTime();
        String last = daemon.docker("logs", "--tail", "2", "chatty").orFail().out();
        long millis = (System.nanoTime() - start) / 1_000_000;
        // yes | head -c cuts the last line short: it is a partial record after the last full one.
        assertThat(last).startsWith(LINE + "\n" + LINE + "\n").hasSizeLessThan(3 * (LINE.length() + 1));
        assertThat(millis).as("--tail 2 of 200 MB, docker CLI start included").isLessThan(2000);
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(daemon.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        throw new IllegalStateException("no VmRSS for berthd");
    }
}
